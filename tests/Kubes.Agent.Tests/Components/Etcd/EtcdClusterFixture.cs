using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using Kubes.Agent.Artifacts;
using Kubes.Agent.Components.Etcd;
using Kubes.Agent.Configuration;
using Kubes.Agent.Pki;
using Kubes.Agent.Probes;
using Kubes.Agent.Processes;
using Kubes.Agent.Services;
using Kubes.Agent.Steps;
using Kubes.Agent.Tests.Support;
using Kubes.Protos.V1;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kubes.Agent.Tests.Components.Etcd;

/// <summary>
/// Three etcd members, each with its own root folder and loopback address, installed by the real
/// EtcdComponent from Debian's etcd packaged as a release tar.gz and served by a loopback mirror, with
/// certificates from a test CA issued for keys the agent made. Stopped and removed at the end.
/// </summary>
public sealed class EtcdClusterFixture : IAsyncLifetime
{
    public const int Size = 3;

    private readonly TempRoot _work = new("kubes-etcd-cluster-");
    private LoopbackHttpServer? _mirror;

    public TestCertificateAuthority Ca { get; } = new("etcd CA");
    public IPAddress[] Addresses { get; } = FreePort.LoopbackAddresses(Size);
    public int ClientPort { get; private set; }
    public int PeerPort { get; private set; }
    public List<Member> Members { get; } = [];
    public Artifact EtcdArtifact { get; private set; } = null!;

    public sealed record Member(
        AgentPaths Paths, PkiFiles Pki, RoleConfig Config, ProcessServiceManager Services, EtcdComponent Component)
    {
        public EtcdLayout Layout => new(Config, Paths, Pki);

        public StepRunner Runner() => new(new StepJournal(Paths.JournalFile, TimeProvider.System), NullLogger<StepRunner>.Instance);

        /// <summary>Runs the member's steps again, as the agent does; the names of the steps that had to be applied.</summary>
        public async Task<IReadOnlyList<string>> RunStepsAgainAsync()
        {
            var applied = new List<string>();
            await Runner().RunAsync(Component.PlanSteps(Config), step =>
            {
                applied.Add(step.Name);
                return Task.CompletedTask;
            }, CancellationToken.None);
            return applied;
        }
    }

    public async Task InitializeAsync()
    {
        ClientPort = FreePort.On(Addresses);
        PeerPort = FreePort.On(Addresses);
        var archive = await PackageDebianEtcdAsync(_work.Join("etcd-v3.4-linux-amd64.tar.gz"));
        var bytes = await File.ReadAllBytesAsync(archive);
        _mirror = new LoopbackHttpServer(request => Task.FromResult(
            request.Url!.AbsolutePath == "/etcd-v3.4-linux-amd64.tar.gz" ? (200, bytes) : (404, Array.Empty<byte>())));
        EtcdArtifact = new Artifact
        {
            Name = "etcd",
            Version = "3.4",
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            // A mirror that is down, then one that serves it; upstream would come last.
            Urls = { $"http://127.0.0.1:{FreePort.OnLoopback()}/etcd.tar.gz", new Uri(_mirror.BaseAddress, "etcd-v3.4-linux-amd64.tar.gz").AbsoluteUri },
        };

        var token = "demo-" + Guid.NewGuid().ToString("N")[..8];
        for (var slot = 0; slot < Size; slot++)
        {
            var paths = new AgentPaths(_work.Join($"etcd-{slot}"));
            var pki = new PkiFiles(paths);
            var config = RoleConfigFor(slot, token);
            var services = new ProcessServiceManager(paths, new CommandRunner(), NullLogger<ProcessServiceManager>.Instance);
            Members.Add(new Member(paths, pki, config, services, Component(paths, services)));
            await EnrollAsync(paths, pki, config);
        }

        await Task.WhenAll(Members.Select(m => m.Runner().RunAsync(m.Component.PlanSteps(m.Config), _ => Task.CompletedTask, CancellationToken.None)));
        foreach (var member in Members)
        {
            await WaitHealthyAsync(member);
        }
    }

    /// <summary>The etcd component as the agent makes it, on this root and these services.</summary>
    public static EtcdComponent Component(AgentPaths paths, IServiceManager services)
    {
        var commands = new CommandRunner();
        var steps = new StepFactory(paths, new ArtifactFetcher(new HttpClient(), NullLogger<ArtifactFetcher>.Instance),
            services, commands, DataVolumeTiming.Default, NullLoggerFactory.Instance);
        return new EtcdComponent(paths, new PkiFiles(paths), steps, new EtcdHealthCheck(new HttpsHealthProbe()));
    }

    public RoleConfig RoleConfigFor(int slot, string token)
    {
        var config = new RoleConfig
        {
            Cluster = "demo", Role = Role.Etcd, Slot = slot, Name = $"etcd-{slot}", PrivateIp = Addresses[slot].ToString(),
            AvailabilityZone = $"zone-{slot}",
            Artifacts = { EtcdArtifact },
            Certificates = { new CertificateRequestSpec { Identity = $"etcd-member/etcd-{slot}", KeyAlgorithm = "ecdsa-p256", FileStem = "etcd-member" } },
            Etcd = new EtcdConfig
            {
                ClientPort = ClientPort, PeerPort = PeerPort, DataDir = "/data/etcd", MountPath = "/data", InitialClusterToken = token,
            },
        };
        for (var i = 0; i < Size; i++)
        {
            config.Etcd.Members.Add(new EtcdMember { Name = $"etcd-{i}", Slot = i, PrivateIp = Addresses[i].ToString() });
        }

        return config;
    }

    /// <summary>The agent's own enrollment: keys made under the member's root, CSRs signed by the test CA.</summary>
    private async Task EnrollAsync(AgentPaths paths, PkiFiles pki, RoleConfig config)
    {
        var registrar = new TestRegistrar(Ca, "t", _ => config.Clone());
        var joined = await registrar.Join(new JoinRequest { Identity = new InstanceIdentity { InstanceId = config.Name, JoinToken = "t" } });
        var enrollment = new CertificateEnrollment(new KeyStore(pki), pki, TimeProvider.System,
            NullLogger<CertificateEnrollment>.Instance);
        await enrollment.EnrollAsync(config, config.Name, joined.AgentCredential, registrar.AsChannel(), CancellationToken.None);
    }

    public static async Task<ComponentHealth> WaitHealthyAsync(Member member, Func<ComponentHealth, bool>? until = null)
    {
        ComponentHealth health = new();
        for (var attempt = 0; attempt < 120; attempt++)
        {
            health = await member.Component.CheckHealthAsync(member.Config, CancellationToken.None);
            if (health.Healthy && (until is null || until(health)))
            {
                return health;
            }

            await Task.Delay(500);
        }

        var log = Path.Join(member.Paths.LogDir, "etcd.log");
        throw new TimeoutException($"{member.Config.Name} did not become healthy: {health.Detail}\n" +
                                   (File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(20)) : "no log"));
    }

    /// <summary>Debian's etcd and etcdctl, laid out like an upstream release archive.</summary>
    private static async Task<string> PackageDebianEtcdAsync(string archive)
    {
        await using var file = File.Create(archive);
        await using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        await using var tar = new TarWriter(gzip, TarEntryFormat.Pax);
        foreach (var program in new[] { "etcd", "etcdctl" })
        {
            await tar.WriteEntryAsync($"/usr/bin/{program}", $"etcd-v3.4-linux-amd64/{program}");
        }

        return archive;
    }

    public async Task DisposeAsync()
    {
        foreach (var member in Members)
        {
            await member.Services.DisposeAsync();
        }

        if (_mirror is not null)
        {
            await _mirror.DisposeAsync();
        }

        Ca.Dispose();
        _work.Dispose();
    }
}
