using Kubes.Controller.Local;

namespace Kubes.Controller.Tests.Local.Support;

/// <summary>
/// A small real user-data script: reads the instance's identity through IMDSv2 with curl, writes it to
/// <c>$KUBES_ROOT/identity</c>, then leaves a daemon behind the way bootstrap.sh does (<c>nohup setsid</c>: a session
/// of its own), and under that daemon a child started with an empty environment.
/// </summary>
internal static class IdentityScript
{
    public static readonly string Text = Before("");

    /// <summary>The script with <paramref name="lines"/> run (with <c>get</c> for metadata) before the identity is written.</summary>
    public static string Before(string lines) => $$"""
        #!/bin/bash
        set -euo pipefail
        imds="${AWS_EC2_METADATA_SERVICE_ENDPOINT%/}"
        token="$(curl -fsS --retry 10 --retry-delay 1 --retry-connrefused -X PUT "$imds/latest/api/token" \
          -H 'X-aws-ec2-metadata-token-ttl-seconds: 60')"
        get() { curl -fsS -H "X-aws-ec2-metadata-token: $token" "$imds/latest/$1"; }
        {{lines}}
        printf '%s %s %s\n' "$(get meta-data/instance-id)" "$(get meta-data/local-ipv4)" \
          "$(get meta-data/placement/availability-zone)" > "$KUBES_ROOT/identity.tmp"
        mv "$KUBES_ROOT/identity.tmp" "$KUBES_ROOT/identity"
        echo "identity: $(cat "$KUBES_ROOT/identity")"
        nohup setsid bash -c 'env -i sleep 1001 & echo $! > "$1/scrubbed.pid.tmp"; mv "$1/scrubbed.pid.tmp" "$1/scrubbed.pid"; exec sleep 1000' \
          daemon "$KUBES_ROOT" >/dev/null 2>&1 &
        echo "$!" > "$KUBES_ROOT/daemon.pid"
        echo "daemon started"
        """;

    /// <summary>Waits until the script has run and its daemon and the daemon's child are up; returns their pids.</summary>
    public static async Task<(int Daemon, int Scrubbed)> BootedAsync(LocalInstance instance)
    {
        await Eventually.WroteAsync(instance, "identity");
        await Eventually.WroteAsync(instance, "daemon.pid");
        await Eventually.WroteAsync(instance, "scrubbed.pid");
        var scrubbed = PidIn(instance, "scrubbed.pid");
        // Its pid is written as soon as bash forks it, before the fork has become 'env -i sleep' and then 'sleep': until
        // then it still holds the daemon's environment.
        await Eventually.TrueAsync(() => Runs(scrubbed, "sleep\u00001001\u0000"), "the daemon's child to run sleep with an empty environment");
        return (PidIn(instance, "daemon.pid"), scrubbed);
    }

    private static bool Runs(int pid, string cmdline)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline") == cmdline;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static int PidIn(LocalInstance instance, string file) =>
        int.Parse(File.ReadAllText(Path.Join(instance.RootFolder, file)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
}
