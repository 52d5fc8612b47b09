using System.Xml.Linq;
using Kubes.Controller.Aws.Query;

namespace Kubes.Controller.Aws.Iam;

/// <summary>An IAM instance profile and the role it carries (IAM allows at most one).</summary>
public sealed record IamInstanceProfile(
    string Name, string Id, string Arn, string Path, DateTimeOffset? Created, IReadOnlyList<IamRole> Roles,
    IReadOnlyList<AwsTag> Tags)
{
    internal static IamInstanceProfile From(XElement profile) => new(
        profile.RequiredText("InstanceProfileName"),
        profile.RequiredText("InstanceProfileId"),
        profile.RequiredText("Arn"),
        profile.RequiredText("Path"),
        profile.Date("CreateDate"),
        [.. profile.Members("Roles").Select(IamRole.From)],
        profile.Tags());
}
