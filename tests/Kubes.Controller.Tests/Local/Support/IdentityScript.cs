namespace Kubes.Controller.Tests.Local.Support;

/// <summary>
/// A small real user-data script: reads the instance's identity through IMDSv2 with curl, writes it to
/// <c>$KUBES_ROOT/identity</c>, then leaves a daemon behind the way bootstrap.sh does (<c>nohup setsid</c>: a session
/// of its own), and under that daemon a child started with an empty environment.
/// </summary>
internal static class IdentityScript
{
    public const string Text = """
        #!/bin/bash
        set -euo pipefail
        imds="${AWS_EC2_METADATA_SERVICE_ENDPOINT%/}"
        token="$(curl -fsS --retry 10 --retry-delay 1 --retry-connrefused -X PUT "$imds/latest/api/token" \
          -H 'X-aws-ec2-metadata-token-ttl-seconds: 60')"
        get() { curl -fsS -H "X-aws-ec2-metadata-token: $token" "$imds/latest/$1"; }
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
    public static async Task<(int Daemon, int Scrubbed)> BootedAsync(string root)
    {
        var scrubbedFile = Path.Join(root, "scrubbed.pid");
        var daemonFile = Path.Join(root, "daemon.pid");
        await Eventually.TrueAsync(() => File.Exists(scrubbedFile) && File.Exists(daemonFile) && File.Exists(Path.Join(root, "identity")),
            $"the user-data under {root} to finish");
        return (int.Parse(File.ReadAllText(daemonFile).Trim()), int.Parse(File.ReadAllText(scrubbedFile).Trim()));
    }
}
