using Kubes.StandIns.Flags;

namespace Kubes.StandIns.Tests.Flags;

public sealed class CommandLineTests
{
    private static readonly KubernetesRelease V135 = new(1, 35, 7);

    private static CommandLine Parse(string component, params string[] args) => CommandLine.Parse(FlagTable.For(component, V135), args);

    [Theory]
    [InlineData("kube-apiserver", "--insecure-port=8080")]
    [InlineData("kube-controller-manager", "--address=127.0.0.1")]
    [InlineData("kube-scheduler", "--port=10251")]
    public void A_flag_the_component_of_the_minor_lacks_is_refused(string component, string flag)
    {
        var refused = Assert.Throws<StandInException>(() => Parse(component, "--v=2", flag));
        Assert.StartsWith($"unknown flag: {flag.Split('=')[0]} (the {component} flag list of Kubernetes 1.35", refused.Message);
    }

    [Fact]
    public void The_scheduler_of_1_35_lacks_the_flag_1_36_added()
    {
        const string flag = "--tls-curve-preferences=X25519";
        Assert.Throws<StandInException>(() => Parse("kube-scheduler", flag));
        var v136 = CommandLine.Parse(FlagTable.For("kube-scheduler", new KubernetesRelease(1, 36, 3)), [flag]);
        Assert.Equal("X25519", v136.Value("tls-curve-preferences"));
    }

    [Fact]
    public void A_minor_without_its_own_list_takes_the_newest_older_one_and_says_so()
    {
        var table = FlagTable.For("kube-apiserver", new KubernetesRelease(1, 36, 3));
        Assert.Equal("the kube-apiserver flag list of Kubernetes 1.35 (the stand-ins hold none of 1.36)", table.Source);
        Assert.Throws<StandInException>(() => FlagTable.For("kube-apiserver", new KubernetesRelease(1, 34, 0)));
    }

    [Fact]
    public void Values_are_read_as_pflag_reads_them()
    {
        var line = Parse("kube-apiserver", "--secure-port", "6443", "--profiling=false", "--allow-privileged", "-v=4",
            "--etcd-servers=https://a:2379,https://b:2379", "--etcd-servers=https://c:2379", "--bind-address=1.2.3.4", "--bind-address=5.6.7.8");
        Assert.Equal(6443, line.Int("secure-port", 0));
        Assert.False(line.IsTrue("profiling", byDefault: true));
        Assert.True(line.IsTrue("allow-privileged", byDefault: false));
        Assert.Equal("4", line.Value("v"));
        Assert.Equal(["https://a:2379", "https://b:2379", "https://c:2379"], line.Items("etcd-servers"));
        Assert.Equal("5.6.7.8", line.Value("bind-address"));
    }

    [Theory]
    [InlineData("--secure-port=six")]
    [InlineData("--profiling=yes")]
    [InlineData("--etcd-compaction-interval=5")]
    [InlineData("--goaway-chance=often")]
    public void A_value_of_the_wrong_type_is_refused(string flag)
    {
        var refused = Assert.Throws<StandInException>(() => Parse("kube-apiserver", flag));
        Assert.StartsWith($"invalid argument \"{flag.Split('=')[1]}\" for \"{flag.Split('=')[0]}\" flag", refused.Message);
    }

    [Theory]
    [InlineData("--profiling", "false")]
    [InlineData("extra")]
    [InlineData("--", "--v=2")]
    public void An_argument_that_is_not_a_flag_is_refused(params string[] args)
    {
        var refused = Assert.Throws<StandInException>(() => Parse("kube-apiserver", args));
        Assert.StartsWith("\"kube-apiserver\" does not take any arguments", refused.Message);
    }

    [Fact]
    public void Only_the_shorthands_h_and_v_exist_and_a_flag_needs_its_value()
    {
        Assert.Contains("unknown shorthand flag: 'x'", Assert.Throws<StandInException>(() => Parse("kube-scheduler", "-x")).Message);
        Assert.Equal("flag needs an argument: --secure-port", Assert.Throws<StandInException>(() => Parse("kube-scheduler", "--secure-port")).Message);
        Assert.True(Parse("kube-scheduler", "-h").IsTrue("help", byDefault: false));
    }

    [Fact]
    public void A_deprecated_flag_is_taken_and_remembered_for_the_warning()
    {
        var line = Parse("kube-scheduler", "--kubeconfig=/etc/kubes/scheduler.kubeconfig");
        Assert.Equal(["kubeconfig"], line.DeprecatedGiven);
    }
}
