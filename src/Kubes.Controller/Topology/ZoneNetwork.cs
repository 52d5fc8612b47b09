using Kubes.Controller.Networking;

namespace Kubes.Controller.Topology;

/// <summary>The two subnets of one availability zone.</summary>
public sealed record ZoneNetwork(int Index, string Zone, Cidr PublicSubnet, Cidr PrivateSubnet);
