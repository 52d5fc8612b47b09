using Kubes.Controller.Artifacts;
using Kubes.Controller.Components.KubeApiServer;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Components;

/// <summary>
/// What components put into role configurations besides the spec: what the coordinator made and keeps in the state store
/// (the VPN's tls-crypt key and revocation list, the SSH user CA's public key, the Secret encryption keys) and what the
/// controllers sent it (their service-account public keys). A snapshot: the registrar asks its source for the current one
/// for every role configuration it builds, so a revocation reaches the bastion, and a new controller's key every
/// apiserver, at their next re-sync.
/// </summary>
/// <param name="SshUserCaPublicKey">OpenSSH public key line.</param>
public sealed record ClusterMaterial(string VpnTlsCryptKey, string VpnCrlPem, string SshUserCaPublicKey)
{
    /// <summary>Each controller slot's service-account public key (PEM), by slot name, as recorded when it sent it.</summary>
    public EquatableMap<string> ServiceAccountPublicKeys { get; init; } = EquatableMap<string>.Empty;

    /// <summary>The keys that encrypt Secrets at rest, the first one writing. Secret: only the kube_apiserver section carries them.</summary>
    public EquatableList<SecretEncryptionKey> SecretEncryptionKeys { get; init; } = EquatableList<SecretEncryptionKey>.Empty;

    /// <summary>
    /// The cluster's HA API endpoint as the provider holds it (the load balancer's DNS name on AWS, known once it exists;
    /// HAProxy's address locally): the apiserver's serving certificate names it. Null while it is not known.
    /// </summary>
    public ApiEndpoint? ApiEndpoint { get; init; }

    /// <summary>The manifests pinned and mirrored for the cluster (a pod network's), which the add-ons are rendered from.</summary>
    public EquatableList<PinnedManifest> Manifests { get; init; } = EquatableList<PinnedManifest>.Empty;

    /// <summary>
    /// Nothing: what a registrar gets that runs without a coordinator's state (registrar tests). The sections built from it
    /// are incomplete, and an agent refuses them (openvpn without its key, sshd without a user CA, kube-apiserver without an encryption key).
    /// </summary>
    public static readonly ClusterMaterial None = new("", "", "");
}
