using Amazon.EC2;
using Amazon.EC2.Model;
using Kubes.Controller.Aws.Resources;
using Kubes.Controller.Reconciler;

namespace Kubes.Controller.Aws.Handlers;

internal sealed class RouteTableHandler(IAmazonEC2 ec2, string cluster) : IResourceHandler
{
    private const string DefaultRoute = "0.0.0.0/0";

    public string Type => "route-table";
    public int DeleteOrder => 40;

    public async Task<IReadOnlyList<ActualResource>> FindAsync(CancellationToken ct)
    {
        var response = await ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { Filters = Ec2Tagging.ClusterFilter(cluster) }, ct);
        return [.. (response.RouteTables ?? []).Where(t => Ec2Tagging.TryKey(t.Tags, out _))
            .Select(t => { Ec2Tagging.TryKey(t.Tags, out var key); return new ActualResource(key, t.RouteTableId, t); })];
    }

    public IReadOnlyList<FieldChange> Diff(DesiredResource desired, ActualResource actual, IResolvedIds ids)
    {
        var want = (RouteTableResource)desired;
        var have = (RouteTable)actual.Native;
        var changes = new List<FieldChange>();
        var target = ids.TryGet(want.DefaultRouteTarget, out var id) ? id : want.DefaultRouteTarget.ToString();
        var route = (have.Routes ?? []).FirstOrDefault(r => r.DestinationCidrBlock == DefaultRoute);
        var current = route?.GatewayId ?? route?.NatGatewayId;
        if (current != target) changes.Add(new FieldChange($"route {DefaultRoute}", current, target));

        var associated = (have.Associations ?? []).Where(a => a.SubnetId is not null).Select(a => a.SubnetId).ToHashSet();
        foreach (var subnet in want.Subnets)
        {
            var subnetId = ids.TryGet(subnet, out var s) ? s : subnet.ToString();
            if (!associated.Remove(subnetId)) changes.Add(new FieldChange("association", null, subnetId));
        }
        changes.AddRange(associated.Select(extra => new FieldChange("association", extra, null)));
        return changes;
    }

    public async Task<ActualResource> CreateAsync(DesiredResource desired, IResolvedIds ids, CancellationToken ct)
    {
        var want = (RouteTableResource)desired;
        // A retried create adopts the table an interrupted attempt made, and completes its routes and associations.
        var table = (await ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { Filters = Ec2Tagging.KeyFilter(cluster, want.Key) }, ct))
                    .RouteTables?.FirstOrDefault(t => Ec2Tagging.HasKey(t.Tags, cluster, want.Key))
                    ?? (await ec2.CreateRouteTableAsync(new CreateRouteTableRequest
                    {
                        VpcId = ids.Require(want.Vpc),
                        TagSpecifications = Ec2Tagging.At(ResourceType.RouteTable, want.Tags),
                    }, ct)).RouteTable;
        await ApplyAsync(want, table.RouteTableId, Diff(want, new ActualResource(want.Key, table.RouteTableId, table), ids), ids, ct, table);
        return new ActualResource(want.Key, table.RouteTableId, table);
    }

    public Task UpdateAsync(DesiredResource desired, ActualResource actual, IReadOnlyList<FieldChange> changes, IResolvedIds ids,
        CancellationToken ct) => ApplyAsync((RouteTableResource)desired, actual.Id, changes, ids, ct, (RouteTable)actual.Native);

    private async Task ApplyAsync(RouteTableResource want, string tableId, IReadOnlyList<FieldChange> changes, IResolvedIds ids,
        CancellationToken ct, RouteTable? live = null)
    {
        foreach (var change in changes)
        {
            if (change.Field.StartsWith("route", StringComparison.Ordinal))
            {
                var target = ids.Require(want.DefaultRouteTarget);
                var isNat = want.DefaultRouteTarget.Type == "nat-gateway";
                if (change.From is not null)
                    await ec2.DeleteRouteAsync(new DeleteRouteRequest { RouteTableId = tableId, DestinationCidrBlock = DefaultRoute }, ct);
                await ec2.CreateRouteAsync(new CreateRouteRequest
                {
                    RouteTableId = tableId,
                    DestinationCidrBlock = DefaultRoute,
                    GatewayId = isNat ? null : target,
                    NatGatewayId = isNat ? target : null,
                }, ct);
            }
            else if (change.To is not null)
            {
                await ec2.AssociateRouteTableAsync(new AssociateRouteTableRequest { RouteTableId = tableId, SubnetId = change.To }, ct);
            }
            else
            {
                var association = live?.Associations?.FirstOrDefault(a => a.SubnetId == change.From);
                if (association is not null)
                    await ec2.DisassociateRouteTableAsync(new DisassociateRouteTableRequest
                        { AssociationId = association.RouteTableAssociationId }, ct);
            }
        }
    }

    public async Task DeleteAsync(ActualResource actual, CancellationToken ct)
    {
        foreach (var association in ((RouteTable)actual.Native).Associations ?? [])
        {
            if (association.Main == true) continue;
            await VpcHandler.IgnoreNotFound(() => ec2.DisassociateRouteTableAsync(
                new DisassociateRouteTableRequest { AssociationId = association.RouteTableAssociationId }, ct));
        }
        await VpcHandler.IgnoreNotFound(() => ec2.DeleteRouteTableAsync(new DeleteRouteTableRequest { RouteTableId = actual.Id }, ct));
    }
}
