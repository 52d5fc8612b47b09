namespace Kubes.Agent.Components.Addons;

/// <summary>How the add-on manager and its health check reach this controller's apiserver: a new client each time, so that a
/// renewed client certificate is used from then on. Tests connect to a fake apiserver instead.</summary>
public sealed class AddonApiConnector(Func<AddonsLayout, KubeApiClient> connect)
{
    public static AddonApiConnector MutualTls { get; } = new(layout =>
        KubeApiClient.OverMutualTls(layout.ApiServer, layout.CertificateFile, layout.KeyFile, layout.CaFile));

    public KubeApiClient Connect(AddonsLayout layout) => connect(layout);
}
