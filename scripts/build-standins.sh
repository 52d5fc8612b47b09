#!/usr/bin/env bash
# Builds the Kubes test stand-ins for kube-apiserver, kube-controller-manager, kube-scheduler, kubelet and kube-proxy into
# OUT_DIR, ready for
# 'kubes artifacts import OUT_DIR': one framework-dependent single-file program (this machine's .NET runs it, as it
# runs the local provider's agents) under each component's name, and a SHA256SUMS listing them.
# Usage: scripts/build-standins.sh OUT_DIR [K8S_VERSION]   (K8S_VERSION: the cluster's spec.kubernetesVersion; default 1.36.3)
# Never for a real cluster: see docs/testing.md.
set -euo pipefail
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 OUT_DIR [K8S_VERSION]   (K8S_VERSION default 1.36.3, the default spec's)" >&2
  exit 2
fi
out=$1
version=${2:-1.36.3}
version=${version#v}
if ! [[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo "$0: '$version' is not a Kubernetes release (major.minor.patch, e.g. 1.36.3)" >&2
  exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
publish=$(mktemp -d)
trap 'rm -rf "$publish"' EXIT
dotnet publish "$root/tests/Kubes.StandIns/Kubes.StandIns.csproj" -c Release -r linux-x64 --self-contained false \
  -p:PublishSingleFile=true -p:StandInKubernetesVersion="$version" -o "$publish" --nologo -v quiet
mkdir -p "$out"
cd "$out"
names=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy)
for name in "${names[@]}"; do
  install -m 0755 "$publish/Kubes.StandIns" "$name"
done
sha256sum "${names[@]}" > SHA256SUMS
echo "Stand-ins for Kubernetes $version in $(pwd): ${names[*]}, SHA256SUMS"
