using Kubes.StandIns.Configs;

namespace Kubes.StandIns.Tests.Configs;

public sealed class StrictConfigTests
{
    private static void Reads(string kind, string yaml) => StrictConfig.Parse("test", yaml, FieldSchema.For(kind));

    private static string Refused(string kind, string yaml) =>
        Assert.Throws<StandInException>(() => StrictConfig.Parse("test", yaml, FieldSchema.For(kind))).Message;

    private const string Scheduler = "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n";
    private const string Kubelet = "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n";

    [Fact]
    public void Field_names_are_case_sensitive()
    {
        Assert.Contains("unknown field \"ClientConnection\"", Refused("KubeSchedulerConfiguration", Scheduler + "ClientConnection: {kubeconfig: x}\n"));
    }

    [Fact]
    public void A_duplicate_key_is_refused()
    {
        Assert.Contains("not valid YAML", Refused("KubeSchedulerConfiguration", Scheduler + "parallelism: 4\nparallelism: 8\n"));
    }

    [Fact]
    public void A_type_the_list_does_not_expand_takes_any_fields_and_a_map_any_keys()
    {
        Reads("KubeSchedulerConfiguration", Scheduler + """
            profiles:
              - schedulerName: default-scheduler
                pluginConfig:
                  - name: NodeResourcesFit
                    args:
                      scoringStrategy: {type: MostAllocated}
            """);
        Reads("KubeletConfiguration", Kubelet + "evictionHard:\n  memory.available: 100Mi\n  nodefs.available: 10%\n");
    }

    [Fact]
    public void Nested_fields_are_checked_in_lists_of_objects()
    {
        var message = Refused("KubeletConfiguration", Kubelet + "authentication:\n  x509:\n    clientCaFile: /etc/ca.crt\n");
        Assert.Contains("unknown field \"authentication.x509.clientCaFile\" (line 5)", message);
    }

    [Theory]
    [InlineData("parallelism: \"16\"\n", "must be a int32")]
    [InlineData("parallelism: [16]\n", "must be a int32, not a list")]
    [InlineData("leaderElection: true\n", "must be a LeaderElectionConfiguration, not 'true'")]
    [InlineData("profiles: {schedulerName: x}\n", "must be a []KubeSchedulerProfile, not an object")]
    [InlineData("leaderElection: [true]\n", "must be a LeaderElectionConfiguration, not a list")]
    public void A_value_must_fit_its_fields_type(string field, string expected)
    {
        var message = Refused("KubeSchedulerConfiguration", Scheduler + field);
        Assert.Contains(expected, message);
    }

    [Fact]
    public void A_kubeconfig_may_leave_out_apiVersion_and_kind_but_not_give_other_ones()
    {
        var schema = FieldSchema.For("Config");
        StrictConfig.Parse("kubeconfig", "clusters: []\n", schema, typeMetaOptional: true);
        Assert.Throws<StandInException>(() => StrictConfig.Parse("kubeconfig", "apiVersion: v2\nkind: Config\n", schema, typeMetaOptional: true));
    }
}
