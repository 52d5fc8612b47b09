#!/usr/bin/env bash
# Installs the real things the tests run against, when missing: etcd (server and client), openssl, iproute2
# for network namespaces, ebtables (Debian's iptables package) for their ports' anti-spoofing filters, containerd,
# runc and the CNI plugins (nodes run them), curl for the user-data script, losetup and mkfs.ext4 for the data-volume
# tests, kubectl (Debian's kubernetes-client when no kubectl is there) to read the kubeconfigs the agent renders,
# OpenVPN and OpenSSH (the bastion's servers, which the local provider packs from this machine's packages, and the
# clients the tests use), iptables (the bastion masquerades its VPN clients), ping (ICMP through the tunnel) and HAProxy
# (the local provider's API endpoint).
# moto_server ships with the machine image. Idempotent and quick when everything is there.
set -euo pipefail
need=()
command -v etcd >/dev/null || need+=(etcd-server)
command -v etcdctl >/dev/null || need+=(etcd-client)
command -v openssl >/dev/null || need+=(openssl)
command -v ip >/dev/null || need+=(iproute2)
command -v ebtables >/dev/null || need+=(iptables)
command -v containerd >/dev/null || need+=(containerd)
[ -x /usr/sbin/runc ] || need+=(runc)
[ -x /usr/lib/cni/bridge ] || need+=(containernetworking-plugins)
command -v curl >/dev/null || need+=(curl)
command -v ping >/dev/null || need+=(iputils-ping)
command -v losetup >/dev/null || need+=(mount)
command -v mkfs.ext4 >/dev/null || need+=(e2fsprogs)
command -v kubectl >/dev/null || need+=(kubernetes-client)
command -v openvpn >/dev/null || need+=(openvpn)
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v ssh >/dev/null || need+=(openssh-client)
command -v iptables >/dev/null || need+=(iptables)
command -v ping >/dev/null || need+=(iputils-ping)
[ -x /usr/sbin/haproxy ] || need+=(haproxy)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# Debian's package may start a default etcd on 127.0.0.1:2379; the tests' members listen in network namespaces
# of their own (or on other loopback addresses), so it is left alone.
command -v moto_server >/dev/null || { echo "moto_server is missing from this machine image" >&2; exit 1; }
dotnet restore Kubes.sln
