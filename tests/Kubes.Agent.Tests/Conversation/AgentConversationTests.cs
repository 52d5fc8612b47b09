using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Kubes.Agent.Components;
using Kubes.Agent.Configuration;
using Kubes.Agent.Conversation;
using Kubes.Agent.Retries;
using Kubes.Agent.Identity;
using Kubes.Agent.Tests.Identity;
using Kubes.Agent.Tests.Support;
using Kubes.Protos;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kubes.Agent.Tests.Conversation;

/// <summary>
/// The whole agent as its Program builds it, against a real gRPC coordinator on loopback and an IMDSv2
/// server: the conversation, its reports, and a restart that resumes without the burned join token.
/// </summary>
public sealed class AgentConversationTests : IAsyncLifetime
{
    private static readonly ConversationTiming Quick = new()
    {
        HealthInterval = TimeSpan.FromMilliseconds(500),
        ReadinessPoll = TimeSpan.FromMilliseconds(200),
        ReadinessTimeout = TimeSpan.FromMinutes(1),
        Unreachable = new Backoff(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(100)),
        AfterFailure = new Backoff(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(100)),
    };

    private readonly TempRoot _root = new();
    private readonly TestCertificateAuthority _ca = new("cluster CA");
    private readonly IPAddress _address = FreePort.LoopbackAddresses(1)[0];
    private Func<InstanceIdentity, RoleConfig> _roleConfig = null!;
    private TestRegistrar _registrar = null!;
    private GrpcTestServer _coordinator = null!;
    private LoopbackHttpServer _imds = null!;

    public async Task InitializeAsync()
    {
        _registrar = new TestRegistrar(_ca, "join-me", identity => _roleConfig(identity));
        _coordinator = await GrpcTestServer.StartAsync(_registrar, _ca.IssueServer(CoordinatorIdentity.CommonName, IPAddress.Loopback), _ca.Certificate);
        _imds = InstanceMetadataClientTests.Imds("i-0agent", _address.ToString(), "zone-a");
    }

    public async Task DisposeAsync()
    {
        await _imds.DisposeAsync();
        await _coordinator.DisposeAsync();
        _ca.Dispose();
        _root.Dispose();
    }

    private AgentConfig Config(string role, string token = "join-me") => new()
    {
        Cluster = "demo", Role = role, Slot = 0, JoinToken = token, Channel = "grpc",
        CoordinatorUrl = _coordinator.Address.ToString(),
        CoordinatorCaSha256 = CaFingerprint.Of(_ca.Certificate.RawData),
        CoordinatorCa = Convert.ToBase64String(_ca.Certificate.RawData),
        RootDir = _root.Path,
    };

    private IHost Agent(AgentConfig config, ConversationTiming? timing = null, Action<IServiceCollection>? replace = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddKubesAgent(config, timing ?? Quick);
        // The conversation with an etcd role of etcd alone: the SSH server etcd members also run has tests of its own.
        builder.Services.AddSingleton(sp => new RoleComponents(sp.GetServices<IComponent>(),
            new Dictionary<Role, IReadOnlyList<string>> { [Role.Etcd] = [ComponentNames.Etcd] }));
        // This instance's metadata service (the local provider gives each instance its own).
        builder.Services.AddSingleton(new InstanceMetadataClient(new HttpClient { BaseAddress = _imds.BaseAddress }));
        // The node role of an agent that has no installer for it: what every role without components is told.
        builder.Services.AddSingleton(sp => new RoleComponents(sp.GetServices<IComponent>(),
            new Dictionary<Role, IReadOnlyList<string>> { [Role.Etcd] = [ComponentNames.Etcd] }));
        replace?.Invoke(builder.Services);
        return builder.Build();
    }

    private async Task<AgentReport> WaitForReportAsync(Func<AgentReport, bool> match, int skip = 0)
    {
        for (var i = 0; i < 600; i++)
        {
            if (_registrar.Reports.Skip(skip).Select(r => r.Report).FirstOrDefault(match) is { } report)
            {
                return report;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("expected report did not arrive; got " +
                                   string.Join(", ", _registrar.Reports.Select(r => $"{r.Report.Phase}/{r.Report.Step}/{r.Report.Error}")));
    }

    private static RoleConfig NodeConfig(InstanceIdentity identity) => new()
    {
        Cluster = identity.Cluster, Role = Role.Node, Slot = identity.Slot, Name = "node-0", PrivateIp = identity.PrivateIp,
        Certificates = { new CertificateRequestSpec { Identity = "kubelet-client/node-0", KeyAlgorithm = "ecdsa-p256", FileStem = "kubelet-client" } },
    };

    [Fact]
    public async Task A_role_without_an_installer_joins_certifies_and_says_so_then_a_restart_resumes_without_joining()
    {
        _roleConfig = NodeConfig;
        using (var agent = Agent(Config("node")))
        {
            await agent.StartAsync();
            var report = await WaitForReportAsync(r => r.Phase == Phase.RoleNotInstallable);
            await agent.StopAsync();

            Assert.Contains("no installer for the Node role", report.Error);
        }

        // Then RoleNotInstallable again every health interval, so the coordinator's answers still reach it.
        Assert.Equal([Phase.Pending, Phase.Joining, Phase.Certifying, Phase.RoleNotInstallable],
            _registrar.Reports.Select(r => r.Report.Phase).Distinct());
        Assert.True(File.Exists(_root.Join("etc", "kubes", "pki", "kubelet-client.crt")));
        var reportsBefore = _registrar.Reports.Count;

        using (var restarted = Agent(Config("node", token: "already-burned")))
        {
            await restarted.StartAsync();
            await WaitForReportAsync(r => r.Phase == Phase.RoleNotInstallable, skip: reportsBefore);
            await restarted.StopAsync();
        }

        Assert.Equal(1, _registrar.JoinCount);
        Assert.Single(_registrar.CertifyRequests);
        Assert.DoesNotContain(_registrar.Reports.Skip(reportsBefore), r => r.Report.Phase == Phase.Joining);
    }

    [Fact]
    public async Task A_role_without_an_installer_renews_its_certificates_on_its_timer_and_reports_each_renewal()
    {
        _roleConfig = NodeConfig;
        _registrar.CertificateLifetime = TimeSpan.FromSeconds(6);
        using var agent = Agent(Config("node"));
        await agent.StartAsync();
        var first = await WaitForReportAsync(r => r.Phase == Phase.RoleNotInstallable);
        var renewed = await WaitForReportAsync(r => r.Step.StartsWith("renewed kubelet-client/node-0 until ", StringComparison.Ordinal));
        await agent.StopAsync();

        Assert.Equal(Phase.RoleNotInstallable, renewed.Phase);
        Assert.Contains("no installer for the Node role", renewed.Error);
        Assert.True(_registrar.CertifyRequests.Count >= 2);
        using var installed = X509Certificate2.CreateFromPem(File.ReadAllText(_root.Join("etc", "kubes", "pki", "kubelet-client.crt")));
        // The step names the new not-after; the certificate the agent then holds is that one or a later renewal.
        var notAfter = DateTimeOffset.Parse(renewed.Step["renewed kubelet-client/node-0 until ".Length..], CultureInfo.InvariantCulture);
        Assert.True(installed.NotAfter.ToUniversalTime() >= notAfter.UtcDateTime.AddSeconds(-1));
        Assert.True(notAfter > first.At.ToDateTimeOffset());
    }

    [Fact]
    public async Task An_etcd_member_renews_its_certificate_on_its_timer_and_serves_the_new_one_without_a_restart()
    {
        var (archive, sha256) = await EtcdArchiveAsync();
        _roleConfig = identity => SingleEtcd(identity, sha256, new Uri(archive).AbsoluteUri);
        _registrar.CertificateLifetime = TimeSpan.FromSeconds(20);
        var agent = Agent(Config("etcd"));
        await agent.StartAsync();
        await WaitForReportAsync(r => r.Phase == Phase.Ready);
        var pidFile = _root.Join("run", "kubes", "etcd.pid");
        var etcd = int.Parse(await File.ReadAllTextAsync(pidFile));
        using var before = ServedCertificate();

        var renewed = await WaitForReportAsync(r => r.Step.StartsWith("renewed etcd-member/etcd-0 until ", StringComparison.Ordinal));
        var reports = _registrar.Reports.Count;
        await WaitForReportAsync(r => r.Phase == Phase.Ready && r.Step == "health", skip: reports);
        using var installed = X509Certificate2.CreateFromPem(File.ReadAllText(_root.Join("etc", "kubes", "pki", "etcd-member.crt")));
        using var served = ServedCertificate();
        var sameProcess = int.Parse(await File.ReadAllTextAsync(pidFile));
        await agent.StopAsync();
        await ((IAsyncDisposable)agent).DisposeAsync();

        Assert.Equal(Phase.Ready, renewed.Phase);
        Assert.NotEqual(before.SerialNumber, served.SerialNumber);
        Assert.Equal(installed.SerialNumber, served.SerialNumber);
        Assert.Equal(etcd, sameProcess);
        Assert.DoesNotContain(_registrar.Reports, r => r.Report.Step == "start-etcd" && r.Report.At.ToDateTimeOffset() >= renewed.At.ToDateTimeOffset());
    }

    /// <summary>What etcd presents on its client port to a new TLS connection (with the member's own client certificate).</summary>
    private X509Certificate2 ServedCertificate() => Support.ServedCertificate.Of(_address, _etcdPorts.Client,
        _root.Join("etc", "kubes", "pki", "etcd-member.crt"), _root.Join("etc", "kubes", "pki", "etcd-member.key"));

    [Fact]
    public async Task A_role_without_an_installer_reports_the_configuration_it_took_and_is_told_the_same_asks_nothing()
    {
        _roleConfig = NodeConfig;
        _registrar.DesiredConfigHash = id => _registrar.ConfigOf(id).ConfigHash;
        using var agent = Agent(Config("node"));
        await agent.StartAsync();
        await WaitForReportAsync(r => r.Phase == Phase.RoleNotInstallable);
        var heartbeats = _registrar.Reports.Count;
        await WaitForReportAsync(r => r.Phase == Phase.RoleNotInstallable, skip: heartbeats + 3);
        await agent.StopAsync();

        Assert.Equal(0, _registrar.RejoinCount);
        Assert.All(_registrar.Reports.Select(r => r.Report).Where(r => r.Phase == Phase.RoleNotInstallable),
            report => Assert.Equal(_registrar.ConfigOf("i-0agent").ConfigHash, report.ConfigHash));
    }

    [Fact]
    public async Task A_refused_join_is_reported_failed_and_not_retried()
    {
        _roleConfig = NodeConfig;
        using var agent = Agent(Config("node", token: "forged"));
        await agent.StartAsync();
        var publisher = agent.Services.GetRequiredService<ReportPublisher>();
        for (var i = 0; i < 300 && publisher.Last?.Phase != Phase.Failed; i++)
        {
            await Task.Delay(100);
        }

        await Task.Delay(300);
        await agent.StopAsync();

        Assert.Equal(Phase.Failed, publisher.Last?.Phase);
        Assert.Contains("PermissionDenied", publisher.Last!.Error);
        Assert.Contains("will not retry", publisher.Last.Error);
        Assert.Equal(1, _registrar.JoinCount);
    }

    [Fact]
    public async Task An_etcd_instance_installs_a_single_member_and_reports_ready()
    {
        var (archive, sha256) = await EtcdArchiveAsync();
        _roleConfig = identity => SingleEtcd(identity, sha256, new Uri(archive).AbsoluteUri);

        var agent = Agent(Config("etcd"));
        await agent.StartAsync();
        var ready = await WaitForReportAsync(r => r.Phase == Phase.Ready);
        var etcd = int.Parse(await File.ReadAllTextAsync(_root.Join("run", "kubes", "etcd.pid")));
        await agent.StopAsync();
        await ((IAsyncDisposable)agent).DisposeAsync();

        Assert.True(ready.Health.Healthy, ready.Health.Detail);
        Assert.Contains($"https://{_address}:{_etcdPorts.Client}/health", ready.Health.Detail);
        var etcdHealth = Assert.Single(ready.Components);
        Assert.Equal(("etcd", true), (etcdHealth.Component, etcdHealth.Healthy));
        Assert.Contains("\"health\":\"true\"", etcdHealth.Detail);
        Assert.Equal(_registrar.ConfigOf("i-0agent").ConfigHash, ready.ConfigHash);
        Assert.All(_registrar.Reports.Select(r => r.Report).TakeWhile(r => r.Step != "health"), r => Assert.Empty(r.ConfigHash));
        var steps = _registrar.Reports.Select(r => (r.Report.Phase, r.Report.Step)).ToList();
        Assert.Equal(
        [
            (Phase.Pending, "start"), (Phase.Joining, "join"), (Phase.Certifying, "certify"), (Phase.Installing, "plan"),
            (Phase.Installing, "prepare-data-volume"), (Phase.Installing, "download-etcd"), (Phase.Installing, "install-etcd"),
            (Phase.Installing, "configure-etcd"), (Phase.Starting, "start-etcd"), (Phase.Starting, "health"),
        ], steps.TakeWhile(s => s.Phase != Phase.Ready && s.Phase != Phase.Degraded));
        Assert.False(Kubes.Agent.Services.Posix.IsAlive(etcd), "stopping the agent stops the etcd it supervises");
        Assert.False(File.Exists(_root.Join("run", "kubes", "etcd.pid")));
    }

    [Fact]
    public async Task Told_another_configuration_an_etcd_member_installs_what_changed_restarts_and_reports_ready_on_it()
    {
        var (archive, sha256) = await EtcdArchiveAsync();
        _roleConfig = identity => SingleEtcd(identity, sha256, new Uri(archive).AbsoluteUri);
        var agent = Agent(Config("etcd"));
        await agent.StartAsync();
        var first = await WaitForReportAsync(r => r.Phase == Phase.Ready);
        var before = int.Parse(await File.ReadAllTextAsync(_root.Join("run", "kubes", "etcd.pid")));
        var reportsBefore = _registrar.Reports.Count;

        // The coordinator now wants a flag more: its answers say so, and a re-join hands it out.
        _roleConfig = identity =>
        {
            var config = SingleEtcd(identity, sha256, new Uri(archive).AbsoluteUri);
            config.Etcd.ExtraArgs.Add(new Flag { Name = "snapshot-count", Value = "5000" });
            return config;
        };
        var wanted = _roleConfig(new InstanceIdentity { PrivateIp = _address.ToString() }).Sealed().ConfigHash;
        _registrar.DesiredConfigHash = _ => wanted;
        var ready = await WaitForReportAsync(r => r.Phase == Phase.Ready && r.ConfigHash == wanted, skip: reportsBefore);
        var after = int.Parse(await File.ReadAllTextAsync(_root.Join("run", "kubes", "etcd.pid")));
        var commandLine = (await File.ReadAllTextAsync($"/proc/{after}/cmdline")).Replace('\0', ' ');
        await agent.StopAsync();
        await ((IAsyncDisposable)agent).DisposeAsync();

        Assert.NotEqual(wanted, first.ConfigHash);
        Assert.True(ready.Health.Healthy, ready.Health.Detail);
        Assert.Equal(1, _registrar.RejoinCount);
        Assert.NotEqual(before, after);
        Assert.Contains("--snapshot-count=5000", commandLine);
        // The journal skipped what the new configuration did not change; the certificate was still current.
        var steps = _registrar.Reports.Skip(reportsBefore).Select(r => r.Report.Step).ToList();
        Assert.Contains("configure-etcd", steps);
        Assert.Contains("start-etcd", steps);
        Assert.DoesNotContain("download-etcd", steps);
        Assert.DoesNotContain("install-etcd", steps);
        Assert.DoesNotContain("prepare-data-volume", steps);
        Assert.Single(_registrar.CertifyRequests);
        Assert.All(_registrar.Reports.Skip(reportsBefore).Select(r => r.Report).TakeWhile(r => r.ConfigHash != wanted),
            report => Assert.Equal(first.ConfigHash, report.ConfigHash));
    }

    [Fact]
    public async Task An_artifact_digest_the_coordinator_no_longer_serves_is_replaced_by_a_fresh_role_configuration()
    {
        var (archive, sha256) = await EtcdArchiveAsync();
        // What the agent joined with: a file that has since been mirrored anew, with other bytes under another name.
        var stale = Convert.ToHexStringLower(SHA256.HashData("an earlier package"u8.ToArray()));
        var rejoined = false;
        _roleConfig = identity => rejoined
            ? SingleEtcd(identity, sha256, new Uri(archive).AbsoluteUri)
            : SingleEtcd(identity, stale, new Uri(_root.Join("mirror", stale, "etcd.tar.gz")).AbsoluteUri);
        _registrar.Rejoining = () => rejoined = true;

        var agent = Agent(Config("etcd"));
        await agent.StartAsync();
        var ready = await WaitForReportAsync(r => r.Phase == Phase.Ready);
        await agent.StopAsync();
        await ((IAsyncDisposable)agent).DisposeAsync();

        Assert.True(ready.Health.Healthy, ready.Health.Detail);
        Assert.Equal(1, _registrar.RejoinCount);
        var refresh = _registrar.Reports.Select(r => r.Report).Single(r => r.Step == "refresh");
        Assert.Contains(stale, refresh.Error);
        Assert.Contains("fresh role configuration", refresh.Error);
        Assert.DoesNotContain(_registrar.Reports, r => r.Report.Phase == Phase.Failed);
    }

    [Fact]
    public async Task A_fresh_role_configuration_naming_the_same_lost_file_is_reported_plainly()
    {
        var lost = Convert.ToHexStringLower(SHA256.HashData("pruned from the mirror"u8.ToArray()));
        _roleConfig = identity => SingleEtcd(identity, lost, new Uri(_root.Join("mirror", lost, "etcd.tar.gz")).AbsoluteUri);

        // The next attempt waits an hour: whatever re-joins happen before the Failed report belong to the first attempt.
        var agent = Agent(Config("etcd"), Quick with { AfterFailure = new Backoff(TimeSpan.FromHours(1), TimeSpan.FromHours(1)) });
        await agent.StartAsync();
        var failed = await WaitForReportAsync(r => r.Phase == Phase.Failed);
        var rejoinsOfFirstAttempt = _registrar.RejoinCount;
        await agent.StopAsync();
        await ((IAsyncDisposable)agent).DisposeAsync();

        // One fresh configuration per attempt, the next attempt only after the failure backoff: never a tight loop of
        // re-joins. (Counting Failed reports instead is not exact: the reporter coalesces reports it has not sent yet.)
        Assert.Equal(1, rejoinsOfFirstAttempt);
        Assert.Equal("download-etcd", failed.Step);
        Assert.Contains("no longer holds them; run 'kubes up' to mirror them again", failed.Error);
    }

    [Fact]
    public async Task A_program_the_coordinator_had_no_copy_of_is_installed_once_a_fresh_configuration_names_it()
    {
        var provided = false;
        _roleConfig = identity =>
        {
            var config = new RoleConfig { Cluster = "demo", Role = Role.Etcd, Slot = 0, Name = "etcd-0", PrivateIp = identity.PrivateIp,
                KubernetesVersion = "1.36.3" };
            if (provided) config.Artifacts.Add(new Artifact { Name = ArtifactNames.KubeScheduler, Version = "1.36.3", Sha256 = new string('a', 64) });
            return config;
        };
        using var agent = Agent(Config("etcd"), replace: services => services.AddSingleton(new RoleComponents([new NeedsScheduler()],
            new Dictionary<Role, IReadOnlyList<string>> { [Role.Etcd] = [ComponentNames.KubeScheduler] })));
        await agent.StartAsync();
        var failed = await WaitForReportAsync(r => r.Phase == Phase.Failed);
        // The operator imports the file and runs 'kubes up': the coordinator's configuration names it from then on.
        provided = true;
        var ready = await WaitForReportAsync(r => r.Phase == Phase.Ready);
        await agent.StopAsync();

        Assert.Contains("no 'kube-scheduler' artifact", failed.Error);
        Assert.Contains("'kubes artifacts import DIR'", failed.Error);
        Assert.Contains("retrying in", failed.Error);
        Assert.DoesNotContain(_registrar.Reports, r => r.Report.Error.Contains("will not retry"));
        Assert.True(ready.Health.Healthy, ready.Health.Detail);
        Assert.InRange(_registrar.RejoinCount, 1, int.MaxValue);
    }

    [Fact]
    public async Task A_failed_agent_takes_the_configuration_the_coordinator_names_without_waiting_out_its_backoff()
    {
        var provided = false;
        _roleConfig = identity => SchedulerRole(identity, provided);
        using var agent = Agent(Config("etcd"), Quick with { AfterFailure = new Backoff(TimeSpan.FromHours(1), TimeSpan.FromHours(1)) },
            replace: NeedsSchedulerOnly);
        await agent.StartAsync();
        var failed = await WaitForReportAsync(r => r.Phase == Phase.Failed);
        // Waiting out the hour, it repeats its report, so the coordinator's answer can reach it.
        await WaitForReportAsync(r => r.Phase == Phase.Failed, skip: _registrar.Reports.Count);

        // The operator imports the file and runs 'kubes up', which assigns the slot the generation naming it: the answers
        // to the agent's reports name that configuration from then on.
        provided = true;
        var wanted = SchedulerRole(new InstanceIdentity { PrivateIp = _address.ToString() }, provided: true).ComputeConfigHash();
        _registrar.DesiredConfigHash = _ => wanted;
        var ready = await WaitForReportAsync(r => r.Phase == Phase.Ready);
        await agent.StopAsync();

        // It would have waited longer than this test waits for Ready (the backoff of an hour, with jitter) had it not been told.
        var waiting = System.Text.RegularExpressions.Regex.Match(failed.Error, @"retrying in (\d+)s");
        Assert.True(waiting.Success, failed.Error);
        Assert.InRange(int.Parse(waiting.Groups[1].Value), 60, int.MaxValue);
        Assert.Equal(wanted, ready.ConfigHash);
        Assert.True(ready.Health.Healthy, ready.Health.Detail);
    }

    [Fact]
    public async Task A_coordinator_that_keeps_naming_a_configuration_it_does_not_give_cannot_make_a_failed_agent_retry_without_pause()
    {
        _roleConfig = identity => SchedulerRole(identity, provided: false);
        _registrar.DesiredConfigHash = _ => new string('b', 64);
        using var agent = Agent(Config("etcd"), Quick with { AfterFailure = new Backoff(TimeSpan.FromHours(1), TimeSpan.FromHours(1)) },
            replace: NeedsSchedulerOnly);
        await agent.StartAsync();
        // The first wait ends at the tell; the attempt after it asks for that configuration, gets the same one, and fails.
        await WaitForReportAsync(r => r.Phase == Phase.Failed);
        await WaitForReportAsync(r => r.Phase == Phase.Failed && r.Error.Contains("retrying in"), skip: _registrar.Reports.Count);
        var rejoins = _registrar.RejoinCount;
        await Task.Delay(Quick.HealthInterval * 6);
        var rejoinsLater = _registrar.RejoinCount;
        await agent.StopAsync();

        Assert.Equal(rejoins, rejoinsLater);
        Assert.InRange(rejoins, 1, 4);
    }

    private static RoleConfig SchedulerRole(InstanceIdentity identity, bool provided)
    {
        var config = new RoleConfig { Cluster = "demo", Role = Role.Etcd, Slot = 0, Name = "etcd-0", PrivateIp = identity.PrivateIp,
            KubernetesVersion = "1.36.3" };
        if (provided) config.Artifacts.Add(new Artifact { Name = ArtifactNames.KubeScheduler, Version = "1.36.3", Sha256 = new string('a', 64) });
        return config;
    }

    private static void NeedsSchedulerOnly(IServiceCollection services) =>
        services.AddSingleton(new RoleComponents([new NeedsScheduler()],
            new Dictionary<Role, IReadOnlyList<string>> { [Role.Etcd] = [ComponentNames.KubeScheduler] }));

    /// <summary>A component that installs nothing but cannot plan without its program, as the control plane's do.</summary>
    private sealed class NeedsScheduler : IComponent
    {
        public string Name => ComponentNames.KubeScheduler;

        public IReadOnlyList<Kubes.Agent.Steps.IInstallStep> PlanSteps(RoleConfig config)
        {
            _ = RequiredArtifact.Of(config, ArtifactNames.KubeScheduler, ComponentNames.KubeScheduler);
            return [];
        }

        public Task<ComponentHealth> CheckHealthAsync(RoleConfig config, CancellationToken cancellationToken) =>
            Task.FromResult(new ComponentHealth { Healthy = true, Detail = "ok" });
    }

    private (int Client, int Peer) _etcdPorts;

    private async Task<(string Path, string Sha256)> EtcdArchiveAsync()
    {
        var archive = _root.Join("etcd.tar.gz");
        await using (var file = File.Create(archive))
        await using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        await using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            await tar.WriteEntryAsync("/usr/bin/etcd", "etcd-v3.4-linux-amd64/etcd");
            await tar.WriteEntryAsync("/usr/bin/etcdctl", "etcd-v3.4-linux-amd64/etcdctl");
        }

        _etcdPorts = (FreePort.On(_address), FreePort.On(_address));
        return (archive, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(archive))));
    }

    private RoleConfig SingleEtcd(InstanceIdentity identity, string sha256, string url) => new()
    {
        Cluster = "demo", Role = Role.Etcd, Slot = 0, Name = "etcd-0", PrivateIp = identity.PrivateIp,
        Artifacts = { new Artifact { Name = "etcd", Version = "3.4", Sha256 = sha256, Urls = { url } } },
        Certificates = { new CertificateRequestSpec { Identity = "etcd-member/etcd-0", KeyAlgorithm = "ecdsa-p256", FileStem = "etcd-member" } },
        Etcd = new EtcdConfig
        {
            ClientPort = _etcdPorts.Client, PeerPort = _etcdPorts.Peer, InitialClusterToken = "t-" + _address,
            Members = { new EtcdMember { Name = "etcd-0", Slot = 0, PrivateIp = identity.PrivateIp } },
        },
    };
}
