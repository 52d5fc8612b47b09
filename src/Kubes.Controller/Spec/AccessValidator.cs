namespace Kubes.Controller.Spec;

/// <summary>
/// The rules of the ways in: the VPN's client range is a block of its own (outside the VPC, the pods and the services,
/// which its clients reach through the bastion), and every lifetime is one the certificates can have.
/// </summary>
internal static class AccessValidator
{
    private const string ClientCidr = "spec.bastion.vpn.clientCidr";

    /// <summary>OpenVPN hands out addresses from a subnet of at least 8 (network, server, broadcast, clients).</summary>
    public const int MaxClientPrefix = 29;
    public const int MinClientPrefix = 16;

    public static readonly TimeSpan MinProfileLifetime = TimeSpan.FromHours(1);
    public static readonly TimeSpan MinHostCertificateLifetime = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan MaxHostCertificateLifetime = TimeSpan.FromDays(3650);
    public static readonly TimeSpan MinUserCertificateLifetime = TimeSpan.FromMinutes(1);
    /// <summary>A user certificate cannot be revoked: it is short-lived instead.</summary>
    public static readonly TimeSpan MaxUserCertificateLifetime = TimeSpan.FromDays(7);

    public static void Check(ClusterSpec spec, SpecProblemList problems)
    {
        var vpn = spec.Bastion.Vpn;
        if (problems.Cidr(ClientCidr, vpn.ClientCidr) is { } clients)
        {
            if (clients.PrefixLength is < MinClientPrefix or > MaxClientPrefix)
                problems.Add(ClientCidr, $"must be between /{MinClientPrefix} and /{MaxClientPrefix} (got /{clients.PrefixLength})");
            foreach (var (path, text) in new[]
                     {
                         ("spec.network.vpcCidr", spec.Network.VpcCidr), ("spec.network.podCidr", spec.Network.PodCidr),
                         ("spec.network.serviceCidr", spec.Network.ServiceCidr),
                     })
            {
                if (Networking.Cidr.TryParse(text, out var other, out _) && clients.Overlaps(other))
                    problems.Add(ClientCidr, $"{clients} overlaps {path} ({other}): VPN clients reach those through the "
                        + "bastion, so their own addresses must be elsewhere, like 100.64.0.0/24");
            }
        }

        // Against a CA lifetime that is itself wrong, spec.pki.caLifetimeDays is the one problem to report.
        var caLifetime = spec.Pki.CaLifetimeDays is >= 1 and <= SpecLimits.MaxCaLifetimeDays
            ? TimeSpan.FromDays(spec.Pki.CaLifetimeDays)
            : TimeSpan.FromDays(SpecLimits.MaxCaLifetimeDays);
        Between("spec.bastion.vpn.profileLifetime", vpn.ProfileLifetime, MinProfileLifetime, caLifetime,
            "at most spec.pki.caLifetimeDays: a profile cannot outlive the VPN CA", problems);
        Between("spec.ssh.hostCertificateLifetime", spec.Ssh.HostCertificateLifetime, MinHostCertificateLifetime,
            MaxHostCertificateLifetime, "", problems);
        Between("spec.ssh.userCertificateLifetime", spec.Ssh.UserCertificateLifetime, MinUserCertificateLifetime,
            MaxUserCertificateLifetime, "a user certificate cannot be revoked, so it lives briefly", problems);
    }

    private static void Between(string path, TimeSpan value, TimeSpan min, TimeSpan max, string why, SpecProblemList problems)
    {
        if (value >= min && value <= max) return;
        problems.Add(path, $"must be between {SpecDuration.Format(min)} and {SpecDuration.Format(max)}"
            + (why.Length > 0 ? $" ({why})" : "") + $" (got {SpecDuration.Format(value)})");
    }
}
