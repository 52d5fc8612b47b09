using System.Text;
using Amazon.EC2;
using Amazon.EC2.Model;
using Kubes.Controller.Aws.AutoScaling;
using Kubes.Controller.Aws.Query;
using Kubes.Controller.Aws.Resources;
using Kubes.Controller.Reconciler;
using Kubes.Controller.Topology;
using LaunchTemplate = Amazon.EC2.Model.LaunchTemplate;
using Kubes.Controller.Bootstrap;

namespace Kubes.Controller.Aws.Handlers;

internal sealed class LaunchTemplateHandler(IAmazonEC2 ec2, string cluster, string imageId, IInstanceBootstrap bootstrap)
    : IResourceHandler
{
    public string Type => "launch-template";
    public int DeleteOrder => 30;

    public async Task<IReadOnlyList<ActualResource>> FindAsync(CancellationToken ct)
    {
        var response = await ec2.DescribeLaunchTemplatesAsync(new DescribeLaunchTemplatesRequest { Filters = Ec2Tagging.ClusterFilter(cluster) }, ct);
        return [.. (response.LaunchTemplates ?? []).Where(t => Ec2Tagging.TryKey(t.Tags, out _))
            .Select(t => { Ec2Tagging.TryKey(t.Tags, out var key); return new ActualResource(key, t.LaunchTemplateId, t); })];
    }

    public IReadOnlyList<FieldChange> Diff(DesiredResource desired, ActualResource actual, IResolvedIds ids) =>
        ((LaunchTemplate)actual.Native).LaunchTemplateName == ((LaunchTemplateResource)desired).TemplateName
            ? []
            : [new FieldChange("name", ((LaunchTemplate)actual.Native).LaunchTemplateName, ((LaunchTemplateResource)desired).TemplateName)];

    public async Task<ActualResource> CreateAsync(DesiredResource desired, IResolvedIds ids, CancellationToken ct)
    {
        var want = (LaunchTemplateResource)desired;
        var userData = await bootstrap.GroupUserDataAsync(want.Prototype.Role, ct);
        var template = (await ec2.CreateLaunchTemplateAsync(new CreateLaunchTemplateRequest
        {
            LaunchTemplateName = want.TemplateName,
            ClientToken = ClientTokens.For(cluster, want.Key),
            TagSpecifications = Ec2Tagging.At(ResourceType.LaunchTemplate, want.Tags),
            LaunchTemplateData = new RequestLaunchTemplateData
            {
                ImageId = imageId,
                InstanceType = want.Prototype.InstanceType,
                SecurityGroupIds = [ids.Require(want.SecurityGroup)],
                IamInstanceProfile = new LaunchTemplateIamInstanceProfileSpecificationRequest { Arn = ids.Require(want.InstanceProfile) },
                UserData = Convert.ToBase64String(Encoding.UTF8.GetBytes(userData)),
                MetadataOptions = new LaunchTemplateInstanceMetadataOptionsRequest
                {
                    HttpTokens = LaunchTemplateHttpTokensState.Required,
                    HttpPutResponseHopLimit = 1,
                    HttpEndpoint = LaunchTemplateInstanceMetadataEndpointState.Enabled,
                },
                BlockDeviceMappings =
                [
                    new LaunchTemplateBlockDeviceMappingRequest
                    {
                        DeviceName = "/dev/sda1",
                        Ebs = new LaunchTemplateEbsBlockDeviceRequest
                        {
                            VolumeSize = want.Prototype.RootVolumeSizeGiB, VolumeType = VolumeType.Gp3, Encrypted = true,
                            DeleteOnTermination = true,
                        },
                    },
                ],
                TagSpecifications =
                [
                    new LaunchTemplateTagSpecificationRequest
                    {
                        ResourceType = ResourceType.Instance,
                        Tags =
                        [
                            new Tag(ClusterTags.Cluster, cluster),
                            new Tag(ClusterTags.Role, want.Prototype.Role.TagValue()),
                            new Tag(ClusterTags.KubernetesOwnership(cluster), "owned"),
                            new Tag(ClusterTags.Name, $"{cluster}-{want.Prototype.Role.TagValue()}"),
                        ],
                    },
                ],
            },
        }, ct)).LaunchTemplate;
        return new ActualResource(want.Key, template.LaunchTemplateId, template);
    }

    public Task UpdateAsync(DesiredResource desired, ActualResource actual, IReadOnlyList<FieldChange> changes, IResolvedIds ids,
        CancellationToken ct) => throw new ImmutableFieldException(actual, changes);

    public Task DeleteAsync(ActualResource actual, CancellationToken ct) =>
        VpcHandler.IgnoreNotFound(() => ec2.DeleteLaunchTemplateAsync(new DeleteLaunchTemplateRequest { LaunchTemplateId = actual.Id }, ct));
}

/// <summary>Nodes as an Auto Scaling group: scale-out is changing the desired count.</summary>
internal sealed class AutoScalingGroupHandler(AutoScalingClient autoScaling, string cluster, AwsWaiter waiter) : IResourceHandler
{
    public string Type => "autoscaling-group";
    public int DeleteOrder => 10;

    public async Task<IReadOnlyList<ActualResource>> FindAsync(CancellationToken ct)
    {
        var tagged = await autoScaling.DescribeTagsAsync(ClusterTags.Cluster, cluster, ct);
        var names = tagged.Select(t => t.GroupName).Distinct().ToList();
        if (names.Count == 0) return [];
        var groups = await autoScaling.DescribeAutoScalingGroupsAsync(names, ct);
        return [.. groups.Where(g => g.Status is null)
            .Select(g => (Group: g, Key: g.Tags.FirstOrDefault(t => t.Key == ClusterTags.Resource)?.Value))
            .Where(g => ResourceKey.TryParse(g.Key, out _))
            .Select(g => new ActualResource(ResourceKey.Parse(g.Key!), g.Group.Name, g.Group))];
    }

    public IReadOnlyList<FieldChange> Diff(DesiredResource desired, ActualResource actual, IResolvedIds ids)
    {
        var want = (AutoScalingGroupResource)desired;
        var have = (AutoScalingGroup)actual.Native;
        var changes = new List<FieldChange>();
        if (have.MinSize != want.Min) changes.Add(new("min", $"{have.MinSize}", $"{want.Min}"));
        if (have.MaxSize != want.Max) changes.Add(new("max", $"{have.MaxSize}", $"{want.Max}"));
        if (have.DesiredCapacity != want.Desired) changes.Add(new("desired", $"{have.DesiredCapacity}", $"{want.Desired}"));
        return changes;
    }

    public async Task<ActualResource> CreateAsync(DesiredResource desired, IResolvedIds ids, CancellationToken ct)
    {
        var want = (AutoScalingGroupResource)desired;
        try
        {
            await autoScaling.CreateAutoScalingGroupAsync(new CreateAutoScalingGroupRequest(want.GroupName,
                new LaunchTemplateReference(ids.Require(want.LaunchTemplate), "$Latest"),
                [.. want.Subnets.Select(ids.Require)], want.Min, want.Max)
            {
                DesiredCapacity = want.Desired,
                Tags = [.. want.Tags.Select(t => new AutoScalingTag(t.Key, t.Value, PropagateAtLaunch: t.Key != ClusterTags.Resource))],
            }, ct);
        }
        catch (AwsServiceException e) when (e.Code == "AlreadyExists")
        {
            // An earlier run created it and was interrupted: the next plan compares its sizes.
        }
        var group = (await autoScaling.DescribeAutoScalingGroupsAsync([want.GroupName], ct)).Single();
        return new ActualResource(want.Key, group.Name, group);
    }

    public Task UpdateAsync(DesiredResource desired, ActualResource actual, IReadOnlyList<FieldChange> changes, IResolvedIds ids,
        CancellationToken ct)
    {
        var want = (AutoScalingGroupResource)desired;
        return autoScaling.UpdateAutoScalingGroupAsync(new UpdateAutoScalingGroupRequest(want.GroupName)
        {
            MinSize = want.Min,
            MaxSize = want.Max,
            DesiredCapacity = want.Desired,
        }, ct);
    }

    public async Task DeleteAsync(ActualResource actual, CancellationToken ct)
    {
        try
        {
            await autoScaling.DeleteAutoScalingGroupAsync(actual.Id, forceDelete: true, ct);
        }
        catch (AwsServiceException e) when (e.IsNotFound)
        {
            return;
        }
        await waiter.UntilAsync($"Auto Scaling group {actual.Id} and its instances to be deleted", async token =>
            (await autoScaling.DescribeAutoScalingGroupsAsync([actual.Id], token)).Count == 0, ct);
    }
}
