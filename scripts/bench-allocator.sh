#!/usr/bin/env bash
# JMH: time to allocate 10,000 LoadBalancer Services over four pools, to restore them from their
# statuses (a restart), and to reprocess them all after a pool change. Prints JMH's table.
# Extra arguments go to JMH (e.g. -p services=50000, -wi 1 -i 3).
exec bash "$(dirname "$0")/bench-jmh.sh" AllocatorBenchmark "$@"
