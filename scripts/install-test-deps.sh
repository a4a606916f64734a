#!/usr/bin/env bash
# Installs the Debian packages that IronLB's build and tests need: the JDK and Maven to build,
# libpcap for link-layer I/O, and the real peers the namespace tests run (FRR, BIRD 2, GoBGP,
# ExaBGP as routers; arping, ndisc6, tcpdump as layer-2 clients; iproute2 for namespaces), the
# tools that build and run the container image (mmdebstrap, buildah, podman with runc), and
# kubectl (its built-in kustomize renders deploy/k8s for the manifest test) where an apt source
# offers it. Skips whatever is already installed; runs `apt-get update` at most once.
set -euo pipefail

packages=(
  openjdk-17-jdk-headless maven
  iproute2 libpcap0.8 tcpdump iputils-arping ndisc6 curl openssl
  frr bird2 gobgpd exabgp
  mmdebstrap buildah podman runc
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# kubectl is not in Debian's own archive: installed when a configured source has it (Kubernetes'
# or Google Cloud's apt repository), otherwise reported; the manifest test names it when missing.
want_kubectl=false
if ! command -v kubectl >/dev/null 2>&1; then
  want_kubectl=true
fi

if [ ${#missing[@]} -eq 0 ] && ! $want_kubectl; then
  echo "install-test-deps: all ${#packages[@]} packages and kubectl present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
else
  sudo_cmd=()
fi

echo "install-test-deps: installing ${missing[*]}$($want_kubectl && echo ' kubectl')"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
# The routing daemons are only used as peers the tests start themselves in namespaces:
# keep Debian from starting their system services on install (policy-rc.d exit 101).
policy=/usr/sbin/policy-rc.d
created_policy=false
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | "${sudo_cmd[@]}" tee "$policy" >/dev/null
  "${sudo_cmd[@]}" chmod +x "$policy"
  created_policy=true
fi
trap '$created_policy && "${sudo_cmd[@]}" rm -f "$policy"' EXIT
if [ ${#missing[@]} -gt 0 ]; then
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if $want_kubectl; then
  if ! "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends kubectl >/dev/null 2>&1; then
    echo "install-test-deps: kubectl is not offered by any apt source here; install it" \
      "(https://kubernetes.io/docs/tasks/tools/) for DeployManifestsTest" >&2
  fi
fi
echo "install-test-deps: done"
