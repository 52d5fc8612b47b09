using System.Net;
using System.Runtime.Versioning;
using Kubes.Controller.Networking;

namespace Kubes.Controller.Local.Namespaces;

/// <summary>Where the instances of one cluster's VPC are booted on this machine.</summary>
[SupportedOSPlatform("linux")]
public sealed record Ec2BootOptions(string Cluster, string StateFolder, Cidr Vpc)
{
    /// <summary>The bridge's address, where the instances' metadata is served; default: the VPC's .1.</summary>
    public IPAddress? BridgeAddress { get; init; }

    public int MetadataPort { get; init; } = LocalMetadataService.DefaultPort;

    /// <summary>Where each instance's own instance-profile credentials come from (iam/security-credentials), as EC2 serves
    /// them to an instance with a profile; null serves none.</summary>
    public AssumedRoleCredentials? InstanceProfiles { get; init; }

    /// <summary>How long an instance's processes get after SIGTERM before SIGKILL.</summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromSeconds(10);
}
