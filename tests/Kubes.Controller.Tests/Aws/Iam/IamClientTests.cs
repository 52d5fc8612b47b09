using System.Text.Json;
using Kubes.Controller.Aws.Iam;
using Kubes.Controller.Aws.Query;
using Kubes.Controller.Tests.Fixtures;

namespace Kubes.Controller.Tests.Aws.Iam;

[Collection(MotoServer.Collection)]
public sealed class IamClientTests(MotoServer moto) : IAsyncLifetime
{
    private const string Path = "/kubes/demo/";
    private static readonly AwsTag ClusterTag = new("kubes.io/cluster", "demo");
    private readonly AwsCallCounter calls = new();

    public Task InitializeAsync() => moto.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private IamClient Client(int? pageSize = null) =>
        new(moto.Environment(), new QueryClientOptions { Observer = calls, PageSize = pageSize });

    [Fact]
    public async Task A_role_round_trips_with_its_path_tags_and_decoded_trust_policy()
    {
        var iam = Client();

        var created = await iam.CreateRoleAsync("demo-etcd", Path, IamPolicyDocuments.Ec2AssumeRole, [ClusterTag], "etcd members of demo");
        var read = await iam.GetRoleAsync("demo-etcd");

        Assert.Equal("demo-etcd", read.Name);
        Assert.Equal(Path, read.Path);
        Assert.Equal(created.Arn, read.Arn);
        Assert.EndsWith(":role/kubes/demo/demo-etcd", read.Arn);
        Assert.Equal("etcd members of demo", read.Description);
        Assert.Contains(ClusterTag, read.Tags);
        Assert.Equal(JsonNormalized(IamPolicyDocuments.Ec2AssumeRole), JsonNormalized(read.AssumeRolePolicyDocument!));

        await iam.DeleteRoleAsync("demo-etcd");
        var gone = await Assert.ThrowsAsync<AwsServiceException>(() => iam.GetRoleAsync("demo-etcd"));
        Assert.True(gone.IsNotFound);
        Assert.Equal("NoSuchEntity", gone.Code);
        Assert.Equal("iam", gone.Service);
        Assert.Equal("GetRole", gone.Action);
        Assert.Equal(404, gone.HttpStatus);
        Assert.Contains("role demo-etcd", gone.Message);
    }

    [Fact]
    public async Task Listing_by_path_prefix_finds_only_the_cluster_roles_across_pages()
    {
        var iam = Client(pageSize: 2);
        foreach (var name in new[] { "demo-a", "demo-b", "demo-c", "demo-d", "demo-e" })
            await iam.CreateRoleAsync(name, Path, IamPolicyDocuments.Ec2AssumeRole);
        await iam.CreateRoleAsync("other-a", "/kubes/other/", IamPolicyDocuments.Ec2AssumeRole);

        var roles = await iam.ListRolesAsync(Path);

        Assert.Equal(["demo-a", "demo-b", "demo-c", "demo-d", "demo-e"], roles.Select(role => role.Name).Order());
        Assert.Equal(3, calls.Count("iam", "ListRoles"));
    }

    [Fact]
    public async Task An_inline_policy_round_trips_decoded()
    {
        var iam = Client();
        await iam.CreateRoleAsync("demo-node", Path, IamPolicyDocuments.Ec2AssumeRole);
        const string document =
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:DescribeInstances","s3:GetObject"],"Resource":"arn:aws:s3:::state bucket+/kubes/*"}]}""";

        await iam.PutRolePolicyAsync("demo-node", "kubes-node", document);
        var policy = await iam.GetRolePolicyAsync("demo-node", "kubes-node");
        var names = await iam.ListRolePoliciesAsync("demo-node");

        Assert.Equal(new IamRolePolicy("demo-node", "kubes-node", document), policy);
        Assert.Equal(["kubes-node"], names);

        var withPolicy = await Assert.ThrowsAsync<AwsServiceException>(() => iam.DeleteRoleAsync("demo-node"));
        Assert.True(withPolicy.IsDependencyConflict);
        Assert.Contains("Something still depends on the role demo-node", withPolicy.Message);
        await iam.DeleteRolePolicyAsync("demo-node", "kubes-node");
        Assert.Empty(await iam.ListRolePoliciesAsync("demo-node"));
        var gone = await Assert.ThrowsAsync<AwsServiceException>(() => iam.GetRolePolicyAsync("demo-node", "kubes-node"));
        Assert.True(gone.IsNotFound);
    }

    [Fact]
    public async Task Tags_added_later_are_listed_with_the_original_ones()
    {
        var iam = Client();
        await iam.CreateRoleAsync("demo-bastion", Path, IamPolicyDocuments.Ec2AssumeRole, [ClusterTag]);

        await iam.TagRoleAsync("demo-bastion", [new AwsTag("kubes.io/role", "bastion")]);

        Assert.Equal(
            [ClusterTag, new AwsTag("kubes.io/role", "bastion")],
            (await iam.ListRoleTagsAsync("demo-bastion")).OrderBy(tag => tag.Key, StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_instance_profile_carries_its_role_until_removed()
    {
        var iam = Client();
        var role = await iam.CreateRoleAsync("demo-controller", Path, IamPolicyDocuments.Ec2AssumeRole);

        var created = await iam.CreateInstanceProfileAsync("demo-controller", Path, [ClusterTag]);
        await iam.AddRoleToInstanceProfileAsync("demo-controller", "demo-controller");
        var read = await iam.GetInstanceProfileAsync("demo-controller");
        var listed = await iam.ListInstanceProfilesAsync(Path);

        Assert.Equal(Path, created.Path);
        Assert.Empty(created.Roles);
        Assert.Equal(created.Arn, read.Arn);
        Assert.Equal([role.Arn], read.Roles.Select(r => r.Arn));
        Assert.Equal(["demo-controller"], listed.Select(profile => profile.Name));

        var inUse = await Assert.ThrowsAsync<AwsServiceException>(() => iam.DeleteInstanceProfileAsync("demo-controller"));
        Assert.True(inUse.IsDependencyConflict);
        await iam.RemoveRoleFromInstanceProfileAsync("demo-controller", "demo-controller");
        Assert.Empty((await iam.GetInstanceProfileAsync("demo-controller")).Roles);
        await iam.DeleteInstanceProfileAsync("demo-controller");
        var gone = await Assert.ThrowsAsync<AwsServiceException>(() => iam.GetInstanceProfileAsync("demo-controller"));
        Assert.True(gone.IsNotFound);
        Assert.Contains("instance profile demo-controller", gone.Message);
    }

    [Fact]
    public async Task Every_call_is_reported_with_whether_it_changes_anything()
    {
        var iam = Client();
        await iam.CreateRoleAsync("demo-x", Path, IamPolicyDocuments.Ec2AssumeRole);
        await iam.GetRoleAsync("demo-x");
        await iam.DeleteRoleAsync("demo-x");

        Assert.Equal(
            [new AwsCall("iam", "CreateRole", true), new AwsCall("iam", "GetRole", false), new AwsCall("iam", "DeleteRole", true)],
            calls.Calls);
    }

    private static string JsonNormalized(string json) => JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement);
}
