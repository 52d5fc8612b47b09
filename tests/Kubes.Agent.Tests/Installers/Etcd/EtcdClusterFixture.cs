using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using Kubes.Agent.Artifacts;
using Kubes.Agent.Configuration;
using Kubes.Agent.Installers.Etcd;
using Kubes.Agent.Pki;
using Kubes.Agent.Services;
using Kubes.Agent.Steps;
using Kubes.Agent.Tests.Support;
using Kubes.Protos.V1;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kubes.Agent.Tests.Installers.Etcd;

/// <summary>
/// Three etcd members, each with its own root folder and loopback address, installed by the real
/// EtcdInstaller from Debian's etcd packaged as a release tar.gz and served by a loopback mirror, with
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
        AgentPaths Paths, PkiFiles Pki, RoleConfig Config, ProcessServiceManager Services, EtcdInstaller Installer)
    {
        public EtcdLayout Layout => new(Config, Paths, Pki);

        public StepRunner Runner() => new(new StepJournal(Paths.JournalFile, TimeProvider.System), NullLogger<StepRunner>.Instance);
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
            var services = new ProcessServiceManager(paths, NullLogger<ProcessServiceManager>.Instance);
            var installer = new EtcdInstaller(paths, pki, new ArtifactFetcher(new HttpClient(), NullLogger<ArtifactFetcher>.Instance),
                services, new CommandRunner(), new EtcdHealthProbe(TimeProvider.System), DataVolumeTiming.Default,
                NullLogger<EtcdInstaller>.Instance);
            Members.Add(new Member(paths, pki, config, services, installer));
            await EnrollAsync(paths, pki, config);
        }

        await Task.WhenAll(Members.Select(m => m.Runner().RunAsync(m.Installer.PlanSteps(m.Config), _ => Task.CompletedTask, CancellationToken.None)));
        foreach (var member in Members)
        {
            await WaitHealthyAsync(member);
        }
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
        var enrollment = new CertificateEnrollment(new KeyStore(pki, NullLogger<KeyStore>.Instance), pki, TimeProvider.System,
            NullLogger<CertificateEnrollment>.Instance);
        await enrollment.EnrollAsync(config, config.Name, joined.AgentCredential, registrar.AsChannel(), CancellationToken.None);
    }

    public static async Task<Health> WaitHealthyAsync(Member member, Func<Health, bool>? until = null)
    {
        var probe = new EtcdHealthProbe(TimeProvider.System);
        Health health = new();
        for (var attempt = 0; attempt < 120; attempt++)
        {
            health = await probe.CheckAsync(member.Layout, CancellationToken.None);
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
