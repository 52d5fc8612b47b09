#!/usr/bin/env bash
# kubes bootstrap: installs and starts kubes-agent on this instance. The coordinator renders the
# settings below into user-data; the agent then joins the cluster and configures the instance itself.
# No SSH: everything the instance needs comes from here, IMDSv2 and the coordinator.
set -euo pipefail

# Rendered by kubes for this instance.
KUBES_CLUSTER='demo'
KUBES_ROLE='etcd'
KUBES_SLOT='0'
KUBES_JOIN_TOKEN='jt_0123456789abcdef'
KUBES_AGENT_URL='https://state.s3.amazonaws.com/agents/kubes-agent?X-Amz-Signature=abc&X-Amz-Expires=3600'
KUBES_AGENT_SHA256='9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'
KUBES_CHANNEL='s3'
KUBES_COORDINATOR_URL=''
KUBES_COORDINATOR_CA_SHA256=''
KUBES_COORDINATOR_CA=''
KUBES_MAILBOX_BUCKET='kubes-state-demo'
KUBES_MAILBOX_PREFIX='clusters/demo'
KUBES_MAILBOX_REGION='us-east-1'
KUBES_MAILBOX_ENDPOINT=''
# The local provider runs many instances on one machine, each under its own root folder.
if [ -z "${KUBES_ROOT:-}" ]; then KUBES_ROOT='/'; fi

case "$KUBES_ROOT" in
  /*) ;;
  *) echo "kubes-bootstrap: KUBES_ROOT must be an absolute path, got '$KUBES_ROOT'" >&2; exit 2 ;;
esac
case "$KUBES_ROOT" in
  *[[:space:]\"\'\\\$%]*) echo "kubes-bootstrap: KUBES_ROOT must not contain spaces, quotes, \\, \$ or %" >&2; exit 2 ;;
esac

root="${KUBES_ROOT%/}"
under() { printf '%s%s' "$root" "$1"; }

bootstrap_log="$(under /var/log/kubes-bootstrap.log)"
mkdir -p "$(dirname "$bootstrap_log")"
exec > >(tee -a "$bootstrap_log") 2>&1

log() { printf '%s kubes-bootstrap: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*"; }
fail() { log "FAILED: $*"; exit 1; }

# IMDSv2: a session token first, then metadata with it (the instances require tokens, hop limit 1).
imds="${AWS_EC2_METADATA_SERVICE_ENDPOINT:-http://169.254.169.254/}"
imds="${imds%/}"
imds_token="$(curl -fsS --retry 10 --retry-delay 1 --retry-connrefused -X PUT "$imds/latest/api/token" \
  -H 'X-aws-ec2-metadata-token-ttl-seconds: 300')" \
  || fail "no IMDSv2 token from $imds: the instance metadata service must be enabled with tokens"
instance_id="$(curl -fsS --retry 5 --retry-connrefused -H "X-aws-ec2-metadata-token: $imds_token" \
  "$imds/latest/meta-data/instance-id")" \
  || fail "could not read the instance id from $imds"
log "instance $instance_id: cluster $KUBES_CLUSTER, role $KUBES_ROLE, slot $KUBES_SLOT, channel $KUBES_CHANNEL, root $KUBES_ROOT"

# The agent: downloaded from its presigned URL, installed only when its SHA-256 is the expected one.
agent="$(under /usr/local/bin/kubes-agent)"
download="$(mktemp "${TMPDIR:-/tmp}/kubes-agent.XXXXXX")"
trap 'rm -f "$download"' EXIT
curl -fsSL --retry 10 --retry-delay 2 --retry-connrefused -o "$download" "$KUBES_AGENT_URL" \
  || fail "could not download kubes-agent (the presigned URL may have expired: run 'kubes up' again to relaunch with a fresh one)"
actual_sha256="$(sha256sum "$download" | cut -d' ' -f1)"
if [ "$actual_sha256" != "$KUBES_AGENT_SHA256" ]; then
  fail "the downloaded kubes-agent has SHA-256 $actual_sha256, expected $KUBES_AGENT_SHA256: refusing to install it"
fi
install -D -m 0755 "$download" "$agent"
log "installed kubes-agent (sha256 $actual_sha256) at $agent"

# The agent's configuration: owner-only, since it holds the single-use join token.
json() { local s="$1"; s="${s//\\/\\\\}"; s="${s//\"/\\\"}"; printf '"%s"' "$s"; }
config="$(under /etc/kubes/agent.json)"
mkdir -p "$(dirname "$config")"
if [ -n "$KUBES_MAILBOX_BUCKET" ]; then
  mailbox="{\"bucket\": $(json "$KUBES_MAILBOX_BUCKET"), \"prefix\": $(json "$KUBES_MAILBOX_PREFIX"), \"region\": $(json "$KUBES_MAILBOX_REGION"), \"endpoint\": $(json "$KUBES_MAILBOX_ENDPOINT")}"
else
  mailbox="null"
fi
(
  umask 077
  cat > "$config.tmp" <<JSON
{
  "cluster": $(json "$KUBES_CLUSTER"),
  "role": $(json "$KUBES_ROLE"),
  "slot": $KUBES_SLOT,
  "joinToken": $(json "$KUBES_JOIN_TOKEN"),
  "stsEndpoint": $(json "${KUBES_STS_ENDPOINT:-}"),
  "stsRegion": $(json "${KUBES_STS_REGION:-}"),
  "channel": $(json "$KUBES_CHANNEL"),
  "coordinatorUrl": $(json "$KUBES_COORDINATOR_URL"),
  "coordinatorCaSha256": $(json "$KUBES_COORDINATOR_CA_SHA256"),
  "coordinatorCa": $(json "$KUBES_COORDINATOR_CA"),
  "mailbox": $mailbox,
  "rootDir": $(json "$KUBES_ROOT")
}
JSON
)
chmod 0600 "$config.tmp"
mv -f "$config.tmp" "$config"
log "wrote $config"

# The unit: systemd runs it where systemd is PID 1; elsewhere the same file documents the service.
unit="$(under /etc/systemd/system/kubes-agent.service)"
mkdir -p "$(dirname "$unit")"
cat > "$unit" <<UNIT
[Unit]
Description=kubes-agent: configures this instance as $KUBES_ROLE $KUBES_SLOT of cluster $KUBES_CLUSTER
Wants=network-online.target
After=network-online.target

[Service]
Type=notify
ExecStart=$agent --config $config
Restart=always
RestartSec=5

[Install]
WantedBy=multi-user.target
UNIT
log "wrote $unit"

if [ -d /run/systemd/system ] && [ "$KUBES_ROOT" = / ]; then
  systemctl daemon-reload
  systemctl enable --now kubes-agent.service
  log "kubes-agent started by systemd"
else
  pid_file="$(under /run/kubes-agent.pid)"
  agent_log="$(under /var/log/kubes-agent.log)"
  mkdir -p "$(dirname "$pid_file")" "$(dirname "$agent_log")"
  if [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
    log "kubes-agent already runs under pid $(cat "$pid_file")"
  else
    # No systemd: a restart loop plays Restart=always, in its own session so the whole instance stops together.
    nohup setsid bash -c '
      trap "kill -TERM \$child 2>/dev/null; wait \$child; exit 0" TERM INT
      while :; do
        "$1" --config "$2" & child=$!
        wait "$child"; code=$?
        echo "kubes-agent exited with $code; restarting in 5s"
        sleep 5 & wait $!
      done' kubes-agent-supervisor "$agent" "$config" >>"$agent_log" 2>&1 </dev/null &
    echo "$!" > "$pid_file"
    log "no systemd here: kubes-agent runs under a restart loop, pid $(cat "$pid_file"), output in $agent_log"
  fi
fi
log "done"
