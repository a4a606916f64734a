#!/usr/bin/env bash
# Runs one of the JMH benchmarks in src/test/java/io/ironlb/bench: BENCHMARK (a class name there)
# and JMH's own arguments (e.g. -p services=50000, -wi 1 -i 3). Prints JMH's table.
set -euo pipefail
cd "$(dirname "$0")/.."
benchmark="$1"
shift
mvn -B -q -DskipTests test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
exec java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  org.openjdk.jmh.Main "io.ironlb.bench.$benchmark" "$@"
