#!/usr/bin/env bash
# Layer-2 failover in the three-node namespace lab: RUNS (default 20) SIGKILLs of the current owner,
# printing each failover time (kill -> first gratuitous ARP from the new owner seen by the client,
# and kill -> client neighbour cache updated) and p50/max. Needs root; creates and removes its own
# namespaces (addresses 10.222.70.0/24 only).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-deps.sh >/dev/null
mvn -B -q -DskipTests package dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
exec java -Dironlb.jar=target/ironlb.jar -Dironlb.basedir=. \
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.ironlb.multijvm.FailoverBenchmark "${1:-20}"
