using Kubes.Agent.ConfigFiles;

namespace Kubes.Agent.Components.KubeScheduler;

/// <summary>
/// What Kubes tells every kube-scheduler in its configuration file: its kubeconfig, leader election (one of the three
/// schedules at a time), no profiling. Its secure port, which the file cannot hold, is on its command line.
/// </summary>
public static class KubeSchedulerConfigFile
{
    public const string User = "system:kube-scheduler";

    public static KubeSchedulerConfiguration Build(KubeSchedulerLayout layout) => new()
    {
        ClientConnection = new SchedulerClientConnection(layout.KubeconfigFile),
        LeaderElection = new SchedulerLeaderElection(true),
        EnableProfiling = false,
        EnableContentionProfiling = false,
    };

    public static string Render(KubeSchedulerLayout layout) => ConfigFile.ToYaml(Build(layout), KubeSchedulerJsonContext.Default.KubeSchedulerConfiguration);

    public static string RenderKubeconfig(KubeSchedulerLayout layout) => ConfigFile.ToYaml(
        Kubeconfig.ForClientCertificate(layout.Config.Cluster, layout.ApiServer, layout.CaFile, User, layout.CertificateFile, layout.KeyFile),
        ConfigFileJsonContext.Default.Kubeconfig);
}
