using System.Security.Cryptography;
using Kubes.Agent.Channels;
using Kubes.Agent.Components;
using Kubes.Agent.Components.Sshd;
using Kubes.Agent.Configuration;
using Kubes.Agent.Conversation;
using Kubes.Agent.Processes;
using Kubes.Agent.Tests.Support;
using Kubes.Protos.Ssh;
using Kubes.Protos.V1;

namespace Kubes.Agent.Tests.Components.Sshd;

/// <summary>
/// The host certificate step on virtual time, with a host key ssh-keygen made and a certificate a test CA signed: current
/// for this key and these principals until its renewal time (two thirds to three quarters of its validity, jittered),
/// asked for again then, or at once when the names or the key changed; the coordinator's answer is installed only when it
/// certifies this key.
/// </summary>
public sealed class SshHostCertificateStepTests : IDisposable
{
    private static readonly DateTimeOffset Issued = new(2030, 3, 14, 15, 0, 0, TimeSpan.Zero);
    private readonly TempRoot _root = new();
    private readonly ECDsa _ca = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly AgentSession _session = new();

    public SshHostCertificateStepTests() => _session.Joined("i-0123456789abcdef0", "kac_test");

    private SshdLayout Layout(RoleConfig? config = null)
    {
        var paths = new AgentPaths(_root.Path);
        return new SshdLayout(config ?? SshdConfigTests.Config(), paths, ComponentSteps.For(paths));
    }

    private async Task<SshPublicKey> HostKeyAsync(SshdLayout layout)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(layout.HostKeyFile)!);
        var made = await new CommandRunner().RunAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", layout.HostKeyFile], CancellationToken.None);
        Assert.True(made.ExitCode == 0, made.StandardError);
        return SshPublicKey.Parse(await File.ReadAllTextAsync(layout.HostPublicKeyFile));
    }

    private SshCertificate Sign(SshPublicKey key, IReadOnlyList<string> principals, TimeSpan validity)
    {
        var unsigned = new SshCertificate
        {
            Key = key, Nonce = RandomNumberGenerator.GetBytes(32), Serial = 42, Type = SshCertificateType.Host, KeyId = "test",
            Principals = principals, ValidAfter = Issued, ValidBefore = Issued + validity, SignatureKey = SshPublicKey.FromEcdsa(_ca),
        };
        var signature = _ca.SignData(unsigned.ToBeSigned(), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return unsigned with { Signature = SshCertificate.EcdsaSignatureBlob(signature) };
    }

    private SshHostCertificateStep Step(SshdLayout layout, DateTimeOffset now, IRegistrarChannel? channel = null) =>
        new(layout, channel ?? new AnsweringRegistrar(_ => ""), _session, new FixedClock(now));

    [Fact]
    public async Task A_certificate_of_this_key_and_these_names_is_current_until_its_renewal_time_then_asked_for_again()
    {
        var layout = Layout();
        var key = await HostKeyAsync(layout);
        var certificate = Sign(key, [.. layout.Sshd.HostPrincipals], TimeSpan.FromDays(30));
        await File.WriteAllTextAsync(layout.HostCertificateFile, certificate.ToLine() + "\n");
        var due = SshHostCertificateRenewal.DueAt(certificate, layout.Config.Name);

        Assert.InRange(due, Issued + TimeSpan.FromDays(20), Issued + TimeSpan.FromDays(22.5));
        Assert.True(await Step(layout, Issued + TimeSpan.FromDays(1)).IsDoneAsync(CancellationToken.None));
        Assert.True(await Step(layout, due - TimeSpan.FromSeconds(1)).IsDoneAsync(CancellationToken.None));
        Assert.False(await Step(layout, due).IsDoneAsync(CancellationToken.None));
        var component = new SshdComponent(new AgentPaths(_root.Path), ComponentSteps.For(new AgentPaths(_root.Path)), new CommandRunner(),
            new AnsweringRegistrar(_ => ""), _session, TimeProvider.System, new SshdHealthCheck(TimeProvider.System));
        Assert.Equal(due, ((IRenewsCredential)component).RenewalDue(layout.Config));
    }

    [Fact]
    public async Task Other_names_or_another_key_make_it_asked_for_at_once()
    {
        var layout = Layout();
        var key = await HostKeyAsync(layout);
        var early = Issued + TimeSpan.FromHours(1);

        await File.WriteAllTextAsync(layout.HostCertificateFile, Sign(key, ["etcd-1"], TimeSpan.FromDays(30)).ToLine() + "\n");
        Assert.False(await Step(layout, early).IsDoneAsync(CancellationToken.None));

        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await File.WriteAllTextAsync(layout.HostCertificateFile,
            Sign(SshPublicKey.FromEcdsa(other), [.. layout.Sshd.HostPrincipals], TimeSpan.FromDays(30)).ToLine() + "\n");
        Assert.False(await Step(layout, early).IsDoneAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Only_the_public_key_is_sent_and_only_a_host_certificate_of_it_is_installed()
    {
        var layout = Layout();
        var key = await HostKeyAsync(layout);
        CertifyRequest? sent = null;
        var good = Step(layout, Issued, new AnsweringRegistrar(request =>
        {
            sent = request;
            return Sign(key, [.. layout.Sshd.HostPrincipals], TimeSpan.FromDays(30)).ToLine();
        }));

        await good.ApplyAsync(CancellationToken.None);

        Assert.NotNull(sent);
        Assert.Equal(key.ToLine(), sent.SshHostPublicKey);
        Assert.Empty(sent.Requests);
        Assert.Equal(("i-0123456789abcdef0", "kac_test"), (sent.InstanceId, sent.AgentCredential));
        Assert.True(await Step(layout, Issued + TimeSpan.FromDays(1)).IsDoneAsync(CancellationToken.None));

        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var wrongKey = Step(layout, Issued, new AnsweringRegistrar(_ =>
            Sign(SshPublicKey.FromEcdsa(other), [.. layout.Sshd.HostPrincipals], TimeSpan.FromDays(30)).ToLine()));
        var before = await File.ReadAllTextAsync(layout.HostCertificateFile);
        await Assert.ThrowsAsync<Kubes.Agent.Pki.CertificateRejectedException>(() => wrongKey.ApplyAsync(CancellationToken.None));
        Assert.Equal(before, await File.ReadAllTextAsync(layout.HostCertificateFile));
    }

    /// <summary>A coordinator that answers Certify with the host certificate line <c>answer</c> gives.</summary>
    private sealed class AnsweringRegistrar(Func<CertifyRequest, string> answer) : IRegistrarChannel
    {
        public Task<JoinResponse> JoinAsync(JoinRequest request, CancellationToken cancellationToken) => throw new InvalidOperationException();

        public Task<CertifyResponse> CertifyAsync(CertifyRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(new CertifyResponse { SshHostCertificate = answer(request) });

        public Task<ReportResponse> ReportAsync(ReportRequest request, CancellationToken cancellationToken) => throw new InvalidOperationException();
    }

    public void Dispose()
    {
        _ca.Dispose();
        _root.Dispose();
    }
}
