namespace Kubes.Controller.Aws.AutoScaling;

/// <summary>A launch template by id and version (a number, <c>$Latest</c> or <c>$Default</c>).</summary>
public sealed record LaunchTemplateReference(string Id, string Version);
