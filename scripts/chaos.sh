#!/usr/bin/env bash
# Chaos run over the namespace lab: chaos.sh MINUTES [SEED]. Three nodes, a client asking for four
# layer-2 addresses every 50 ms, FRR peering with every node; a nemesis applies SIGKILL/restart,
# short and long SIGSTOP, a cut of one node's cluster traffic, a cut between two nodes, link
# down/up and planned stops, in an order drawn from SEED (printed). Prints, per fault, what the
# client and the router saw, then a summary; exits 1 when a goal in docs/reliability.md is missed.
# IronLB's own failure detector; -Dchaos.detector=patient in JAVA_TOOL_OPTIONS for the tests' one,
# and -Dchaos.short-pair-cuts=true as well to repeat a ChaosIT run from its seed.
# Needs root; creates and removes its own namespaces (10.222.70.0/24, 10.222.71.0/24).
exec bash "$(dirname "$0")/bench-lab.sh" Chaos "${1:-10}" ${2:+"$2"}
