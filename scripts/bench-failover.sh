#!/usr/bin/env bash
# Layer-2 failover in the three-node namespace lab: RUNS (default 20) SIGKILLs of the current owner,
# printing each failover time (kill -> first gratuitous ARP from the new owner seen by the client,
# and kill -> client neighbour cache updated), whether more than one node answers afterwards, and
# p50/max. Needs root; creates and removes its own namespaces (addresses 10.222.70.0/24 only).
exec bash "$(dirname "$0")/bench-lab.sh" FailoverBenchmark "${1:-20}"
