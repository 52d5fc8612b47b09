using Kubes.Controller.Aws.Resources;
using Kubes.Controller.Bootstrap;
using Kubes.Controller.Reconciler;

namespace Kubes.Controller.Aws.Handlers;

/// <summary>One handler per AWS resource type of <see cref="AwsClusterModel"/>, sharing per-run inventories.</summary>
public static class AwsHandlers
{
    public static IReadOnlyList<IResourceHandler> For(AwsCloudClients clients, string cluster, StateStoreLocation state,
        string imageId, IInstanceBootstrap bootstrap, AwsWaiter? waiter = null)
    {
        waiter ??= AwsWaiter.Default;
        var groups = new SecurityGroupInventory(clients.Ec2, cluster);
        var compute = new ComputeInventory(clients.Ec2, cluster);
        var loadBalancers = new LoadBalancerInventory(clients.LoadBalancing, cluster);
        IResourceHandler[] handlers =
        [
            new StateBucketHandler(clients.S3, cluster, state.Bucket),
            new VpcHandler(clients.Ec2, cluster),
            new SubnetHandler(clients.Ec2, cluster),
            new InternetGatewayHandler(clients.Ec2, cluster),
            new ElasticIpHandler(clients.Ec2, cluster),
            new NatGatewayHandler(clients.Ec2, cluster, waiter),
            new RouteTableHandler(clients.Ec2, cluster),
            new SecurityGroupHandler(clients.Ec2, groups),
            new SecurityGroupRulesHandler(clients.Ec2, groups),
            new IamRoleHandler(clients.Iam, cluster),
            new InstanceProfileHandler(clients.Iam, cluster),
            new DataVolumeHandler(clients.Ec2, compute, waiter),
            new InstanceHandler(clients.Ec2, cluster, compute, imageId, bootstrap, waiter),
            new VolumeAttachmentHandler(clients.Ec2, compute, waiter),
            new LaunchTemplateHandler(clients.Ec2, cluster, imageId, bootstrap),
            new AutoScalingGroupHandler(clients.AutoScaling, cluster, waiter),
            new LoadBalancerHandler(clients.LoadBalancing, loadBalancers, waiter),
            new TargetGroupHandler(clients.LoadBalancing, loadBalancers),
            new ListenerHandler(clients.LoadBalancing, loadBalancers),
            new TargetRegistrationHandler(clients.LoadBalancing, loadBalancers),
        ];
        return [.. handlers.Select(h => new PermissionReportingHandler(h))];
    }
}
