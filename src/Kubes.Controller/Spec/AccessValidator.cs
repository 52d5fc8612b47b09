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

    public static readonly Lifetime MinProfileLifetime = Lifetime.FromHours(1);
    /// <summary>Agents renew a host certificate once two thirds of it have passed, checking every few minutes.</summary>
    public static readonly Lifetime MinHostCertificateLifetime = Lifetime.FromMinutes(10);
    public static readonly Lifetime MaxHostCertificateLifetime = Lifetime.FromDays(3650);
    public static readonly Lifetime MinUserCertificateLifetime = Lifetime.FromMinutes(1);
    /// <summary>A user certificate cannot be revoked: it is short-lived instead.</summary>
    public static readonly Lifetime MaxUserCertificateLifetime = Lifetime.FromDays(7);
    public static readonly Lifetime MinAdminCertificateLifetime = Lifetime.FromMinutes(1);
    /// <summary>The admin certificate cannot be revoked either: it is short-lived too.</summary>
    public static readonly Lifetime MaxAdminCertificateLifetime = Lifetime.FromDays(7);

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

        // A profile never outlives the VPN CA all the same: its certificate ends when the CA does, at the latest.
        Between("spec.bastion.vpn.profileLifetime", vpn.ProfileLifetime, MinProfileLifetime, SpecLimits.MaxCaLifetime, "", problems);
        Between("spec.ssh.hostCertificateLifetime", spec.Ssh.HostCertificateLifetime, MinHostCertificateLifetime,
            MaxHostCertificateLifetime, "", problems);
        Between("spec.ssh.userCertificateLifetime", spec.Ssh.UserCertificateLifetime, MinUserCertificateLifetime,
            MaxUserCertificateLifetime, "a user certificate cannot be revoked, so it lives briefly", problems);
        Between("spec.pki.adminCertificateLifetime", spec.Pki.AdminCertificateLifetime, MinAdminCertificateLifetime,
            MaxAdminCertificateLifetime, "an admin certificate cannot be revoked, so it lives briefly", problems);
    }

    private static void Between(string path, Lifetime value, Lifetime min, Lifetime max, string why, SpecProblemList problems)
    {
        if (value >= min && value <= max) return;
        problems.Add(path, $"must be between {min} and {max}" + (why.Length > 0 ? $" ({why})" : "") + $" (got {value})");
    }
}
