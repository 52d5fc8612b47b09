using CsCheck;
using Kubes.Controller.Artifacts;
using Kubes.Controller.Tests.Artifacts.Support;

namespace Kubes.Controller.Tests.Artifacts;

/// <summary>The checksum files as each project writes them (layouts from their release scripts), and what is refused.</summary>
public sealed class ChecksumFileTests
{
    private const string A = "0f5c6a9c2c8e1a5f2e1b4b3d7f6a5e4d3c2b1a09f8e7d6c5b4a392817161514a";
    private const string B = "aa11bb22cc33dd44ee55ff6600778899aabbccddeeff00112233445566778899";

    [Fact]
    public void A_dl_k8s_io_sha256_file_is_the_bare_digest_without_a_newline()
    {
        Assert.Equal(A, ChecksumFile.DigestFor(ChecksumFormat.BareDigest, A, "kubelet"));
        Assert.Equal(A, ChecksumFile.DigestFor(ChecksumFormat.BareDigest, A.ToUpperInvariant() + "\n", "kubelet"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0f5c6a9c")]
    [InlineData(A + "  kubelet")]
    [InlineData("<html>Not Found</html>")]
    public void Anything_but_one_digest_is_not_a_bare_digest(string text)
    {
        var error = Assert.Throws<ChecksumFormatException>(() => ChecksumFile.DigestFor(ChecksumFormat.BareDigest, text, "kubelet"));
        Assert.Contains("one SHA-256 digest", error.Message);
    }

    [Fact]
    public void A_containerd_sha256sum_file_gives_its_tarballs_digest()
    {
        // `cd releases && sha256sum containerd-2.3.4-linux-amd64.tar.gz > ...sha256sum`
        var text = $"{A}  containerd-2.3.4-linux-amd64.tar.gz\n";

        Assert.Equal(A, ChecksumFile.DigestFor(ChecksumFormat.Sha256Sum, text, "containerd-2.3.4-linux-amd64.tar.gz"));
        var error = Assert.Throws<ChecksumFormatException>(() =>
            ChecksumFile.DigestFor(ChecksumFormat.Sha256Sum, text, "containerd-2.3.4-linux-arm64.tar.gz"));
        Assert.Contains("no line for containerd-2.3.4-linux-arm64.tar.gz (it lists containerd-2.3.4-linux-amd64.tar.gz)", error.Message);
    }

    [Fact]
    public void Etcds_release_wide_sha256sums_gives_each_file_its_line()
    {
        var text = $"{B}  etcd-v3.6.14-darwin-amd64.zip\n{A}  etcd-v3.6.14-linux-amd64.tar.gz\n{B}  etcd-v3.6.14-linux-arm64.tar.gz\n";

        Assert.Equal(A, ChecksumFile.DigestFor(ChecksumFormat.Sha256Sum, text, "etcd-v3.6.14-linux-amd64.tar.gz"));
        Assert.Equal(B, ChecksumFile.DigestFor(ChecksumFormat.Sha256Sum, text, "etcd-v3.6.14-linux-arm64.tar.gz"));
    }

    [Fact]
    public void Runcs_clear_signed_sums_are_read_inside_the_signature_armor()
    {
        var text = FakeRelease.ClearSigned($"{A}  runc.amd64\n{B} *runc.arm64\n{A}  runc-1.4.3.tar.xz\n");

        Assert.Equal(A, ChecksumFile.DigestFor(ChecksumFormat.ClearSignedSha256Sum, text, "runc.amd64"));
        Assert.Equal(B, ChecksumFile.DigestFor(ChecksumFormat.ClearSignedSha256Sum, text, "runc.arm64"));
        // The same lines without the armor are not what runc publishes.
        Assert.Throws<ChecksumFormatException>(() =>
            ChecksumFile.DigestFor(ChecksumFormat.ClearSignedSha256Sum, $"{A}  runc.amd64\n", "runc.amd64"));
    }

    [Fact]
    public void Dash_escaped_lines_of_a_clear_signed_message_are_unescaped_and_the_signature_is_not_read_as_sums()
    {
        var text = "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n" + $"{A}  runc.amd64\n"
                   + "-----BEGIN PGP SIGNATURE-----\n\n" + $"{B}  runc.amd64\n-----END PGP SIGNATURE-----\n";

        Assert.Equal(A, ChecksumFile.DigestFor(ChecksumFormat.ClearSignedSha256Sum, text, "runc.amd64"));
        Assert.Equal("-x\n", ChecksumFile.SignedText("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n- -x\n-----BEGIN PGP SIGNATURE-----\n"));
    }

    [Theory]
    [InlineData("{0}  kubelet\nnot a line\n", "line 2 is not")]
    [InlineData("{0} kubelet\n", "line 1 is not")]
    [InlineData("0f5c  kubelet\n", "line 1 is not")]
    [InlineData("\n\n{0}\tkubelet\n", "line 3 is not")]
    public void A_malformed_sums_line_is_named_by_its_number(string template, string expected)
    {
        var error = Assert.Throws<ChecksumFormatException>(() => ChecksumFile.ParseSums(string.Format(template, A)));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Two_different_digests_for_one_file_are_refused()
    {
        var error = Assert.Throws<ChecksumFormatException>(() =>
            ChecksumFile.DigestFor(ChecksumFormat.Sha256Sum, $"{A}  kubelet\n{B}  ./kubelet\n", "kubelet"));
        Assert.Contains("2 different digests", error.Message);
    }

    [Fact]
    public void Sums_written_are_read_back_whatever_the_names_and_line_endings()
    {
        var name = Gen.String[Gen.OneOf(Gen.Char.AlphaNumeric, Gen.Char["._-/\\ *\n"]), 1, 30].Where(n => n.Trim().Length > 0 && !n.EndsWith('\r'));
        var digest = Gen.Byte.Array[32].Select(Convert.ToHexStringLower);
        Gen.Select(Gen.Select(name, digest).List[1, 12], Gen.Bool).Sample((files, crlf) =>
        {
            var text = ChecksumFile.Write(files);
            var parsed = ChecksumFile.ParseSums(crlf ? text.Replace("\n", "\r\n", StringComparison.Ordinal) : text);
            Assert.Equal(files.Select(f => (f.Item1, f.Item2)), parsed.Select(l => (l.Name, l.Sha256)));
        }, iter: 500);
    }
}
