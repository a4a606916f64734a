#!/usr/bin/env bash
# BGP convergence: N (default 10000) /32s from one speaker to FRR, IronLB and then ExaBGP in the
# same namespace lab; prints Established -> FRR holds all N, and the UPDATE count and bytes.
# Needs root; creates and removes its own namespaces (10.222.85.0/24, 10.222.128.0/17 inside).
exec bash "$(dirname "$0")/bench-lab.sh" BgpConvergenceBenchmark "${1:-10000}"
