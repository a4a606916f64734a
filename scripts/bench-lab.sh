#!/usr/bin/env bash
# Runs one of the namespace-lab benchmarks (a main class in multi-jvm-tests) against the packaged
# jar: bench-lab.sh CLASS [ARGS...]. Used by the bench-*.sh scripts and lab.sh. Needs root.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-deps.sh >/dev/null
mvn -B -q -DskipTests package dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
# The nodes start from a class-data sharing archive of this jar (written here, before any timing).
bash scripts/cds-archive.sh target/ironlb.jar target/ironlb.jsa >/dev/null
class="$1"
shift
# IRONLB_BENCH_JVM: the lab nodes' JVM options (space-separated), for benchmarks that take them.
exec java -Dironlb.jar=target/ironlb.jar -Dironlb.basedir=. \
  ${IRONLB_BENCH_JVM:+"-Dironlb.bench.jvm=$IRONLB_BENCH_JVM"} \
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  "io.ironlb.multijvm.$class" "$@"
