using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Kubes.Controller.Aws.Iam;
using Kubes.Controller.Local.Namespaces;
using Kubes.Controller.Tests.Fixtures;

namespace Kubes.Controller.Tests.Local.Namespaces;

/// <summary>Each instance the emulator holds gets credentials of its own profile's role, which STS reports as that
/// role's session named by the instance id — as EC2's instance-profile credentials are.</summary>
[Collection(MotoServer.Collection)]
public sealed class AssumedRoleCredentialsTests(MotoServer moto) : IAsyncLifetime
{
    public Task InitializeAsync() => moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Sts_reports_the_credentials_as_the_profile_role_with_the_instance_id_as_session()
    {
        var environment = moto.Environment();
        var iam = new IamClient(environment);
        await iam.CreateRoleAsync("kubes-demo-node", "/kubes/demo/", """{"Version":"2012-10-17","Statement":[]}""");
        var profile = await iam.CreateInstanceProfileAsync("kubes-demo-node", "/kubes/demo/");
        await iam.AddRoleToInstanceProfileAsync("kubes-demo-node", "kubes-demo-node");
        using var sts = environment.CreateStsClient();
        var credentials = new AssumedRoleCredentials(iam, sts);

        var first = await credentials.ForAsync("i-0123456789abcdef0", profile.Arn, CancellationToken.None);
        var second = await credentials.ForAsync("i-0fedcba9876543210", profile.Arn, CancellationToken.None);

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.NotEqual(first.AccessKeyId, second.AccessKeyId);
        Assert.Equal(("kubes-demo-node", profile.Arn), (first.RoleName, first.InstanceProfileArn));
        using var asInstance = new AmazonSecurityTokenServiceClient(
            new SessionAWSCredentials(first.AccessKeyId, first.SecretAccessKey, first.Token), environment.StsConfig());
        var caller = await asInstance.GetCallerIdentityAsync(new GetCallerIdentityRequest());
        Assert.EndsWith(":assumed-role/kubes-demo-node/i-0123456789abcdef0", caller.Arn);
        Assert.Null(await credentials.ForAsync("i-0123456789abcdef0", null, CancellationToken.None));
    }
}
