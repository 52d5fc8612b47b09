using Kubes.Controller.Aws.Query;

namespace Kubes.Controller.Aws.Iam;

/// <summary>
/// The IAM calls Kubes makes (API 2010-05-08): roles, their inline policies and tags, instance profiles.
/// Failures are <see cref="AwsServiceException"/>s; a missing entity has <see cref="AwsServiceException.IsNotFound"/>.
/// </summary>
public sealed class IamClient
{
    public const string ApiVersion = "2010-05-08";

    private readonly QueryClient query;

    public IamClient(AwsEnvironment environment, QueryClientOptions? options = null) =>
        query = QueryClient.For(AwsService.Iam, ApiVersion, environment, options);

    public async Task<IamRole> CreateRoleAsync(
        string name, string path, string assumeRolePolicyDocument, IEnumerable<AwsTag>? tags = null,
        string? description = null, CancellationToken cancellationToken = default)
    {
        var parameters = new QueryParameters()
            .Add("RoleName", name)
            .Add("Path", path)
            .Add("AssumeRolePolicyDocument", assumeRolePolicyDocument)
            .AddOptional("Description", description)
            .AddTags("Tags", tags ?? []);
        var result = await query.SendAsync("CreateRole", parameters, Role(name), cancellationToken);
        return IamRole.From(result.Child("Role") ?? throw Missing("CreateRole", "Role"));
    }

    public async Task<IamRole> GetRoleAsync(string name, CancellationToken cancellationToken = default)
    {
        var result = await query.SendAsync("GetRole", new QueryParameters().Add("RoleName", name), Role(name), cancellationToken);
        return IamRole.From(result.Child("Role") ?? throw Missing("GetRole", "Role"));
    }

    /// <summary>IAM refuses while the role has inline policies or sits in an instance profile: remove those first.</summary>
    public Task DeleteRoleAsync(string name, CancellationToken cancellationToken = default) =>
        query.SendAsync("DeleteRole", new QueryParameters().Add("RoleName", name), Role(name), cancellationToken);

    /// <summary>All roles whose path starts with <paramref name="pathPrefix"/>, every page.</summary>
    public Task<IReadOnlyList<IamRole>> ListRolesAsync(string pathPrefix = "/", CancellationToken cancellationToken = default) =>
        query.ListAsync(
            "ListRoles", new QueryParameters().Add("PathPrefix", pathPrefix), $"roles under {pathPrefix}", QueryPaging.Iam,
            result => result.Members("Roles").Select(IamRole.From), cancellationToken);

    /// <summary>Creates or replaces the inline policy <paramref name="policyName"/> of the role.</summary>
    public Task PutRolePolicyAsync(string roleName, string policyName, string policyDocument, CancellationToken cancellationToken = default) =>
        query.SendAsync(
            "PutRolePolicy",
            new QueryParameters().Add("RoleName", roleName).Add("PolicyName", policyName).Add("PolicyDocument", policyDocument),
            RolePolicy(roleName, policyName), cancellationToken);

    public async Task<IamRolePolicy> GetRolePolicyAsync(string roleName, string policyName, CancellationToken cancellationToken = default)
    {
        var result = await query.SendAsync(
            "GetRolePolicy", new QueryParameters().Add("RoleName", roleName).Add("PolicyName", policyName),
            RolePolicy(roleName, policyName), cancellationToken);
        return new IamRolePolicy(
            result.RequiredText("RoleName"), result.RequiredText("PolicyName"),
            Uri.UnescapeDataString(result.RequiredText("PolicyDocument")));
    }

    /// <summary>The names of the role's inline policies.</summary>
    public Task<IReadOnlyList<string>> ListRolePoliciesAsync(string roleName, CancellationToken cancellationToken = default) =>
        query.ListAsync(
            "ListRolePolicies", new QueryParameters().Add("RoleName", roleName), Role(roleName), QueryPaging.Iam,
            result => result.Strings("PolicyNames"), cancellationToken);

    public Task DeleteRolePolicyAsync(string roleName, string policyName, CancellationToken cancellationToken = default) =>
        query.SendAsync(
            "DeleteRolePolicy", new QueryParameters().Add("RoleName", roleName).Add("PolicyName", policyName),
            RolePolicy(roleName, policyName), cancellationToken);

    public Task TagRoleAsync(string roleName, IEnumerable<AwsTag> tags, CancellationToken cancellationToken = default) =>
        query.SendAsync(
            "TagRole", new QueryParameters().Add("RoleName", roleName).AddTags("Tags", tags), Role(roleName), cancellationToken);

    public Task<IReadOnlyList<AwsTag>> ListRoleTagsAsync(string roleName, CancellationToken cancellationToken = default) =>
        query.ListAsync(
            "ListRoleTags", new QueryParameters().Add("RoleName", roleName), Role(roleName), QueryPaging.Iam,
            result => result.Tags(), cancellationToken);

    public async Task<IamInstanceProfile> CreateInstanceProfileAsync(
        string name, string path, IEnumerable<AwsTag>? tags = null, CancellationToken cancellationToken = default)
    {
        var parameters = new QueryParameters().Add("InstanceProfileName", name).Add("Path", path).AddTags("Tags", tags ?? []);
        var result = await query.SendAsync("CreateInstanceProfile", parameters, Profile(name), cancellationToken);
        return IamInstanceProfile.From(result.Child("InstanceProfile") ?? throw Missing("CreateInstanceProfile", "InstanceProfile"));
    }

    public async Task<IamInstanceProfile> GetInstanceProfileAsync(string name, CancellationToken cancellationToken = default)
    {
        var result = await query.SendAsync(
            "GetInstanceProfile", new QueryParameters().Add("InstanceProfileName", name), Profile(name), cancellationToken);
        return IamInstanceProfile.From(result.Child("InstanceProfile") ?? throw Missing("GetInstanceProfile", "InstanceProfile"));
    }

    public Task<IReadOnlyList<IamInstanceProfile>> ListInstanceProfilesAsync(string pathPrefix = "/", CancellationToken cancellationToken = default) =>
        query.ListAsync(
            "ListInstanceProfiles", new QueryParameters().Add("PathPrefix", pathPrefix), $"instance profiles under {pathPrefix}",
            QueryPaging.Iam, result => result.Members("InstanceProfiles").Select(IamInstanceProfile.From), cancellationToken);

    public Task AddRoleToInstanceProfileAsync(string profileName, string roleName, CancellationToken cancellationToken = default) =>
        query.SendAsync(
            "AddRoleToInstanceProfile",
            new QueryParameters().Add("InstanceProfileName", profileName).Add("RoleName", roleName),
            $"{Profile(profileName)} and {Role(roleName)}", cancellationToken);

    public Task RemoveRoleFromInstanceProfileAsync(string profileName, string roleName, CancellationToken cancellationToken = default) =>
        query.SendAsync(
            "RemoveRoleFromInstanceProfile",
            new QueryParameters().Add("InstanceProfileName", profileName).Add("RoleName", roleName),
            $"{Profile(profileName)} and {Role(roleName)}", cancellationToken);

    /// <summary>IAM refuses while the profile still carries a role: remove it first.</summary>
    public Task DeleteInstanceProfileAsync(string name, CancellationToken cancellationToken = default) =>
        query.SendAsync(
            "DeleteInstanceProfile", new QueryParameters().Add("InstanceProfileName", name), Profile(name), cancellationToken);

    private static string Role(string name) => $"role {name}";
    private static string Profile(string name) => $"instance profile {name}";
    private static string RolePolicy(string roleName, string policyName) => $"inline policy {policyName} of role {roleName}";

    private static InvalidDataException Missing(string action, string element) =>
        new($"The IAM {action} response has no <{element}>; the service answered in a shape Kubes does not know.");
}
