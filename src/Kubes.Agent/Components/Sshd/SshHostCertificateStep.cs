using Kubes.Agent.Channels;
using Kubes.Agent.Conversation;
using Kubes.Agent.FileSystem;
using Kubes.Agent.Pki;
using Kubes.Agent.Steps;
using Kubes.Protos.Ssh;
using Kubes.Protos.V1;

namespace Kubes.Agent.Components.Sshd;

/// <summary>
/// <c>certify-ssh-host-key</c>: the host key's certificate from the cluster's SSH host CA, asked for with the public key
/// only (Certify, with the agent's credential). Current while it certifies this very key for exactly the principals the
/// role configuration names, until its renewal time (<see cref="SshHostCertificateRenewal"/>): so it is asked for again
/// when the names change, and renewed like the X.509 certificates are.
/// </summary>
public sealed class SshHostCertificateStep(SshdLayout layout, IRegistrarChannel channel, AgentSession session, TimeProvider time)
    : IInstallStep
{
    public string Name => "certify-ssh-host-key";

    public string InputHash => FileHash.OfInputs([ReadHostKey()?.ToLine(), .. layout.Sshd.HostPrincipals]);

    public Task<bool> IsDoneAsync(CancellationToken cancellationToken)
    {
        var key = ReadHostKey();
        if (key is null || SshHostCertificateRenewal.Installed(layout) is not { } certificate)
        {
            return Task.FromResult(false);
        }

        var now = time.GetUtcNow();
        return Task.FromResult(certificate.Type == SshCertificateType.Host
                               && certificate.Key.SameKeyAs(key)
                               && certificate.Principals.SequenceEqual(layout.Sshd.HostPrincipals)
                               && now >= certificate.ValidAfter
                               && now < SshHostCertificateRenewal.DueAt(certificate, layout.Config.Name));
    }

    public async Task ApplyAsync(CancellationToken cancellationToken)
    {
        var key = ReadHostKey() ?? throw new InvalidOperationException($"the host key {layout.HostPublicKeyFile} is missing or unreadable");
        var (instanceId, credential) = session.Current;
        var response = await channel.CertifyAsync(
            new CertifyRequest { InstanceId = instanceId, AgentCredential = credential, SshHostPublicKey = key.ToLine() },
            cancellationToken);
        SshCertificate certificate;
        try
        {
            certificate = SshCertificate.Parse(response.SshHostCertificate);
        }
        catch (FormatException e)
        {
            throw new CertificateRejectedException($"the coordinator answered with no SSH host certificate the agent can read: {e.Message}");
        }

        if (!certificate.Key.SameKeyAs(key) || certificate.Type != SshCertificateType.Host)
        {
            throw new CertificateRejectedException($"the SSH host certificate issued is not a host certificate of {layout.HostPublicKeyFile}");
        }

        AtomicFile.WriteAllText(layout.HostCertificateFile, response.SshHostCertificate.Trim() + "\n", AtomicFile.Readable);
    }

    private SshPublicKey? ReadHostKey()
    {
        try
        {
            return File.Exists(layout.HostPublicKeyFile) ? SshPublicKey.Parse(File.ReadAllText(layout.HostPublicKeyFile)) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
