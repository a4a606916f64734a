#!/usr/bin/env bash
# ARP answer latency in the namespace lab: one ironlb standalone node owning an address, a client
# sending REQUESTS (default 1000) broadcast ARP requests, one arping each, which times its request
# to the reply; the node's kernel answering for its own address is the baseline. Prints
# p50/p99/max for both. Needs root; creates and removes its own namespaces (10.222.70.0/24 only).
exec bash "$(dirname "$0")/bench-lab.sh" ArpLatencyBenchmark "${1:-1000}"
