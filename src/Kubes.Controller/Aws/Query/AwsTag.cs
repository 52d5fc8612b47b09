namespace Kubes.Controller.Aws.Query;

/// <summary>A resource tag as IAM, ELBv2 and Auto Scaling carry it (<c>Tags.member.N.Key/Value</c>).</summary>
public sealed record AwsTag(string Key, string Value);
