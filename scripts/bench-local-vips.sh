#!/usr/bin/env bash
# --local-vips at scale: how long this machine's kernel takes to put N addresses on lo (and take
# them off again) the way IronLB did before (two `ip` processes per address: del, then add) and the
# way it does now (LoopbackAddresses: one `ip -force -batch -` for the whole change). Runs in a
# network namespace of its own (10.222.100.0/18 on its lo), removed at the end even on failure.
# Usage: sudo scripts/bench-local-vips.sh [N]   (default 10000)
set -euo pipefail
n=${1:-10000}
ns="ironlb-bench-vips-$$-$(date +%s)"
ip netns add "$ns"
trap 'ip netns del "$ns" 2>/dev/null || true' EXIT
ip netns exec "$ns" ip link set lo up

addr() { echo "10.222.$((100 + $1 / 256)).$(($1 % 256))/32"; }
ms() { echo $(( ($2 - $1) / 1000000 )); }

# The loops run inside the namespace, as the node's own process would: no `ip netns exec` per call.
t0=$(date +%s%N)
ip netns exec "$ns" bash -c '
  for ((i = 0; i < '"$n"'; i++)); do
    a="10.222.$((100 + i / 256)).$((i % 256))/32"
    ip addr del "$a" dev lo 2>/dev/null || true
    ip addr add "$a" dev lo
  done'
t1=$(date +%s%N)
ip netns exec "$ns" bash -c '
  for ((i = 0; i < '"$n"'; i++)); do
    ip addr del "10.222.$((100 + i / 256)).$((i % 256))/32" dev lo
  done'
t2=$(date +%s%N)
for ((i = 0; i < n; i++)); do echo "address replace $(addr $i) dev lo"; done > "/tmp/$ns.add"
for ((i = 0; i < n; i++)); do echo "address del $(addr $i) dev lo"; done > "/tmp/$ns.del"
t3=$(date +%s%N)
ip netns exec "$ns" ip -force -batch "/tmp/$ns.add"
t4=$(date +%s%N)
count=$(ip netns exec "$ns" ip -4 -o addr show dev lo | grep -c '10\.222\.' || true)
ip netns exec "$ns" ip -force -batch "/tmp/$ns.del"
t5=$(date +%s%N)
rm -f "/tmp/$ns.add" "/tmp/$ns.del"

echo "local-vips: $n addresses on lo in a namespace"
echo "  one process per command (before): install $(ms $t0 $t1) ms, remove $(ms $t1 $t2) ms ($((3 * n)) processes)"
echo "  one ip -batch per change (now):   install $(ms $t3 $t4) ms, remove $(ms $t4 $t5) ms (2 processes; $count installed)"
