using System.Net;
using System.Security.Cryptography.X509Certificates;
using Kubes.Controller.Spec;
using Kubes.Controller.State;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Registrar;

/// <summary>
/// What a process hosting the registrar (<c>kubes serve</c>, <c>kubes up</c>) takes from the parts
/// of kubes built elsewhere: the spec loader, the PKI and the cloud provider.
/// </summary>
public interface IRegistrarWiring
{
    /// <summary>Reads and validates the spec; on bad input writes every error to <paramref name="errors"/> and returns null.</summary>
    ClusterSpec? LoadSpec(string path, TextWriter errors);

    /// <summary>EC2 for the AWS provider, the local provider's own directory for --local.</summary>
    IInstanceDirectory InstanceDirectoryFor(ClusterSpec spec);

    /// <summary>The PKI's CSR signer under the cluster's issuance policy.</summary>
    Task<ICertificateIssuer> CertificateIssuerForAsync(ClusterTopology topology, IStateStore store,
        CancellationToken cancellationToken);

    /// <summary>The coordinator's TLS certificate (with its key) for the address the registrar listens on.</summary>
    Task<X509Certificate2> ServingCertificateForAsync(ClusterTopology topology, IStateStore store, IPEndPoint listen,
        CancellationToken cancellationToken);
}
