#!/usr/bin/env bash
# Installs the real things the tests run against: etcd (server and client), openssl,
# iproute2 for network namespaces. moto_server ships with the machine image.
set -euo pipefail
need=()
command -v etcd >/dev/null || need+=(etcd-server)
command -v etcdctl >/dev/null || need+=(etcd-client)
command -v openssl >/dev/null || need+=(openssl)
command -v ip >/dev/null || need+=(iproute2)
command -v curl >/dev/null || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# Debian's package starts a default etcd on 2379; the tests start their own members.
if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
  systemctl disable --now etcd >/dev/null 2>&1 || true
fi
pkill -x etcd 2>/dev/null || true
command -v moto_server >/dev/null || { echo "moto_server is missing from this machine image" >&2; exit 1; }
dotnet restore Kubes.sln
