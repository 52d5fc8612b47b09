using Kubes.Controller.Pki;
using Kubes.Controller.Registrar;
using Kubes.Controller.Topology;
using Kubes.Protos.V1;

namespace Kubes.Bench.Serve;

/// <summary>
/// The product's role configs, with every certificate the issuance policy gives the slot added to the list the slot
/// is entitled to. On main, <see cref="TopologyRoleConfigSource"/> lists only etcd's member certificate (controllers
/// and nodes get theirs when their installers land), so without this a node agent would have nothing to certify.
/// </summary>
public sealed class PolicyRoleConfigSource(ClusterTopology topology, PolicyCertificateIssuer issuer) : IRoleConfigSource
{
    private readonly TopologyRoleConfigSource _product = new(topology);

    public RoleConfig For(InstanceSlot slot, VerifiedInstance instance)
    {
        var config = _product.For(slot, instance);
        var listed = config.Certificates.Select(c => c.Identity.Split('/')[0]).ToHashSet();
        foreach (var identity in issuer.IdentitiesOf(instance).Where(i => !listed.Contains(i.Kind.Slug())))
        {
            config.Certificates.Add(new CertificateRequestSpec
            {
                Identity = $"{identity.Kind.Slug()}/{slot.Index}",
                KeyAlgorithm = TopologyRoleConfigSource.KeyAlgorithmName(topology.Spec.Pki.KeyAlgorithm),
                FileStem = identity.FileStem,
            });
        }
        return config;
    }
}
