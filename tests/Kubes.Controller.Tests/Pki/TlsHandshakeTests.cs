using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Kubes.Controller.Pki;
using Kubes.Controller.Tests.Pki.Support;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Tests.Pki;

/// <summary>
/// Real mutual-TLS handshakes over loopback with the issued certificates: each server trusts exactly one CA for its
/// clients, as etcd (--trusted-ca-file), kube-apiserver (--client-ca-file, --requestheader-client-ca-file) and the
/// kubelet (--client-ca-file) do.
/// </summary>
public class TlsHandshakeTests(LocalPkiFixture cluster) : IClassFixture<LocalPkiFixture>
{
    private CertificateIdentity Identity(InstanceRole role, IdentityKind kind) =>
        cluster.Policy.ForSlot(cluster.Topology.FindSlot(role, 0)!).Single(i => i.Kind == kind);

    private CertificateIdentity EtcdMember => Identity(InstanceRole.Etcd, IdentityKind.EtcdMember);
    private CertificateIdentity ApiServer => Identity(InstanceRole.Controller, IdentityKind.ApiServerServing);

    [Fact]
    public async Task Etcd_accepts_the_apiservers_etcd_client_and_refuses_a_Kubernetes_CA_client() =>
        await AssertAdmitsOnly(EtcdMember, cluster.Pki.Etcd, "etcd-0.demo.kubes.internal",
            Identity(InstanceRole.Controller, IdentityKind.EtcdApiServerClient),
            "O=kubes:etcd-clients, CN=kube-apiserver-etcd-client",
            Identity(InstanceRole.Controller, IdentityKind.ApiServerKubeletClient));

    [Fact]
    public async Task Etcd_members_authenticate_each_other_with_their_member_certificates()
    {
        using var server = cluster.Issue(EtcdMember);
        var peer = cluster.Policy.ForSlot(cluster.Topology.FindSlot(InstanceRole.Etcd, 1)!).Single();

        var result = await Handshake(server, cluster.Pki.Etcd, "10.0.0.10", cluster.Issue(peer));

        Assert.Null(result.ServerError);
        Assert.Null(result.ClientError);
        Assert.Equal("CN=etcd-1", result.ClientSubject);
    }

    [Theory]
    [InlineData("api.demo.kubes.internal")]
    [InlineData("kubernetes.default.svc")]
    [InlineData("10.32.0.1")]
    [InlineData("127.0.0.1")]
    public async Task The_apiserver_accepts_Kubernetes_CA_clients_and_refuses_a_front_proxy_client_there(string host) =>
        await AssertAdmitsOnly(ApiServer, cluster.Pki.Kubernetes, host, cluster.Policy.ForAdmin(),
            "O=system:masters, CN=kubes-admin", Identity(InstanceRole.Controller, IdentityKind.FrontProxyClient));

    [Fact]
    public async Task The_front_proxy_CA_admits_only_the_front_proxy_client() =>
        await AssertAdmitsOnly(ApiServer, cluster.Pki.FrontProxy, "api.demo.kubes.internal",
            Identity(InstanceRole.Controller, IdentityKind.FrontProxyClient), "CN=front-proxy-client",
            cluster.Policy.ForAdmin());

    [Fact]
    public async Task The_kubelet_accepts_the_apiserver_and_its_serving_certificate_is_checked_by_name()
    {
        var node = cluster.Policy.ForSlot(cluster.Topology.FindSlot(InstanceRole.Node, 0)!);
        using var kubelet = cluster.Issue(node.Single(i => i.Kind == IdentityKind.KubeletServing));
        var apiserverClient = Identity(InstanceRole.Controller, IdentityKind.ApiServerKubeletClient);
        var nodeIp = cluster.Topology.FindSlot(InstanceRole.Node, 0)!.PrivateIp!.ToString();

        var accepted = await Handshake(kubelet, cluster.Pki.Kubernetes, nodeIp, cluster.Issue(apiserverClient));
        Assert.Null(accepted.ServerError);
        Assert.Null(accepted.ClientError);

        // The same certificate presented for another node's name is refused by the client.
        var otherName = await Handshake(kubelet, cluster.Pki.Kubernetes, "node-1", cluster.Issue(apiserverClient));
        Assert.IsAssignableFrom<AuthenticationException>(otherName.ClientError);
    }

    [Fact]
    public async Task A_client_only_certificate_cannot_serve()
    {
        var kubeProxy = cluster.Policy.ForSlot(cluster.Topology.FindSlot(InstanceRole.Node, 0)!)
            .Single(i => i.Kind == IdentityKind.KubeProxy);
        using var server = cluster.Issue(kubeProxy with { DnsNames = ["localhost"] });

        var result = await Handshake(server, cluster.Pki.Kubernetes, "localhost", cluster.Issue(cluster.Policy.ForAdmin()));

        Assert.IsAssignableFrom<AuthenticationException>(result.ClientError);
    }

    /// <summary>A server of <paramref name="server"/> that trusts <paramref name="clientCa"/> for its clients admits
    /// <paramref name="admitted"/> and refuses <paramref name="refused"/>, which another CA issued.</summary>
    private async Task AssertAdmitsOnly(CertificateIdentity server, CertificateAuthority clientCa, string host,
        CertificateIdentity admitted, string admittedSubject, CertificateIdentity refused)
    {
        Assert.NotEqual(clientCa.Kind, refused.Issuer);
        using var serverCertificate = cluster.Issue(server);

        var accepted = await Handshake(serverCertificate, clientCa, host, cluster.Issue(admitted));
        Assert.Null(accepted.ServerError);
        Assert.Null(accepted.ClientError);
        Assert.Equal(admittedSubject, accepted.ClientSubject);

        var refusal = await Handshake(serverCertificate, clientCa, host, cluster.Issue(refused));
        Assert.IsAssignableFrom<AuthenticationException>(refusal.ServerError);
    }

    private sealed record Outcome(Exception? ServerError, Exception? ClientError, string? ClientSubject);

    /// <summary>
    /// Server: presents <paramref name="serverCertificate"/>, requires a client certificate chaining to
    /// <paramref name="clientCa"/> (and only it) with clientAuth. Client: trusts the issuer of the server certificate
    /// only, checks serverAuth and the name <paramref name="host"/>.
    /// </summary>
    private async Task<Outcome> Handshake(X509Certificate2 serverCertificate, CertificateAuthority clientCa, string host,
        X509Certificate2 clientCertificate)
    {
        using var clientCertificateScope = clientCertificate;
        var serverCa = cluster.Pki.Authorities.Single(ca => ca.Certificate.SubjectName.RawData.AsSpan()
            .SequenceEqual(serverCertificate.IssuerName.RawData));
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        string? clientSubject = null;
        var serverTask = Task.Run(async () =>
        {
            using var accepted = await listener.AcceptTcpClientAsync(timeout.Token);
            await using var tls = new SslStream(accepted.GetStream());
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = serverCertificate,
                ClientCertificateRequired = true,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                CertificateChainPolicy = TrustOnly(clientCa, TlsUsageOids.ClientAuth),
                RemoteCertificateValidationCallback = (_, _, _, errors) => errors == SslPolicyErrors.None,
            }, timeout.Token);
            clientSubject = tls.RemoteCertificate?.Subject;
            var buffer = new byte[1];
            await tls.ReadExactlyAsync(buffer, timeout.Token);
            await tls.WriteAsync(buffer, timeout.Token);
        });

        Exception? clientError = null;
        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            await using var tls = new SslStream(tcp.GetStream());
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = host,
                ClientCertificates = [clientCertificate],
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                CertificateChainPolicy = TrustOnly(serverCa, TlsUsageOids.ServerAuth),
                RemoteCertificateValidationCallback = (_, _, _, errors) => errors == SslPolicyErrors.None,
            }, timeout.Token);
            await tls.WriteAsync(new byte[] { 42 }, timeout.Token);
            var echo = new byte[1];
            await tls.ReadExactlyAsync(echo, timeout.Token);
            Assert.Equal(42, echo[0]);
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            clientError = e;
        }

        Exception? serverError = null;
        try
        {
            await serverTask;
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            serverError = e;
        }
        return new Outcome(serverError, clientError, serverError is null ? clientSubject : null);
    }

    private static X509ChainPolicy TrustOnly(CertificateAuthority ca, string usageOid)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.Add(ca.Certificate);
        policy.ApplicationPolicy.Add(new Oid(usageOid));
        return policy;
    }
}

/// <summary>id-kp-serverAuth and id-kp-clientAuth (RFC 5280), written out here rather than taken from the product.</summary>
internal static class TlsUsageOids
{
    public const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    public const string ClientAuth = "1.3.6.1.5.5.7.3.2";
}
