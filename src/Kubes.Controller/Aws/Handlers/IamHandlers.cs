using System.Text.Json.Nodes;
using Kubes.Controller.Aws.Iam;
using Kubes.Controller.Aws.Query;
using Kubes.Controller.Aws.Resources;
using Kubes.Controller.Reconciler;

namespace Kubes.Controller.Aws.Handlers;

/// <summary>IAM has no tag filter on its list calls: the cluster's roles and profiles are found by their path.</summary>
internal sealed class IamRoleHandler(IamClient iam, string cluster) : IResourceHandler
{
    public string Type => "iam-role";
    public int DeleteOrder => 40;

    public async Task<IReadOnlyList<ActualResource>> FindAsync(CancellationToken ct)
    {
        var roles = await iam.ListRolesAsync(AwsClusterModel.IamPath(cluster), ct);
        var found = await Task.WhenAll(roles.Select(async role =>
        {
            var policies = await iam.ListRolePoliciesAsync(role.Name, ct);
            var documents = await Task.WhenAll(policies.Select(p => iam.GetRolePolicyAsync(role.Name, p, ct)));
            return new ActualResource(new ResourceKey(Type, RoleSuffix(role.Name)), role.Name, new LiveRole(role, documents));
        }));
        return found;
    }

    private string RoleSuffix(string name)
    {
        var prefix = $"kubes-{cluster}-";
        return name.StartsWith(prefix, StringComparison.Ordinal) ? name[prefix.Length..] : name;
    }

    public IReadOnlyList<FieldChange> Diff(DesiredResource desired, ActualResource actual, IResolvedIds ids)
    {
        var want = (IamRoleResource)desired;
        var have = (LiveRole)actual.Native;
        var changes = new List<FieldChange>();
        if (!SameJson(have.Role.AssumeRolePolicyDocument, want.AssumeRolePolicy))
            changes.Add(new("assumeRolePolicy", have.Role.AssumeRolePolicyDocument, want.AssumeRolePolicy));
        var policy = have.Policies.FirstOrDefault(p => p.PolicyName == want.PolicyName);
        if (policy is null || !SameJson(policy.Document, want.PolicyDocument))
            changes.Add(new($"policy {want.PolicyName}", policy?.Document, want.PolicyDocument));
        changes.AddRange(have.Policies.Where(p => p.PolicyName != want.PolicyName)
            .Select(p => new FieldChange($"policy {p.PolicyName}", p.Document, null)));
        return changes;
    }

    public async Task<ActualResource> CreateAsync(DesiredResource desired, IResolvedIds ids, CancellationToken ct)
    {
        var want = (IamRoleResource)desired;
        IamRole role;
        try
        {
            role = await iam.CreateRoleAsync(want.RoleName, want.Path, want.AssumeRolePolicy,
                [.. want.Tags.Select(t => new AwsTag(t.Key, t.Value))], $"kubes {cluster}: {desired.Key.Name} instances", ct);
        }
        catch (AwsServiceException e) when (e.Code == "EntityAlreadyExists")
        {
            role = await iam.GetRoleAsync(want.RoleName, ct);
        }
        await iam.PutRolePolicyAsync(want.RoleName, want.PolicyName, want.PolicyDocument, ct);
        return new ActualResource(want.Key, role.Name, new LiveRole(role, []));
    }

    public async Task UpdateAsync(DesiredResource desired, ActualResource actual, IReadOnlyList<FieldChange> changes, IResolvedIds ids,
        CancellationToken ct)
    {
        var want = (IamRoleResource)desired;
        if (changes.Any(c => c.Field == "assumeRolePolicy")) throw new ImmutableFieldException(actual, changes);
        foreach (var change in changes.Where(c => c.Field.StartsWith("policy ", StringComparison.Ordinal)))
        {
            var name = change.Field["policy ".Length..];
            if (change.To is null) await iam.DeleteRolePolicyAsync(want.RoleName, name, ct);
            else await iam.PutRolePolicyAsync(want.RoleName, name, change.To, ct);
        }
    }

    public async Task DeleteAsync(ActualResource actual, CancellationToken ct)
    {
        try
        {
            foreach (var policy in await iam.ListRolePoliciesAsync(actual.Id, ct))
                await iam.DeleteRolePolicyAsync(actual.Id, policy, ct);
            await iam.DeleteRoleAsync(actual.Id, ct);
        }
        catch (AwsServiceException e) when (e.IsNotFound)
        {
        }
    }

    private static bool SameJson(string? a, string? b)
    {
        if (a is null || b is null) return a == b;
        try
        {
            return JsonNode.DeepEquals(JsonNode.Parse(a), JsonNode.Parse(b));
        }
        catch (System.Text.Json.JsonException)
        {
            return a == b;
        }
    }

    internal sealed record LiveRole(IamRole Role, IReadOnlyList<IamRolePolicy> Policies);
}

internal sealed class InstanceProfileHandler(IamClient iam, string cluster) : IResourceHandler
{
    public string Type => "instance-profile";
    public int DeleteOrder => 30;

    public async Task<IReadOnlyList<ActualResource>> FindAsync(CancellationToken ct)
    {
        var prefix = $"kubes-{cluster}-";
        var path = AwsClusterModel.IamPath(cluster);
        // The path is checked on our side too: moto ignores ListInstanceProfiles' PathPrefix.
        return [.. (await iam.ListInstanceProfilesAsync(path, ct)).Where(p => p.Path == path).Select(p => new ActualResource(
            new ResourceKey(Type, p.Name.StartsWith(prefix, StringComparison.Ordinal) ? p.Name[prefix.Length..] : p.Name), p.Arn, p))];
    }

    public IReadOnlyList<FieldChange> Diff(DesiredResource desired, ActualResource actual, IResolvedIds ids)
    {
        var want = (InstanceProfileResource)desired;
        var have = (IamInstanceProfile)actual.Native;
        var role = ids.TryGet(want.Role, out var name) ? name : want.Role.ToString();
        var current = have.Roles.FirstOrDefault()?.Name;
        return current == role ? [] : [new FieldChange("role", current, role)];
    }

    public async Task<ActualResource> CreateAsync(DesiredResource desired, IResolvedIds ids, CancellationToken ct)
    {
        var want = (InstanceProfileResource)desired;
        IamInstanceProfile profile;
        try
        {
            profile = await iam.CreateInstanceProfileAsync(want.ProfileName, want.Path,
                [.. want.Tags.Select(t => new AwsTag(t.Key, t.Value))], ct);
        }
        catch (AwsServiceException e) when (e.Code == "EntityAlreadyExists")
        {
            profile = await iam.GetInstanceProfileAsync(want.ProfileName, ct);
        }
        if (profile.Roles.Count == 0) await iam.AddRoleToInstanceProfileAsync(want.ProfileName, ids.Require(want.Role), ct);
        return new ActualResource(want.Key, profile.Arn, profile);
    }

    public async Task UpdateAsync(DesiredResource desired, ActualResource actual, IReadOnlyList<FieldChange> changes, IResolvedIds ids,
        CancellationToken ct)
    {
        var want = (InstanceProfileResource)desired;
        foreach (var role in ((IamInstanceProfile)actual.Native).Roles)
            await iam.RemoveRoleFromInstanceProfileAsync(want.ProfileName, role.Name, ct);
        await iam.AddRoleToInstanceProfileAsync(want.ProfileName, ids.Require(want.Role), ct);
    }

    public async Task DeleteAsync(ActualResource actual, CancellationToken ct)
    {
        var profile = (IamInstanceProfile)actual.Native;
        try
        {
            foreach (var role in profile.Roles) await iam.RemoveRoleFromInstanceProfileAsync(profile.Name, role.Name, ct);
            await iam.DeleteInstanceProfileAsync(profile.Name, ct);
        }
        catch (AwsServiceException e) when (e.IsNotFound)
        {
        }
    }
}
