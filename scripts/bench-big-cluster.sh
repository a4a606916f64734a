#!/usr/bin/env bash
# A bigger cluster on this machine: NODES (default 12) speakers in the namespace lab, 30 addresses,
# all started at once; prints formation time and unreachability, an idle window of IDLE seconds
# (default 300), single-address failover, and survival of 60 s of nodes frozen in turn. Takes about
# 10 minutes. Needs root; creates and removes its own namespaces (10.222.70.0/24, 10.222.128.0/24).
exec bash "$(dirname "$0")/bench-lab.sh" BigClusterBenchmark "${1:-12}" "${2:-300}"
