namespace Kubes.Controller.Aws.Iam;

/// <summary>An inline policy of a role; <see cref="Document"/> is the JSON, already URL-decoded.</summary>
public sealed record IamRolePolicy(string RoleName, string PolicyName, string Document);
