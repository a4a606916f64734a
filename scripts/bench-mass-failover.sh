#!/usr/bin/env bash
# Mass layer-2 failover in the three-node namespace lab: SERVICES (default 6000) Services, RUNS
# (default 2) SIGKILLs alternating between the oldest node and a younger one, each once the lab is
# quiet; prints, for the dead node's addresses, kill -> answered by a live node (p50, p90, p99,
# all) and where the time went. Needs root; creates and removes its own namespaces (addresses
# 10.222.70.0/24 and 10.222.128.0/17 inside them only).
exec bash "$(dirname "$0")/bench-lab.sh" MassFailoverBenchmark "${1:-6000}" "${2:-2}"
