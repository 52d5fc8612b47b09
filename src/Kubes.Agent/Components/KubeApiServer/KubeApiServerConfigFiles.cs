using Kubes.Agent.ConfigFiles;

namespace Kubes.Agent.Components.KubeApiServer;

/// <summary>
/// What kube-apiserver reads besides its flags: who may come in without credentials (only to the health endpoints), how
/// Secrets are encrypted at rest (secretbox with the cluster's keys, the first one writing; plain text still read, for
/// what was written before), and what its audit log records (never a Secret's or a token's body).
/// </summary>
public static class KubeApiServerConfigFiles
{
    /// <summary>What an anonymous request may reach: the health endpoints a load balancer and the agent probe.</summary>
    public static readonly IReadOnlyList<string> AnonymousPaths = ["/livez", "/readyz", "/healthz"];

    public static AuthenticationConfiguration Authentication() => new()
    {
        Anonymous = new AnonymousAuthentication(true, [.. AnonymousPaths.Select(path => new AnonymousCondition(path))]),
    };

    public static EncryptionConfiguration Encryption(KubeApiServerLayout layout) => new()
    {
        Resources =
        [
            new EncryptedResources(["secrets"],
            [
                new EncryptionProvider
                {
                    Secretbox = new SecretboxProvider([.. layout.ApiServer.EncryptionKeys.Select(key => new EncryptionKey(key.Name, key.Secret))]),
                },
                new EncryptionProvider { Identity = new IdentityProvider() },
            ]),
        ],
    };

    private static readonly string[] Writes = ["create", "update", "patch", "delete", "deletecollection"];

    public static AuditPolicy Audit() => new()
    {
        OmitStages = ["RequestReceived"],
        Rules =
        [
            // Probes, every few seconds from every load balancer and agent: noise.
            new AuditRule { Level = "None", NonResourceUrls = ["/healthz*", "/livez*", "/readyz*", "/version"] },
            new AuditRule { Level = "None", Resources = [new AuditGroupResources("", ["events"])] },
            new AuditRule { Level = "None", Resources = [new AuditGroupResources("coordination.k8s.io", ["leases"])], Verbs = ["get", "update"] },
            // Who touched a secret or asked for a token, never what it holds.
            new AuditRule
            {
                Level = "Metadata",
                Resources =
                [
                    new AuditGroupResources("", ["secrets", "configmaps", "serviceaccounts/token"]),
                    new AuditGroupResources("authentication.k8s.io", ["tokenreviews"]),
                ],
            },
            new AuditRule { Level = "Request", Verbs = Writes },
            new AuditRule { Level = "Metadata" },
        ],
    };

    public static string RenderAuthentication() => ConfigFile.ToYaml(Authentication(), KubeApiServerJsonContext.Default.AuthenticationConfiguration);

    public static string RenderEncryption(KubeApiServerLayout layout) =>
        ConfigFile.ToYaml(Encryption(layout), KubeApiServerJsonContext.Default.EncryptionConfiguration);

    public static string RenderAudit() => ConfigFile.ToYaml(Audit(), KubeApiServerJsonContext.Default.AuditPolicy);

    /// <summary>
    /// Every controller's service-account public key, the coordinator's list with this controller's own added while the
    /// coordinator has not recorded it yet (so the apiserver verifies its own tokens from its first start).
    /// </summary>
    public static string RenderServiceAccountPublicKeys(KubeApiServerLayout layout, string ownPublicKey)
    {
        var keys = layout.ApiServer.ServiceAccountPublicKeys.Select(Normalize).ToList();
        if (!keys.Contains(Normalize(ownPublicKey))) keys.Add(Normalize(ownPublicKey));
        return string.Concat(keys.Select(key => key + "\n"));
    }

    private static string Normalize(string pem) => pem.Replace("\r\n", "\n").Trim();
}
