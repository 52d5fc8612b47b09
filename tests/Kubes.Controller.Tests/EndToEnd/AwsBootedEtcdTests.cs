using Kubes.Controller.Aws.Resources;
using Kubes.Controller.Cli.Rendering;
using Kubes.Controller.Artifacts;
using Kubes.Controller.Local;
using Kubes.Controller.Local.Namespaces;
using Kubes.Controller.Networking;
using Kubes.Controller.Operations.Certs;
using Kubes.Controller.Operations.Up;
using Kubes.Controller.Providers;
using Kubes.Controller.Spec;
using Kubes.Controller.Tests.Artifacts;
using Kubes.Controller.Tests.Fixtures;
using Kubes.Controller.Tests.State;

namespace Kubes.Controller.Tests.EndToEnd;

/// <summary>
/// The AWS provider against the emulator, and the instances it launched there booted on this machine, each in a
/// network namespace of its own at its VPC address, from the user-data read back from the emulator. The agents
/// reach the coordinator through the S3 mailbox, with the credentials their instance profile gives them through
/// instance metadata — the same path as on AWS — and form the same TLS etcd tier.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class AwsBootedEtcdTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly int _octet = Random.Shared.Next(1, 255);

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Instances_launched_in_the_emulator_boot_in_namespaces_and_form_a_tls_etcd_cluster_through_the_mailbox()
    {
        var vpc = Cidr.Parse($"10.{_octet}.0.0/16");
        var bridge = vpc.AddressAt(1);
        var port = MotoServer.FreePort();
        var defaults = ClusterSpecDefaults.Aws($"boot{_octet}");
        var spec = defaults with
        {
            Image = "ami-1e749f67",
            Network = defaults.Network with { VpcCidr = vpc.ToString() },
            Bastion = defaults.Bastion with { Count = 0 },
            Controllers = defaults.Controllers with { Count = 1 },
            Nodes = defaults.Nodes with { Count = 1, Min = 1 },
            AgentChannel = AgentChannel.S3,
            Artifacts = new ArtifactsSpec { BaseUrl = HostReleaseImport.UnreachableSite },
        };
        using var output = new StringWriter();

        // The bridge first: the emulator listens on its address, which both this process and the namespaces reach.
        var endpoint = new Uri($"http://{bridge}:{port}/");
        using var emulator = EmulatorClients.At(endpoint);
        await using var booter = await Ec2InstanceBooter.StartAsync(emulator.Ec2,
            new Ec2BootOptions(spec.Name, Path.Join(_folder.Path, "booted"), vpc)
            {
                InstanceProfiles = emulator.InstanceProfiles,
                StopGrace = TimeSpan.FromSeconds(3),
            });
        await using var moto = await MotoServer.StartOnAsync(bridge.ToString(), port);

        using var session = await ClusterProviders.OpenAsync(spec, new ProviderOptions { AwsEnvironment = moto.Environment() }, CancellationToken.None);
        var launch = await new ClusterUp(session, new ConsoleUpProgress(output)).RunAsync(TimeSpan.Zero, CancellationToken.None);
        Assert.True(launch.Result.Succeeded, output.ToString());
        // The operator's import of the releases into the cluster's mirror: this machine's etcd, containerd, runc and CNI plugins.
        await HostReleaseImport.IntoAsync(session.Store, spec, Path.Join(_folder.Path, "etcd-release"), CancellationToken.None);

        var booted = await booter.BootClusterAsync(tags => tags.GetValueOrDefault(ClusterTags.Cluster) == spec.Name);
        Assert.Equal(session.Topology.Slots.Count, booted.Count);

        var (result, slots) = await new ClusterUp(session, new ConsoleUpProgress(output))
            .RunAsync(TimeSpan.FromMinutes(5), CancellationToken.None);
        Assert.True(result.Succeeded, output.ToString());
        var etcd = slots.Where(s => s.Role == "etcd").ToList();
        Assert.True(etcd.Count == 3 && etcd.All(s => s.IsReady), $"{output}\n{ConsoleLogs(booted)}");
        // Nothing provided kube-apiserver, the kubelet and the rest: each controller and node says so and what provides them,
        // and waits for them (a node with its container runtime running: see AwsAutoScalingNodesTests).
        Assert.All(slots.Where(s => s.Role is "controller" or "node"), s => Assert.True(s.IsFailed && s.Error!.Contains("'kubes artifacts import DIR'"),
            $"{s.Slot}: {s.Phase} {s.Error}\n{ConsoleLogs(booted)}"));

        var controller = booted.Single(b => b.Slot == "controller-0");
        var pki = Path.Join(controller.RootFolder, "etc", "kubes", "pki");
        var health = await EtcdCtl.RunAsync($"--endpoints=https://{session.Topology.FindSlot(Kubes.Controller.Topology.InstanceRole.Etcd, 0)!.PrivateIp}:2379",
            $"--cacert={pki}/apiserver-etcd-client-ca.crt", $"--cert={pki}/apiserver-etcd-client.crt",
            $"--key={pki}/apiserver-etcd-client.key", "endpoint", "health", "--cluster");
        Assert.True(health.ExitCode == 0, health.Output);
        Assert.Equal(3, health.Output.Split('\n').Count(l => l.Contains("is healthy")));

        // Every certificate the agents hold is in the issuance record in the state bucket, under the instance that holds it.
        var inventory = await ClusterCertificates.ReadAsync(session.Store, everyIssuance: false, DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.Equal(["etcd", "kubernetes", "front-proxy", "vpn"], inventory.Authorities.Select(a => a.Name));
        Assert.Equal(booted.Select(b => (b.InstanceId, b.Slot)).Order(), inventory.Certificates.Select(c => (c.Certificate.Holder, c.Certificate.Name)).Distinct().Order());
        // One X.509 certificate per etcd member, the controller's seven (the add-on manager's with the control plane's six),
        // the node's three; and an SSH host certificate for each instance that runs sshd (the etcd members: the controller
        // and node roles wait for their programs before they reach sshd).
        static bool IsSshHost(IssuedCertificateRow row) => row.Certificate.Identity.StartsWith("ssh-host/", StringComparison.Ordinal);
        Assert.Equal(3 + 7 + 3, inventory.Certificates.Count(row => !IsSshHost(row)));
        Assert.Equal(["ssh-host/etcd-0", "ssh-host/etcd-1", "ssh-host/etcd-2"],
            inventory.Certificates.Where(IsSshHost).Select(row => row.Certificate.Identity).Order());
        Assert.Equal(0, inventory.Flagged);
    }

    internal static string ConsoleLogs(IEnumerable<LocalInstance> instances) => string.Join("\n", instances.Select(i =>
        $"--- {i.Slot}\n" + (File.Exists(i.ConsoleLogPath) ? string.Join("\n", File.ReadLines(i.ConsoleLogPath).TakeLast(15)) : "(no console log)") +
        (File.Exists(Path.Join(i.RootFolder, "var", "log", "kubes-agent.log"))
            ? "\n" + string.Join("\n", File.ReadLines(Path.Join(i.RootFolder, "var", "log", "kubes-agent.log")).TakeLast(15))
            : "")));
}
