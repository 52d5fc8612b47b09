using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Kubes.Agent.Tls;

/// <summary>
/// The HTTP handler every HTTPS client of the agent uses towards the cluster's own servers: the server's certificate judged
/// by <paramref name="validate"/> alone (a <see cref="PinnedRootValidator"/>: one CA, never the system's store), and the
/// client certificate presented when there is one.
/// </summary>
public static class PinnedTlsHandler
{
    public static SocketsHttpHandler Create(RemoteCertificateValidationCallback validate, X509Certificate2? client, TimeSpan connectTimeout)
    {
        var handler = new SocketsHttpHandler { ConnectTimeout = connectTimeout, SslOptions = { RemoteCertificateValidationCallback = validate } };
        if (client is not null) handler.SslOptions.ClientCertificates = new X509CertificateCollection { client };
        return handler;
    }
}
