using Kubes.Controller.Components;
using Kubes.Controller.Pki;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Controller.Registrar;

/// <summary>
/// Role configurations derived from one cluster topology (one generation of the desired state). Every role gets its place (cluster, slot, name, zone,
/// address, Kubernetes version) and the certificates the issuance policy entitles it to; each component that runs on
/// the role adds its section and names the artifacts it downloads (<see cref="ClusterComponents"/>).
/// </summary>
public sealed class TopologyRoleConfigSource : IRoleConfigSource
{
    private readonly ClusterTopology _topology;
    private readonly IssuancePolicy _policy;
    private readonly Func<InstanceRole, IEnumerable<Artifact>> _artifacts;
    private readonly Func<ClusterMaterial> _material;

    /// <param name="artifacts">The artifacts offered to each role (URLs and SHA-256), asked afresh for every join so that
    /// presigned URLs are new; the role gets those its components name.</param>
    /// <param name="material">What the coordinator keeps for the components, asked for every configuration built (a
    /// revocation list changes while a coordinator runs); none gives <see cref="ClusterMaterial.None"/>.</param>
    public TopologyRoleConfigSource(ClusterTopology topology, Func<InstanceRole, IEnumerable<Artifact>>? artifacts = null,
        Func<ClusterMaterial>? material = null)
    {
        _topology = topology;
        _policy = new IssuancePolicy(topology);
        _artifacts = artifacts ?? (_ => []);
        _material = material ?? (() => ClusterMaterial.None);
    }

    public static string KeyAlgorithmName(KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.EcdsaP256 => KeyAlgorithms.EcdsaP256,
        KeyAlgorithm.Rsa2048 => KeyAlgorithms.Rsa2048,
        KeyAlgorithm.Rsa4096 => KeyAlgorithms.Rsa4096,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, null),
    };

    public Task<DesiredRole> ForAsync(VerifiedInstance instance, CancellationToken cancellationToken) =>
        Task.FromResult(For(instance.Slot, instance));

    public Task<string> DesiredConfigHashAsync(VerifiedInstance instance, CancellationToken cancellationToken) =>
        Task.FromResult(For(instance.Slot, instance).Config.ComputeConfigHash());

    /// <summary>One topology has one desired state: nothing to remember.</summary>
    public Task FirstJoinAsync(VerifiedInstance instance, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The configuration of an instance in <paramref name="slot"/> of this topology, and the certificates this
    /// topology's issuance policy makes for it.</summary>
    public DesiredRole For(InstanceSlot slot, VerifiedInstance instance) => For(slot, instance, _material());

    /// <summary>The configuration of an instance in <paramref name="slot"/> of this topology, with this material, and the
    /// certificates this topology's issuance policy makes for it.</summary>
    public DesiredRole For(InstanceSlot slot, VerifiedInstance instance, ClusterMaterial material)
    {
        var spec = _topology.Spec;
        var config = new RoleConfig
        {
            Cluster = spec.Name,
            Role = slot.Role.ToProto(),
            Slot = slot.Index,
            Name = instance.Name,
            AvailabilityZone = slot.Zone.Zone,
            PrivateIp = (slot.PrivateIp ?? instance.PrivateIp).ToString(),
            KubernetesVersion = spec.KubernetesVersion,
        };
        var components = ClusterComponents.On(slot.Role).ToList();
        var needed = components.SelectMany(component => component.Artifacts).ToHashSet(StringComparer.Ordinal);
        config.Artifacts.AddRange(_artifacts(slot.Role).Where(artifact => needed.Contains(artifact.Name)));
        var algorithm = KeyAlgorithmName(spec.Pki.KeyAlgorithm);
        var policy = material.ApiEndpoint is { } endpoint ? new IssuancePolicy(_topology, endpoint) : _policy;
        var identities = slot is { Role: InstanceRole.Node, PrivateIp: null }
            ? policy.ForNode(instance.Name, instance.PrivateIp)
            : policy.ForSlot(slot);
        config.Certificates.AddRange(identities.Select(identity => new CertificateRequestSpec
        {
            Identity = identity.Name,
            KeyAlgorithm = algorithm,
            FileStem = identity.FileStem,
            PolicyHash = identity.PolicyHash(algorithm),
        }));
        foreach (var component in components) component.Configure(config, slot, instance, _topology, material);
        return new DesiredRole(config, identities);
    }
}
