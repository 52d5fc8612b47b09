using System.Xml.Linq;
using Kubes.Controller.Aws.Query;

namespace Kubes.Controller.Aws.LoadBalancing;

/// <summary>
/// The Elastic Load Balancing v2 calls Kubes makes (API 2015-12-01): a network load balancer in front of the
/// controllers, its TCP target group and listener, and their tags. Failures are <see cref="AwsServiceException"/>s;
/// a missing load balancer, target group or listener has <see cref="AwsServiceException.IsNotFound"/>.
/// </summary>
public sealed class LoadBalancingClient
{
    public const string ApiVersion = "2015-12-01";

    /// <summary>ELBv2 takes at most this many ARNs or names per describe or tag call.</summary>
    public const int MaxResourcesPerCall = 20;

    private readonly QueryClient query;

    public LoadBalancingClient(AwsEnvironment environment, QueryClientOptions? options = null) =>
        query = QueryClient.For(AwsService.ElasticLoadBalancingV2, ApiVersion, environment, options);

    public async Task<LoadBalancer> CreateLoadBalancerAsync(CreateLoadBalancerRequest request, CancellationToken cancellationToken = default)
    {
        var parameters = new QueryParameters()
            .Add("Name", request.Name)
            .Add("Type", "network")
            .Add("Scheme", request.Scheme == LoadBalancerScheme.Internal ? "internal" : "internet-facing")
            .Add("IpAddressType", "ipv4")
            .AddList("Subnets", request.SubnetIds)
            .AddList("SecurityGroups", request.SecurityGroupIds)
            .AddTags("Tags", request.Tags);
        var result = await query.SendAsync("CreateLoadBalancer", parameters, LoadBalancerNamed(request.Name), cancellationToken);
        return LoadBalancer.From(result.Members("LoadBalancers").FirstOrDefault() ?? throw Missing("CreateLoadBalancer", "LoadBalancers"));
    }

    /// <summary>
    /// The load balancers with these names or ARNs, or all of them when neither is given; every page.
    /// A name or ARN that does not exist fails the call with <c>LoadBalancerNotFound</c>.
    /// </summary>
    public Task<IReadOnlyList<LoadBalancer>> DescribeLoadBalancersAsync(
        IEnumerable<string>? names = null, IEnumerable<string>? arns = null, CancellationToken cancellationToken = default) =>
        DescribeInBatchesAsync(
            "DescribeLoadBalancers", "load balancers", names, "Names", arns, "LoadBalancerArns", new QueryParameters(),
            result => result.Members("LoadBalancers").Select(LoadBalancer.From), cancellationToken);

    /// <summary>Deleting a load balancer deletes its listeners; deleting one that is gone succeeds.</summary>
    public Task DeleteLoadBalancerAsync(string arn, CancellationToken cancellationToken = default) =>
        query.SendAsync("DeleteLoadBalancer", new QueryParameters().Add("LoadBalancerArn", arn), LoadBalancerArn(arn), cancellationToken);

    public async Task<TargetGroup> CreateTargetGroupAsync(CreateTargetGroupRequest request, CancellationToken cancellationToken = default)
    {
        var health = request.HealthCheck;
        var parameters = new QueryParameters()
            .Add("Name", request.Name)
            .Add("Protocol", request.Protocol)
            .Add("Port", request.Port)
            .Add("VpcId", request.VpcId)
            .Add("TargetType", request.TargetType == TargetType.Ip ? "ip" : "instance")
            .Add("HealthCheckEnabled", true)
            .Add("HealthCheckProtocol", health.Protocol)
            .AddOptional("HealthCheckPort", health.Port)
            .AddOptional("HealthCheckPath", health.Path)
            .Add("HealthCheckIntervalSeconds", health.IntervalSeconds)
            .Add("HealthyThresholdCount", health.HealthyThreshold)
            .Add("UnhealthyThresholdCount", health.UnhealthyThreshold)
            .AddTags("Tags", request.Tags);
        var result = await query.SendAsync("CreateTargetGroup", parameters, $"target group {request.Name}", cancellationToken);
        return TargetGroup.From(result.Members("TargetGroups").FirstOrDefault() ?? throw Missing("CreateTargetGroup", "TargetGroups"));
    }

    /// <summary>
    /// The target groups with these names or ARNs, or those of <paramref name="loadBalancerArn"/>, or all; every page.
    /// A name or ARN that does not exist fails the call with <c>TargetGroupNotFound</c>.
    /// </summary>
    public Task<IReadOnlyList<TargetGroup>> DescribeTargetGroupsAsync(
        IEnumerable<string>? names = null, IEnumerable<string>? arns = null, string? loadBalancerArn = null,
        CancellationToken cancellationToken = default) =>
        DescribeInBatchesAsync(
            "DescribeTargetGroups", "target groups", names, "Names", arns, "TargetGroupArns",
            new QueryParameters().AddOptional("LoadBalancerArn", loadBalancerArn),
            result => result.Members("TargetGroups").Select(TargetGroup.From), cancellationToken);

    /// <summary>ELBv2 refuses while a listener still forwards to the group: delete the listener first.</summary>
    public Task DeleteTargetGroupAsync(string arn, CancellationToken cancellationToken = default) =>
        query.SendAsync("DeleteTargetGroup", new QueryParameters().Add("TargetGroupArn", arn), TargetGroupArn(arn), cancellationToken);

    public Task RegisterTargetsAsync(string targetGroupArn, IEnumerable<Target> targets, CancellationToken cancellationToken = default) =>
        query.SendAsync("RegisterTargets", TargetsOf(targetGroupArn, targets), TargetGroupArn(targetGroupArn), cancellationToken);

    public Task DeregisterTargetsAsync(string targetGroupArn, IEnumerable<Target> targets, CancellationToken cancellationToken = default) =>
        query.SendAsync("DeregisterTargets", TargetsOf(targetGroupArn, targets), TargetGroupArn(targetGroupArn), cancellationToken);

    /// <summary>The health of every registered target of the group.</summary>
    public async Task<IReadOnlyList<TargetHealth>> DescribeTargetHealthAsync(string targetGroupArn, CancellationToken cancellationToken = default)
    {
        var result = await query.SendAsync(
            "DescribeTargetHealth", new QueryParameters().Add("TargetGroupArn", targetGroupArn), TargetGroupArn(targetGroupArn), cancellationToken);
        return [.. result.Members("TargetHealthDescriptions").Select(TargetHealth.From)];
    }

    /// <summary>A listener on <paramref name="port"/> that forwards everything to <paramref name="targetGroupArn"/>.</summary>
    public async Task<Listener> CreateListenerAsync(
        string loadBalancerArn, int port, string targetGroupArn, string protocol = "TCP", CancellationToken cancellationToken = default)
    {
        var parameters = new QueryParameters()
            .Add("LoadBalancerArn", loadBalancerArn)
            .Add("Protocol", protocol)
            .Add("Port", port)
            .AddMembers("DefaultActions", [targetGroupArn], (fields, group) => fields.Add("Type", "forward").Add("TargetGroupArn", group));
        var result = await query.SendAsync("CreateListener", parameters, $"listener on port {port} of {LoadBalancerArn(loadBalancerArn)}", cancellationToken);
        return Listener.From(result.Members("Listeners").FirstOrDefault() ?? throw Missing("CreateListener", "Listeners"));
    }

    /// <summary>The listeners of a load balancer; every page.</summary>
    public Task<IReadOnlyList<Listener>> DescribeListenersAsync(string loadBalancerArn, CancellationToken cancellationToken = default) =>
        query.ListAsync(
            "DescribeListeners", new QueryParameters().Add("LoadBalancerArn", loadBalancerArn), LoadBalancerArn(loadBalancerArn),
            QueryPaging.ElasticLoadBalancingV2, result => result.Members("Listeners").Select(Listener.From), cancellationToken);

    public Task DeleteListenerAsync(string arn, CancellationToken cancellationToken = default) =>
        query.SendAsync("DeleteListener", new QueryParameters().Add("ListenerArn", arn), $"listener {arn}", cancellationToken);

    /// <summary>Adds (or overwrites) <paramref name="tags"/> on every resource, 20 resources per call.</summary>
    public async Task AddTagsAsync(IEnumerable<string> resourceArns, IReadOnlyList<AwsTag> tags, CancellationToken cancellationToken = default)
    {
        foreach (var batch in resourceArns.Chunk(MaxResourcesPerCall))
            await query.SendAsync(
                "AddTags", new QueryParameters().AddList("ResourceArns", batch).AddTags("Tags", tags),
                Resources(batch), cancellationToken);
    }

    /// <summary>The tags of every resource, 20 resources per call.</summary>
    public async Task<IReadOnlyList<ResourceTags>> DescribeTagsAsync(IEnumerable<string> resourceArns, CancellationToken cancellationToken = default)
    {
        var all = new List<ResourceTags>();
        foreach (var batch in resourceArns.Chunk(MaxResourcesPerCall))
        {
            var result = await query.SendAsync(
                "DescribeTags", new QueryParameters().AddList("ResourceArns", batch), Resources(batch), cancellationToken);
            all.AddRange(result.Members("TagDescriptions").Select(description =>
                new ResourceTags(description.RequiredText("ResourceArn"), description.Tags())));
        }
        return all;
    }

    // Names and ARNs are each limited per call; with neither, one paged listing of everything.
    private async Task<IReadOnlyList<T>> DescribeInBatchesAsync<T>(
        string action, string what, IEnumerable<string>? names, string namesParameter, IEnumerable<string>? arns,
        string arnsParameter, QueryParameters common, Func<XElement, IEnumerable<T>> read,
        CancellationToken cancellationToken)
    {
        var nameList = names?.ToList() ?? [];
        var arnList = arns?.ToList() ?? [];
        if (nameList.Count == 0 && arnList.Count == 0)
            return await query.ListAsync(action, common, what, QueryPaging.ElasticLoadBalancingV2, read, cancellationToken);

        var all = new List<T>();
        foreach (var batch in nameList.Chunk(MaxResourcesPerCall))
            all.AddRange(await query.ListAsync(
                action, common.Copy().AddList(namesParameter, batch), $"{what} {string.Join(", ", batch)}",
                QueryPaging.ElasticLoadBalancingV2, read, cancellationToken));
        foreach (var batch in arnList.Chunk(MaxResourcesPerCall))
            all.AddRange(await query.ListAsync(
                action, common.Copy().AddList(arnsParameter, batch), Resources(batch),
                QueryPaging.ElasticLoadBalancingV2, read, cancellationToken));
        return all;
    }

    private static QueryParameters TargetsOf(string targetGroupArn, IEnumerable<Target> targets) =>
        new QueryParameters()
            .Add("TargetGroupArn", targetGroupArn)
            .AddMembers("Targets", targets, (fields, target) => fields.Add("Id", target.Id).AddOptional("Port", target.Port));

    private static string LoadBalancerNamed(string name) => $"load balancer {name}";
    private static string LoadBalancerArn(string arn) => $"load balancer {arn}";
    private static string TargetGroupArn(string arn) => $"target group {arn}";
    private static string Resources(IReadOnlyCollection<string> arns) =>
        arns.Count == 1 ? arns.First() : $"{arns.Count} resources ({arns.First()} …)";

    private static InvalidDataException Missing(string action, string element) =>
        new($"The ELBv2 {action} response has no <{element}>; the service answered in a shape Kubes does not know.");
}
