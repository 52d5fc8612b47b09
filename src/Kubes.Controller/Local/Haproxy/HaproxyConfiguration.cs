using System.Globalization;
using System.Net;
using System.Text;

namespace Kubes.Controller.Local.Haproxy;

/// <summary>One apiserver behind the endpoint: the controller slot's name and where its apiserver listens.</summary>
public sealed record ApiBackend(string Name, IPEndPoint Address);

/// <summary>
/// How often HAProxy asks every apiserver for <c>/readyz</c>, and how many answers in a row take it out of (or put it
/// back into) rotation.
/// </summary>
public sealed record HealthCheckTiming(TimeSpan Interval, int Fall, int Rise)
{
    /// <summary>A stopped apiserver is out within about two intervals (4 s), a restarted one back as fast.</summary>
    public static HealthCheckTiming Default { get; } = new(TimeSpan.FromSeconds(2), Fall: 2, Rise: 2);
}

/// <summary>
/// The local API endpoint's HAProxy configuration: TCP passthrough (TLS ends at the apiservers, so clients verify the
/// apiserver certificate and present their own certificates end to end) from <see cref="Frontend"/> to every
/// controller, round robin, each checked with an HTTPS <c>GET /readyz</c>, which the apiserver answers anonymously.
/// </summary>
public sealed record HaproxyConfiguration(string Cluster, IPEndPoint Frontend, IReadOnlyList<ApiBackend> Backends,
    HealthCheckTiming Timing)
{
    public string Render()
    {
        var interval = ((long)Timing.Interval.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"""
            # The Kubernetes API endpoint of local cluster {Cluster}, written by kubes: edits are replaced by the next kubes up.
            global
                log stdout format raw local0 info
                maxconn 4096

            defaults
                mode tcp
                log global
                option tcplog
                option dontlognull
                timeout connect 5s
                # Long enough for watches; clients re-open them anyway.
                timeout client 1h
                timeout server 1h
                timeout check 2s

            frontend kube-apiserver
                bind {Frontend}
                default_backend kube-apiservers

            backend kube-apiservers
                balance roundrobin
                # The check only reads the status code; clients verify the apiserver's certificate end to end.
                option httpchk GET /readyz
                http-check expect status 200
                default-server check check-ssl verify none inter {interval}ms fall {Timing.Fall} rise {Timing.Rise}

            """);
        foreach (var backend in Backends)
            text.Append(CultureInfo.InvariantCulture, $"    server {backend.Name} {backend.Address}\n");
        return text.ToString();
    }
}
