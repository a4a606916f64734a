#!/usr/bin/env bash
# JMH: time to allocate 10,000 LoadBalancer Services over four pools, to restore them from their
# statuses (a restart), and to reprocess them all after a pool change. Prints JMH's table.
# Extra arguments go to JMH (e.g. -p services=50000, -wi 1 -i 3).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
exec java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  org.openjdk.jmh.Main 'io.ironlb.bench.AllocatorBenchmark' "$@"
