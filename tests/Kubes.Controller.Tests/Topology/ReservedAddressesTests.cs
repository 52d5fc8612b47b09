using System.Net;
using CsCheck;
using Kubes.Controller.Networking;
using Kubes.Controller.Tests.Spec;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Tests.Topology;

public sealed class ReservedAddressesTests
{
    [Fact]
    public void They_are_the_vpcs_first_three_host_addresses_as_aws_reserves_them()
    {
        var reserved = ReservedAddresses.Of(Cidr.Parse("10.226.0.0/16"));

        Assert.Equal(
            (IPAddress.Parse("10.226.0.1"), IPAddress.Parse("10.226.0.2"), IPAddress.Parse("10.226.0.3")),
            (reserved.Router, reserved.Resolver, reserved.ApiEndpoint));
    }

    [Fact]
    public void No_slot_of_any_valid_spec_takes_a_reserved_address()
    {
        ClusterSpecGen.Valid.Sample(spec =>
        {
            var topology = ClusterTopology.From(spec);
            var reserved = topology.Reserved;
            IPAddress[] addresses = [reserved.Router, reserved.Resolver, reserved.ApiEndpoint];
            Assert.All(addresses, address => Assert.True(topology.VpcCidr.Contains(address)));
            Assert.DoesNotContain(topology.Slots, slot => slot.PrivateIp is { } ip && addresses.Contains(ip));
        }, iter: 500);
    }
}
