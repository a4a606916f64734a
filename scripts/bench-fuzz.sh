#!/usr/bin/env bash
# BGP decoder fuzzing, benchmark profile: COUNT (default 1,000,000) mutated captures and random
# inputs, each of which must decode or get the NOTIFICATION that fits it (BgpFuzz). No root needed.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
exec java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.ironlb.bgp.wire.BgpFuzz "${1:-1000000}" ${2:+"$2"}
