using System.Net.Sockets;
using System.Text;
using Kubes.Protos.Contract;
using Kubes.Protos.Ssh;
using Kubes.Protos.V1;

namespace Kubes.Agent.Components.Sshd;

/// <summary>
/// Healthy when the SSH server answers on its address with an SSH-2.0 banner and its host certificate is valid now; the
/// detail says until when.
/// </summary>
public sealed class SshdHealthCheck(TimeProvider time)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<ComponentHealth> CheckAsync(SshdLayout layout, CancellationToken cancellationToken)
    {
        var banner = await BannerAsync(layout, cancellationToken);
        if (banner is null || !banner.StartsWith("SSH-2.0-", StringComparison.Ordinal))
        {
            return Health(false, $"no SSH server answers on {layout.Address}:{layout.Port}{(banner is null ? "" : $" (got '{banner}')")}");
        }

        SshCertificate certificate;
        try
        {
            certificate = SshCertificate.Parse(await File.ReadAllTextAsync(layout.HostCertificateFile, cancellationToken));
        }
        catch (Exception e) when (e is IOException or FormatException)
        {
            return Health(false, $"sshd answers, but its host certificate {layout.HostCertificateFile} cannot be read: {e.Message}");
        }

        var now = time.GetUtcNow();
        return now >= certificate.ValidAfter && now < certificate.ValidBefore
            ? Health(true, $"{banner} on {layout.Address}:{layout.Port}, host certificate valid until {certificate.ValidBefore:u}")
            : Health(false, $"the host certificate is valid from {certificate.ValidAfter:u} to {certificate.ValidBefore:u}, not now");
    }

    private static async Task<string?> BannerAsync(SshdLayout layout, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(layout.Address, layout.Port, timeout.Token);
            using var reader = new StreamReader(client.GetStream(), Encoding.ASCII);
            return (await reader.ReadLineAsync(timeout.Token))?.Trim();
        }
        catch (Exception e) when (e is SocketException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    private static ComponentHealth Health(bool healthy, string detail) =>
        new() { Component = ComponentNames.Sshd, Healthy = healthy, Detail = detail };
}
