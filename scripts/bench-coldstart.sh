#!/usr/bin/env bash
# Layer-2 cold start in the three-node namespace lab: SERVICES (default 10000) Services allocated
# from one pool, three nodes started at once; prints the time until a client gets an ARP answer for
# every address, and each node's heap (after a full GC) and RSS. Needs root; creates and removes
# its own namespaces (addresses 10.222.70.0/24 and 10.222.128.0/17 inside them only).
exec bash "$(dirname "$0")/bench-lab.sh" ColdStartBenchmark "${1:-10000}"
