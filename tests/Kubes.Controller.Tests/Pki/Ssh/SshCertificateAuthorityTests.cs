using Kubes.Controller.Pki.Ssh;
using Kubes.Controller.Tests.Pki.Support;
using Kubes.Protos.Ssh;

namespace Kubes.Controller.Tests.Pki.Ssh;

/// <summary>The SSH CA signs in-process; ssh-keygen (OpenSSH's own parser, which checks the signature) reads what it signed.</summary>
public sealed class SshCertificateAuthorityTests : IDisposable
{
    private static readonly DateTimeOffset From = new(2030, 3, 14, 15, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new();
    private readonly SshCertificateAuthority _hostCa = SshCertificateAuthority.Create("demo", SshCertificateAuthorityKind.Host);
    private readonly SshCertificateAuthority _userCa = SshCertificateAuthority.Create("demo", SshCertificateAuthorityKind.User);

    [Fact]
    public void A_host_certificate_of_an_ed25519_key_made_by_ssh_keygen_reads_back_in_ssh_keygen_as_signed()
    {
        var (_, hostKey) = SshKeygen.NewKey(_folder);
        var certificate = _hostCa.Sign(hostKey, "host etcd-0", ["etcd-0", "10.0.0.10", "etcd-0.demo.kubes.internal"], From, From.AddDays(30));

        var listed = SshKeygen.List(_folder, certificate.ToLine());

        Assert.True(listed.ExitCode == 0, listed.Output);
        var text = listed.StandardOutput;
        Assert.Contains("Type: ssh-ed25519-cert-v01@openssh.com host certificate", text);
        Assert.Contains($"Public key: ED25519-CERT {hostKey.Fingerprint}", text);
        Assert.Contains($"Signing CA: ECDSA {_hostCa.PublicKey.Fingerprint} (using ecdsa-sha2-nistp256)", text);
        Assert.Contains("Key ID: \"host etcd-0\"", text);
        Assert.Contains($"Serial: {certificate.Serial}", text);
        Assert.Contains("Valid: from 2030-03-14T14:55:00 to 2030-04-13T15:00:00", text);
        Assert.Equal(["etcd-0", "10.0.0.10", "etcd-0.demo.kubes.internal"], Section(text, "Principals:"));
        Assert.Equal(["(none)"], Section(text, "Critical Options:"));
        Assert.Equal(["(none)"], Section(text, "Extensions:"));
    }

    [Fact]
    public void A_user_certificate_carries_its_extensions_in_order()
    {
        var (_, userKey) = SshKeygen.NewKey(_folder, "ecdsa");
        var certificate = _userCa.Sign(userKey, "operator", ["kubes-admin"], From, From.AddHours(8),
            ["permit-pty", "permit-port-forwarding"]);

        var listed = SshKeygen.List(_folder, certificate.ToLine());

        Assert.True(listed.ExitCode == 0, listed.Output);
        Assert.Contains("Type: ecdsa-sha2-nistp256-cert-v01@openssh.com user certificate", listed.StandardOutput);
        Assert.Equal(["kubes-admin"], Section(listed.StandardOutput, "Principals:"));
        Assert.Equal(["permit-port-forwarding", "permit-pty"], Section(listed.StandardOutput, "Extensions:"));
    }

    [Fact]
    public void OpenSSH_refuses_a_certificate_whose_signature_was_altered()
    {
        var (_, hostKey) = SshKeygen.NewKey(_folder);
        var certificate = _hostCa.Sign(hostKey, "host etcd-0", ["etcd-0"], From, From.AddDays(1));
        var signature = certificate.Signature.ToArray();
        signature[^1] ^= 1;

        var listed = SshKeygen.List(_folder, (certificate with { Signature = signature }).ToLine());

        Assert.NotEqual(0, listed.ExitCode);
        Assert.False((certificate with { Signature = signature }).HasValidSignature());
        Assert.True(certificate.HasValidSignature());
    }

    [Fact]
    public void A_certificate_parses_back_to_what_was_signed()
    {
        var (_, hostKey) = SshKeygen.NewKey(_folder);
        var certificate = _hostCa.Sign(hostKey, "host bastion-0", ["bastion-0", "10.0.128.10"], From, From.AddDays(1));

        var parsed = SshCertificate.Parse(certificate.ToLine("comment"));

        Assert.Equal(certificate.Serial, parsed.Serial);
        Assert.Equal(SshCertificateType.Host, parsed.Type);
        Assert.Equal(["bastion-0", "10.0.128.10"], parsed.Principals);
        Assert.Equal(From - TimeSpan.FromMinutes(5), parsed.ValidAfter);
        Assert.Equal(From.AddDays(1), parsed.ValidBefore);
        Assert.True(parsed.Key.SameKeyAs(hostKey));
        Assert.True(parsed.SignatureKey.SameKeyAs(_hostCa.PublicKey));
        Assert.Equal(certificate.ToBlob(), parsed.ToBlob());
        Assert.True(parsed.HasValidSignature());
    }

    [Fact]
    public void The_CA_never_signs_a_certificate_for_every_name_and_a_host_CA_no_extensions()
    {
        var (_, key) = SshKeygen.NewKey(_folder);
        Assert.Throws<ArgumentException>(() => _hostCa.Sign(key, "x", [], From, From.AddDays(1)));
        Assert.Throws<ArgumentException>(() => _hostCa.Sign(key, "x", ["a"], From, From));
        Assert.Throws<ArgumentException>(() => _hostCa.Sign(key, "x", ["a"], From, From.AddDays(1), ["permit-pty"]));
    }

    [Fact]
    public void The_CA_public_key_is_an_OpenSSH_key_with_the_cluster_in_its_comment()
    {
        var path = _folder.Write("ca.pub", _hostCa.PublicKey.ToLine() + "\n");

        var fingerprint = SshKeygen.Run("-l", "-f", path);

        Assert.True(fingerprint.ExitCode == 0, fingerprint.Output);
        Assert.Equal($"256 {_hostCa.PublicKey.Fingerprint} kubes-demo-ssh-host-ca (ECDSA)", fingerprint.StandardOutput.Trim());
    }

    /// <summary>The indented lines under a heading of ssh-keygen -L.</summary>
    private static IReadOnlyList<string> Section(string text, string heading)
    {
        var lines = text.Split('\n');
        var start = Array.FindIndex(lines, l => l.Trim().StartsWith(heading, StringComparison.Ordinal));
        Assert.True(start >= 0, $"no '{heading}' in {text}");
        var inline = lines[start].Trim()[heading.Length..].Trim();
        if (inline.Length > 0) return [inline];
        return lines.Skip(start + 1).TakeWhile(l => l.StartsWith("                ", StringComparison.Ordinal))
            .Select(l => l.Trim()).ToList();
    }

    public void Dispose()
    {
        _hostCa.Dispose();
        _userCa.Dispose();
        _folder.Dispose();
    }
}
