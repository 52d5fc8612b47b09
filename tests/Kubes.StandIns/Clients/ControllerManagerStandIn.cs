using Kubes.StandIns.Files;
using Kubes.StandIns.Flags;

namespace Kubes.StandIns.Clients;

/// <summary>The kube-controller-manager stand-in: every file checked, then <see cref="ClientComponentStandIn"/> on 10257.</summary>
public static class ControllerManagerStandIn
{
    public const string Name = "kube-controller-manager";

    public static readonly FileFlagRules Files = new()
    {
        Pairs =
        [
            new("tls-cert-file", "tls-private-key-file", Pem.ServerAuth),
            // Signing CAs (Kubes gives none: no CA key on an instance), checked for their key, not for a usage.
            new("cluster-signing-cert-file", "cluster-signing-key-file", null),
            new("cluster-signing-kube-apiserver-client-cert-file", "cluster-signing-kube-apiserver-client-key-file", null),
            new("cluster-signing-kubelet-client-cert-file", "cluster-signing-kubelet-client-key-file", null),
            new("cluster-signing-kubelet-serving-cert-file", "cluster-signing-kubelet-serving-key-file", null),
            new("cluster-signing-legacy-unknown-cert-file", "cluster-signing-legacy-unknown-key-file", null),
        ],
        CaBundles = ["client-ca-file", "requestheader-client-ca-file", "root-ca-file"],
        Kubeconfigs = ["kubeconfig", "authentication-kubeconfig", "authorization-kubeconfig"],
        PrivateKeys = ["service-account-private-key-file"],
        Directories = ["cert-dir", "flex-volume-plugin-dir"],
        Refused =
        [
            "allow-metric-labels-manifest", "cloud-config", "leader-migration-config", "pv-recycler-pod-template-filepath-hostpath",
            "pv-recycler-pod-template-filepath-nfs", "tls-sni-cert-key",
        ],
    };

    public static Task RunAsync(CommandLine line, CancellationToken cancellationToken)
    {
        var files = CheckedFiles.Open(line, Files);
        var kubeconfig = files.Kubeconfig("kubeconfig")
            ?? throw new StandInException("--kubeconfig is not given: the Kubes stand-in of kube-controller-manager needs the API server it names");
        return ClientComponentStandIn.RunAsync(Name, 10257, line, files, kubeconfig, cancellationToken);
    }
}
