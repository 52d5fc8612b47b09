using System.Net;
using System.Security.Cryptography.X509Certificates;
using Kubes.Controller.Registrar;
using Kubes.Controller.Spec;
using Kubes.Controller.State;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Tests.Registrar.Support;

/// <summary>
/// The parts <c>kubes serve</c> takes from elsewhere, as a test gives them: a fixed spec for one
/// path, the in-memory directory, the test issuer and a loopback serving certificate. Tests only.
/// </summary>
public sealed class TestRegistrarWiring(
    string specPath, ClusterSpec spec, IInstanceDirectory directory, ICertificateIssuer issuer, X509Certificate2 servingCertificate)
    : IRegistrarWiring
{
    public ClusterSpec? LoadSpec(string path, TextWriter errors)
    {
        if (path == specPath) return spec;
        errors.WriteLine($"error: {path}: no such file");
        return null;
    }

    public IInstanceDirectory InstanceDirectoryFor(ClusterSpec clusterSpec) => directory;

    public Task<ICertificateIssuer> CertificateIssuerForAsync(ClusterTopology topology, IStateStore store,
        CancellationToken cancellationToken) => Task.FromResult(issuer);

    public Task<X509Certificate2> ServingCertificateForAsync(ClusterTopology topology, IStateStore store, IPEndPoint listen,
        CancellationToken cancellationToken) => Task.FromResult(servingCertificate);
}
