#!/usr/bin/env bash
# The lab, on a fresh machine, as root: installs what is missing, builds, and runs three
# `ironlb standalone` nodes, a client and an FRR router in network namespaces (10.222.70.0/24),
# shows the layer-2 owner, the client's answers and the router's ECMP next hops (and which node
# answers through the router) live, kills the owner and measures the failover. `scripts/lab.sh --watch` keeps the live view until Ctrl-C.
# Everything it creates is removed when it ends, on Ctrl-C too.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" -ne 0 ]; then
  # Root is needed for network namespaces: through sudo when there is one.
  if command -v sudo >/dev/null 2>&1; then
    exec sudo bash "$0" "$@"
  fi
  echo "lab: run as root (it creates network namespaces)" >&2
  exit 2
fi
echo "[1/6] Installing what is missing (JDK 17, Maven, FRR, arping, curl, ...)"
bash scripts/install-test-deps.sh
echo
echo "[2/6] Building target/ironlb.jar and the lab"
exec bash scripts/bench-lab.sh LabDemo "$@"
