#!/usr/bin/env bash
# JMH: one speaker's planning pass in Kubernetes mode, the work redone on every change the API
# server reports: 10,000 allocated LoadBalancer Services, each with an EndpointSlice, on a
# 100-node cluster; the layer-2 reports and the BGP advertisements of one node. Prints JMH's table.
# Extra arguments go to JMH (e.g. -p services=50000, -wi 1 -i 3).
exec bash "$(dirname "$0")/bench-jmh.sh" PlanningBenchmark "$@"
