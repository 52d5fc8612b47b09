using System.Net;
using Kubes.Controller.Components;
using Kubes.Controller.Pki.Vpn;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Pki;

/// <summary>
/// Which certificates each identity of the cluster gets, with exactly which names, usages and lifetime.
/// Names come from the topology (fixed slots) or from the verified instance (<see cref="ForNode"/>), never
/// from what a CSR asks for. Each component names its own identities (<see cref="IClusterComponent.IdentitiesFor"/>);
/// the policy gathers them, and holds those of the components that have no folder of their own yet.
/// </summary>
public sealed class IssuancePolicy
{
    public const string AdminCommonName = "kubes-admin";
    public const string CoordinatorCommonName = Kubes.Protos.CoordinatorIdentity.CommonName;

    /// <summary>How the plan names a node of an Auto Scaling group: the registrar issues its certificates for its verified
    /// instance id and private address, known only once it runs.</summary>
    public const string GroupNodeName = "<instance-id>";

    /// <summary>The in-cluster names of the kubernetes service, which every apiserver certificate must carry.</summary>
    public static readonly IReadOnlyList<string> KubernetesServiceNames =
        ["kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"];

    private readonly ClusterTopology topology;
    private readonly ApiEndpoint? apiEndpoint;
    private readonly LeafIdentities leaves;

    /// <param name="apiEndpoint">The cluster's HA API endpoint, which every apiserver serving certificate names (a DNS name
    /// or an IP SAN); null while it is not known (plan, before the load balancer exists).</param>
    public IssuancePolicy(ClusterTopology topology, ApiEndpoint? apiEndpoint = null)
    {
        this.topology = topology;
        this.apiEndpoint = apiEndpoint;
        if (topology.Spec.Pki.CertificateLifetime.Minutes <= 0)
            throw new ArgumentOutOfRangeException(nameof(topology), topology.Spec.Pki.CertificateLifetime,
                "pki.certificateLifetime must be positive");
        leaves = new LeafIdentities(topology, topology.Spec.Pki.CertificateLifetime.Value);
    }

    /// <summary>
    /// Every identity of the cluster, slot by slot, then the operator's admin certificate (for plan). A node slot
    /// without a fixed address (AWS: DHCP) is listed under its slot name with no IP SAN; the registrar issues it
    /// through <see cref="ForNode"/> with the verified instance's name and address. The coordinator's serving
    /// certificate depends on where it listens and is not listed (see <see cref="ForCoordinator"/>). The nodes of an
    /// Auto Scaling group are listed once, as <see cref="GroupNodeName"/> with no IP SAN.
    /// </summary>
    public IReadOnlyList<CertificateIdentity> All() =>
    [
        .. topology.Slots.SelectMany(slot => slot is { Role: InstanceRole.Node, PrivateIp: null }
            ? NodeIdentities(slot.Name, null)
            : ForSlot(slot)),
        .. topology.NodeGroup is null ? [] : NodeIdentities(GroupNodeName, null),
        ForAdmin(),
    ];

    /// <summary>What an instance in <paramref name="slot"/> requests. The bastion gets no cluster certificate.</summary>
    /// <exception cref="InvalidOperationException">A node slot without a fixed address: use <see cref="ForNode"/>.</exception>
    public IReadOnlyList<CertificateIdentity> ForSlot(InstanceSlot slot)
    {
        if (!topology.Slots.Contains(slot))
            throw new ArgumentException($"slot {slot.Name} is not part of cluster {topology.Spec.Name}", nameof(slot));
        return [.. ClusterComponents.On(slot.Role).SelectMany(component => component.IdentitiesFor(slot, leaves)), .. RoleIdentities(slot)];
    }

    /// <summary>The identities of the components that do not name their own yet (control plane, node).</summary>
    private IReadOnlyList<CertificateIdentity> RoleIdentities(InstanceSlot slot) => slot.Role switch
    {
        InstanceRole.Bastion or InstanceRole.Etcd => [],
        InstanceRole.Controller => ControllerIdentities(slot),
        InstanceRole.Node when slot.PrivateIp is { } ip => NodeIdentities(slot.Name, ip),
        InstanceRole.Node => throw new InvalidOperationException(
            $"node slot {slot.Name} has no fixed address (nodes on AWS get theirs from DHCP): call ForNode with "
            + "the verified instance's node name and private address"),
        _ => throw new ArgumentOutOfRangeException(nameof(slot), slot.Role, null),
    };

    /// <summary>A node's certificates, for a name and address taken from the verified instance.</summary>
    public IReadOnlyList<CertificateIdentity> ForNode(string nodeName, IPAddress ip)
    {
        DnsName.Require(nodeName, "node name");
        ArgumentNullException.ThrowIfNull(ip);
        return NodeIdentities(nodeName, ip);
    }

    /// <summary>
    /// The operator's cluster-admin client certificate (<c>kubes kubeconfig</c>), for <c>spec.pki.adminCertificateLifetime</c>.
    /// Made on the operator's machine; never handed to an instance.
    /// </summary>
    public CertificateIdentity ForAdmin() =>
        Identity(IdentityKind.Admin, AdminCommonName, CertificateAuthorityKind.Kubernetes, AdminCommonName,
            [KubernetesGroups.Masters], [], [], ExtendedKeyUsages.ClientAuth) with
        {
            Lifetime = topology.Spec.Pki.AdminCertificateLifetime.Value,
        };

    /// <summary>
    /// The client certificate of an operator's VPN profile (<c>kubes vpn profile NAME</c>): from the VPN CA, for clients
    /// only, named <c>vpn-client/NAME</c> with NAME as its common name, for the spec's profile lifetime. Made on the
    /// operator's machine; never handed to an instance.
    /// </summary>
    public CertificateIdentity ForVpnClient(string profileName)
    {
        VpnProfileNames.Require(profileName);
        var identity = Identity(IdentityKind.VpnClient, profileName, CertificateAuthorityKind.Vpn, profileName, [], [], [],
            ExtendedKeyUsages.ClientAuth);
        return identity with { Lifetime = topology.Spec.Bastion.Vpn.ProfileLifetime.Value };
    }

    /// <summary>The serving certificate of <c>kubes serve</c>, trusted by agents through the Kubernetes CA.</summary>
    public CertificateIdentity ForCoordinator(IEnumerable<IPAddress> ipAddresses, IEnumerable<string> dnsNames)
    {
        var ips = ipAddresses.Distinct().ToList();
        var names = dnsNames.Select(n => DnsName.Require(n, "coordinator DNS name")).Distinct().ToList();
        if (ips.Count == 0 && names.Count == 0)
            throw new ArgumentException("the coordinator's serving certificate needs at least one IP address or DNS name");
        return Identity(IdentityKind.CoordinatorServing, CoordinatorCommonName, CertificateAuthorityKind.Kubernetes,
            CoordinatorCommonName, [], names, ips, ExtendedKeyUsages.ServerAuth);
    }

    private IReadOnlyList<CertificateIdentity> ControllerIdentities(InstanceSlot slot)
    {
        IReadOnlyList<IPAddress> servingIps =
        [
            .. new[] { topology.KubernetesServiceIp }
                .Concat(topology.SlotsOf(InstanceRole.Controller).Select(LeafIdentities.FixedIpOf))
                .Concat(apiEndpoint?.Address is { } endpointIp ? [endpointIp] : [])
                .Append(IPAddress.Loopback)
                .Distinct(),
        ];
        IReadOnlyList<string> servingNames =
        [
            .. KubernetesServiceNames, topology.ApiEndpointName,
            .. apiEndpoint is { Address: null } named ? [DnsName.Require(named.Host, "API endpoint")] : Array.Empty<string>(),
            topology.FqdnOf(slot), "localhost",
        ];
        var name = slot.Name;
        return
        [
            Identity(IdentityKind.ApiServerServing, name, CertificateAuthorityKind.Kubernetes, "kube-apiserver", [],
                servingNames, servingIps, ExtendedKeyUsages.ServerAuth),
            Identity(IdentityKind.EtcdApiServerClient, name, CertificateAuthorityKind.Etcd,
                "kube-apiserver-etcd-client", [KubernetesGroups.EtcdClients], [], [], ExtendedKeyUsages.ClientAuth),
            Identity(IdentityKind.ApiServerKubeletClient, name, CertificateAuthorityKind.Kubernetes,
                "kube-apiserver-kubelet-client", [KubernetesGroups.ApiServerKubeletClients], [], [],
                ExtendedKeyUsages.ClientAuth),
            Identity(IdentityKind.FrontProxyClient, name, CertificateAuthorityKind.FrontProxy, "front-proxy-client",
                [], [], [], ExtendedKeyUsages.ClientAuth),
            Identity(IdentityKind.ControllerManager, name, CertificateAuthorityKind.Kubernetes,
                "system:kube-controller-manager", [], [], [], ExtendedKeyUsages.ClientAuth),
            Identity(IdentityKind.Scheduler, name, CertificateAuthorityKind.Kubernetes, "system:kube-scheduler", [],
                [], [], ExtendedKeyUsages.ClientAuth),
        ];
    }

    private IReadOnlyList<CertificateIdentity> NodeIdentities(string nodeName, IPAddress? ip)
    {
        var nodeUser = $"system:node:{nodeName}";
        return
        [
            Identity(IdentityKind.KubeletClient, nodeName, CertificateAuthorityKind.Kubernetes, nodeUser,
                [KubernetesGroups.Nodes], [], [], ExtendedKeyUsages.ClientAuth),
            // O system:nodes as the kubernetes.io/kubelet-serving signer requires, so a later switch to
            // kubelet-requested serving certificates keeps the same subject.
            Identity(IdentityKind.KubeletServing, nodeName, CertificateAuthorityKind.Kubernetes, nodeUser,
                [KubernetesGroups.Nodes], [nodeName], ip is null ? [] : [ip], ExtendedKeyUsages.ServerAuth),
            Identity(IdentityKind.KubeProxy, nodeName, CertificateAuthorityKind.Kubernetes, "system:kube-proxy",
                [KubernetesGroups.NodeProxier], [], [], ExtendedKeyUsages.ClientAuth),
        ];
    }

    private CertificateIdentity Identity(IdentityKind kind, string subject, CertificateAuthorityKind issuer,
        string commonName, IReadOnlyList<string> organizations, IReadOnlyList<string> dnsNames,
        IReadOnlyList<IPAddress> ipAddresses, ExtendedKeyUsages usages) =>
        leaves.Leaf(kind, subject, issuer, commonName, organizations, dnsNames, ipAddresses, usages);
}
