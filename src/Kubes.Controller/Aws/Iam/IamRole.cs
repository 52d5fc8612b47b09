using System.Xml.Linq;
using Kubes.Controller.Aws.Query;

namespace Kubes.Controller.Aws.Iam;

/// <summary>
/// An IAM role. <see cref="AssumeRolePolicyDocument"/> is the JSON, already URL-decoded. List calls return roles
/// without tags (IAM's ListRoles omits them): read them with <see cref="IamClient.ListRoleTagsAsync"/>.
/// </summary>
public sealed record IamRole(
    string Name, string Id, string Arn, string Path, DateTimeOffset? Created, string? AssumeRolePolicyDocument,
    string? Description, IReadOnlyList<AwsTag> Tags)
{
    internal static IamRole From(XElement role) => new(
        role.RequiredText("RoleName"),
        role.RequiredText("RoleId"),
        role.RequiredText("Arn"),
        role.RequiredText("Path"),
        role.Date("CreateDate"),
        role.Text("AssumeRolePolicyDocument") is { } document ? Uri.UnescapeDataString(document) : null,
        role.Text("Description"),
        role.Tags());
}
