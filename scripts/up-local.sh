#!/usr/bin/env bash
# The main job on a fresh machine: installs this machine's etcd, containerd, runc, CNI plugins, OpenVPN, OpenSSH,
# HAProxy (the cluster's API endpoint on this machine) and iptables if they are missing (the local provider's instances run them; iptables also brings the ebtables that keeps
# each instance's port on the bridge sending only as that instance) and iproute2 (each instance runs in a network
# namespace of its own), then brings up the embedded default cluster with the local provider. Needs root. Extra
# arguments go to 'kubes up', e.g. --wait-minutes 5.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" -ne 0 ]; then
  echo "error: the local provider makes a network namespace per instance and a bridge: run this as root." >&2
  exit 2
fi
need=()
command -v etcd >/dev/null || need+=(etcd-server)
command -v etcdctl >/dev/null || need+=(etcd-client)
command -v ip >/dev/null || need+=(iproute2)
command -v containerd >/dev/null || need+=(containerd)
[ -x /usr/sbin/runc ] || need+=(runc)
[ -x /usr/lib/cni/bridge ] || need+=(containernetworking-plugins)
# The bastion's OpenVPN and every instance's SSH server are this machine's (packed like etcd); iptables masquerades
# the VPN's clients in the bastion's namespace.
command -v openvpn >/dev/null || need+=(openvpn)
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v ssh-keygen >/dev/null || need+=(openssh-client)
command -v iptables >/dev/null || need+=(iptables)
command -v ebtables >/dev/null || need+=(iptables)
[ -x /usr/sbin/haproxy ] || need+=(haproxy)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# Debian starts a default etcd on 127.0.0.1:2379; the cluster's members listen in their own namespaces, so it may stay.
exec dotnet run --project src/Kubes.Controller -- up --local "$@"
