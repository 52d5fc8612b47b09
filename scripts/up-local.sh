#!/usr/bin/env bash
# The main job on a fresh machine: installs this machine's etcd if it is missing (the local provider's
# instances run it), then brings up the embedded default cluster with the local provider.
# Extra arguments go to 'kubes up', e.g. --wait-minutes 5.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v etcd >/dev/null || ! command -v etcdctl >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends etcd-server etcd-client >/dev/null
fi
# Debian starts a default etcd on 127.0.0.1:2379; the cluster's members use their own addresses, so it may stay.
exec dotnet run --project src/Kubes.Controller -- up --local "$@"
