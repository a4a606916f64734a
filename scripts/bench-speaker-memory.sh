#!/usr/bin/env bash
# A speaker's memory at many addresses, without namespaces or root: two standalone nodes on
# loopback (ports chosen by the kernel, --interfaces none), SERVICES (default 10000) Services from
# one pool. Node A forms the cluster and runs the allocator; node B is what a Kubernetes speaker
# is (its share of the addresses, every address's assignment, no allocator). Once B has announced
# its share and SETTLE seconds (default 25) have passed, prints B's RSS, its heap after a full
# collection and its CPU time.
# JVM options: IRONLB_BENCH_JVM (space-separated), default the deploy's (deploy/k8s/speaker.yaml);
# both nodes start from the jar's class-data sharing archive, as the lab's do.
# IRONLB_BENCH_HISTOGRAM=N also prints B's N largest classes by live bytes.
# Usage: scripts/bench-speaker-memory.sh [SERVICES] [SETTLE]
set -euo pipefail
cd "$(dirname "$0")/.."
services="${1:-10000}"
settle="${2:-25}"
jvm="${IRONLB_BENCH_JVM:-$(sed -n '/name: JAVA_TOOL_OPTIONS/,/name: MALLOC_ARENA_MAX/p' \
  deploy/k8s/speaker.yaml | grep -- '-XX:\|-X' | tr -s ' \n' '  ' | sed 's/^ //')}"
export MALLOC_ARENA_MAX=2

[ -f target/ironlb.jar ] || mvn -B -q -DskipTests package
bash scripts/cds-archive.sh target/ironlb.jar target/ironlb.jsa >/dev/null
cds="-XX:SharedArchiveFile=target/ironlb.jsa -Xlog:cds=off -Xlog:cds+dynamic=off"

work=$(mktemp -d /tmp/ironlb-speaker-memory-XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

mkdir "$work/config"
{
  printf 'apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\n'
  printf 'metadata: {name: bench, namespace: metallb-system}\n'
  printf 'spec: {addresses: ["10.222.128.0/17"]}\n---\n'
  printf 'apiVersion: metallb.io/v1beta1\nkind: L2Advertisement\n'
  printf 'metadata: {name: bench, namespace: metallb-system}\n'
  for i in $(seq 0 $((services - 1))); do
    printf -- '---\napiVersion: v1\nkind: Service\nmetadata: {name: s-%d, namespace: default}\n' "$i"
    printf 'spec: {type: LoadBalancer, ports: [{port: 80}]}\n'
  done
} >"$work/config/services.yaml"

node() { # name cluster-port seed
  # shellcheck disable=SC2086 # options are space-separated on purpose
  # B joins after A has allocated: moves toward the balanced spread go at once, not 10 a second.
  java $cds $jvm -Dironlb.layer2.planned-moves-per-second=100000 \
    -jar target/ironlb.jar standalone --config "$work/config" --node "$1" \
    --cluster "127.0.0.1:$2" --seed "$3" --http 127.0.0.1:0 --interfaces none \
    >"$work/$1.log" 2>&1 &
  pids+=($!)
}

wait_for() { # file pattern seconds
  for _ in $(seq 1 $(($3 * 5))); do
    if grep -q "$2" "$1"; then return 0; fi
    sleep 0.2
  done
  echo "bench-speaker-memory: no \"$2\" in $1 after $3 s:" >&2
  tail -20 "$1" >&2
  exit 1
}

node a 0 127.0.0.1:0
wait_for "$work/a.log" 'cluster address pekko://ironlb@' 120
seed=$(grep -o 'cluster address pekko://ironlb@[0-9.]*:[0-9]*' "$work/a.log" | head -1 | sed 's/.*@//')
node b 0 "$seed"
b=${pids[1]}
started=$(date +%s.%N)
wait_for "$work/b.log" 'allocations received' 180
wait_for "$work/b.log" 'announcing ' 180
sleep "$settle" # a measurement window, not synchronisation
cpu=$(awk '{printf "%.1f", ($14 + $15) / 100}' "/proc/$b/stat")
jcmd "$b" GC.run >/dev/null
heap=$(jcmd "$b" GC.heap_info | grep -o 'total [0-9]*K, used [0-9]*K' | tr -d 'K,' |
  awk '{t += $2; u += $4} END {printf "%d MiB, %d MiB committed", u / 1024, t / 1024}')
sleep 6 # one native-heap trim interval, when the options ask for one
[ -n "${IRONLB_BENCH_NMT:-}" ] && jcmd "$b" VM.native_memory summary | grep -E "^(Total|-  *[A-Z][a-zA-Z ]*\()" || true
rss=$(awk '/VmRSS/ {print $2}' "/proc/$b/status")
owned=$(grep -o '\(announcing\|withdrawing\) [0-9]* address' "$work/b.log" |
  awk '$1 == "announcing" {s += $2} $1 == "withdrawing" {s -= $2} END {print s}')
echo "speaker B: ${services} Services, announcing ${owned}; RSS $((rss / 1024)) MiB (${rss} kB);" \
  "heap used after a full GC ${heap}; CPU $cpu s in $(echo "$(date +%s.%N) - $started" | bc | cut -d. -f1) s"
echo "JVM options: $jvm"
if [ -n "${IRONLB_BENCH_HISTOGRAM:-}" ]; then # what the live heap is made of, largest first
  jcmd "$b" GC.class_histogram | head -n $((IRONLB_BENCH_HISTOGRAM + 3)) | tail -n +2
fi
