#!/usr/bin/env bash
# BFD detection at the router: three speakers and FRR (bgpd + bfdd) with BFD at 100 ms x 3; freezes
# a speaker RUNS times (default 20) and prints how long FRR took to drop its next hop each time, and
# the distribution. Needs root; creates and removes its own namespaces (10.222.70.0/24).
exec bash "$(dirname "$0")/bench-lab.sh" BfdBenchmark "${1:-20}"
