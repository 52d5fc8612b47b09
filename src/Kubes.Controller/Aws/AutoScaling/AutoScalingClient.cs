using System.Xml.Linq;
using Kubes.Controller.Aws.Query;

namespace Kubes.Controller.Aws.AutoScaling;

/// <summary>
/// The Auto Scaling calls Kubes makes (API 2011-01-01) for scaled-out nodes. Failures are
/// <see cref="AwsServiceException"/>s; a missing group has <see cref="AwsServiceException.IsNotFound"/> (Auto Scaling
/// reports it as a <c>ValidationError</c>), except in <see cref="DescribeAutoScalingGroupsAsync"/>, which simply omits it.
/// </summary>
public sealed class AutoScalingClient
{
    public const string ApiVersion = "2011-01-01";

    private readonly QueryClient query;

    public AutoScalingClient(AwsEnvironment environment, QueryClientOptions? options = null) =>
        query = QueryClient.For(AwsService.AutoScaling, ApiVersion, environment, options);

    public Task CreateAutoScalingGroupAsync(CreateAutoScalingGroupRequest request, CancellationToken cancellationToken = default)
    {
        var parameters = new QueryParameters()
            .Add("AutoScalingGroupName", request.Name)
            .Add("LaunchTemplate.LaunchTemplateId", request.LaunchTemplate.Id)
            .Add("LaunchTemplate.Version", request.LaunchTemplate.Version)
            .Add("MinSize", request.MinSize)
            .Add("MaxSize", request.MaxSize)
            .AddOptional("DesiredCapacity", request.DesiredCapacity)
            .Add("VPCZoneIdentifier", string.Join(',', request.SubnetIds))
            .AddList("TargetGroupARNs", request.TargetGroupArns)
            .Add("HealthCheckType", request.HealthCheckType)
            .AddOptional("HealthCheckGracePeriod", request.HealthCheckGracePeriodSeconds)
            .AddMembers("Tags", request.Tags, (fields, tag) => fields
                .Add("ResourceId", request.Name)
                .Add("ResourceType", "auto-scaling-group")
                .Add("Key", tag.Key)
                .Add("Value", tag.Value)
                .Add("PropagateAtLaunch", tag.PropagateAtLaunch));
        return query.SendAsync("CreateAutoScalingGroup", parameters, Group(request.Name), cancellationToken);
    }

    /// <summary>The groups with these names (all groups when none are given), with their instances; every page. Missing names are left out.</summary>
    public Task<IReadOnlyList<AutoScalingGroup>> DescribeAutoScalingGroupsAsync(
        IEnumerable<string>? names = null, CancellationToken cancellationToken = default)
    {
        var nameList = names?.ToList() ?? [];
        return query.ListAsync(
            "DescribeAutoScalingGroups", new QueryParameters().AddList("AutoScalingGroupNames", nameList),
            nameList.Count == 0 ? "all Auto Scaling groups" : $"Auto Scaling groups {string.Join(", ", nameList)}",
            QueryPaging.AutoScaling, result => result.Members("AutoScalingGroups").Select(AutoScalingGroup.From), cancellationToken);
    }

    public Task UpdateAutoScalingGroupAsync(UpdateAutoScalingGroupRequest request, CancellationToken cancellationToken = default)
    {
        var parameters = new QueryParameters()
            .Add("AutoScalingGroupName", request.Name)
            .AddOptional("LaunchTemplate.LaunchTemplateId", request.LaunchTemplate?.Id)
            .AddOptional("LaunchTemplate.Version", request.LaunchTemplate?.Version)
            .AddOptional("MinSize", request.MinSize)
            .AddOptional("MaxSize", request.MaxSize)
            .AddOptional("DesiredCapacity", request.DesiredCapacity)
            .AddOptional("VPCZoneIdentifier", request.SubnetIds is { } subnets ? string.Join(',', subnets) : null);
        return query.SendAsync("UpdateAutoScalingGroup", parameters, Group(request.Name), cancellationToken);
    }

    public Task SetDesiredCapacityAsync(string name, int desiredCapacity, bool honorCooldown = false, CancellationToken cancellationToken = default) =>
        query.SendAsync(
            "SetDesiredCapacity",
            new QueryParameters().Add("AutoScalingGroupName", name).Add("DesiredCapacity", desiredCapacity).Add("HonorCooldown", honorCooldown),
            Group(name), cancellationToken);

    /// <summary>With <paramref name="forceDelete"/> AWS terminates the group's instances too, without waiting for them.</summary>
    public Task DeleteAutoScalingGroupAsync(string name, bool forceDelete = true, CancellationToken cancellationToken = default) =>
        query.SendAsync(
            "DeleteAutoScalingGroup", new QueryParameters().Add("AutoScalingGroupName", name).Add("ForceDelete", forceDelete),
            Group(name), cancellationToken);

    /// <summary>Every group tag with key <paramref name="key"/> (and value <paramref name="value"/> when given): finds a cluster's groups by tag.</summary>
    public Task<IReadOnlyList<AutoScalingGroupTag>> DescribeTagsAsync(string key, string? value = null, CancellationToken cancellationToken = default)
    {
        var filters = new List<(string Name, string Value)> { ("key", key) };
        if (value is not null) filters.Add(("value", value));
        var parameters = new QueryParameters().AddMembers(
            "Filters", filters, (fields, filter) => fields.Add("Name", filter.Name).AddList("Values", [filter.Value]));
        return query.ListAsync(
            "DescribeTags", parameters, value is null ? $"tags {key}" : $"tags {key}={value}", QueryPaging.AutoScaling,
            result => result.Members("Tags").Select(tag => new AutoScalingGroupTag(tag.RequiredText("ResourceId"), TagFrom(tag))),
            cancellationToken);
    }

    internal static AutoScalingTag TagFrom(XElement tag) =>
        new(tag.RequiredText("Key"), tag.Text("Value") ?? "", tag.Bool("PropagateAtLaunch") ?? false);

    private static string Group(string name) => $"Auto Scaling group {name}";
}
