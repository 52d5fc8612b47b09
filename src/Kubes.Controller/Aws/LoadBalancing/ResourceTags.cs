using Kubes.Controller.Aws.Query;

namespace Kubes.Controller.Aws.LoadBalancing;

/// <summary>The tags of one ELBv2 resource (load balancer, target group, listener).</summary>
public sealed record ResourceTags(string ResourceArn, IReadOnlyList<AwsTag> Tags);
