using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;

namespace Kubes.Controller.Operations.Kubeconfig;

/// <summary>A Kubernetes client's configuration for the admin credentials, in memory: nothing written to disk.</summary>
public static class AdminClientConfiguration
{
    public static KubernetesClientConfiguration For(AdminCredentials admin)
    {
        var ca = new X509Certificate2Collection();
        ca.ImportFromPem(admin.CaPem);
        return new KubernetesClientConfiguration
        {
            Host = admin.Server.AbsoluteUri.TrimEnd('/'),
            ClientCertificateData = Convert.ToBase64String(Encoding.UTF8.GetBytes(admin.CertificatePem)),
            ClientCertificateKeyData = Convert.ToBase64String(Encoding.UTF8.GetBytes(admin.PrivateKeyPem)),
            SslCaCerts = ca,
        };
    }
}
