using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Kubes.Agent.Tests.Support;

/// <summary>What a TLS server presents to a new connection, as <c>openssl s_client</c> would show it.</summary>
public static class ServedCertificate
{
    /// <summary>Handshakes with the client certificate in the given PEM files (servers that require one see it) and returns the
    /// server's certificate, whatever its chain.</summary>
    public static X509Certificate2 Of(IPAddress address, int port, string clientCertificateFile, string clientKeyFile)
    {
        using var pem = X509Certificate2.CreateFromPemFile(clientCertificateFile, clientKeyFile);
        // Through PKCS#12 so that SslStream can use the key on Linux.
        using var client = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        using var tcp = new TcpClient();
        tcp.Connect(address, port);
        X509Certificate2? served = null;
        using var tls = new SslStream(tcp.GetStream(), false, (_, certificate, _, _) =>
        {
            served = X509CertificateLoader.LoadCertificate(certificate!.GetRawCertData());
            return true;
        });
        tls.AuthenticateAsClient(new SslClientAuthenticationOptions { TargetHost = address.ToString(), ClientCertificates = [client] });
        return served ?? throw new InvalidOperationException($"{address}:{port} presented no certificate");
    }
}
