#!/usr/bin/env bash
# Runs every test: unit and component tests (surefire), then the multi-JVM tests against the
# packaged jar (failsafe). Installs what the tests need first (skipping what is present).
set -euo pipefail
cd "$(dirname "$0")/.."
# The namespace labs need root: through sudo when there is one (as root, or without sudo, the
# tests run as they are, and those that need root skip with the reason).
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
  exec sudo --preserve-env=CI,MAVEN_OPTS bash "$0" "$@"
fi

bash scripts/install-test-deps.sh

# -ntp: no download progress; the shaded jar's list of every included artifact is left out too, so
# that a green run prints the tests' results and what they measured, not thousands of lines.
export MAVEN_OPTS="${MAVEN_OPTS:-} -Dorg.slf4j.simpleLogger.log.org.apache.maven.plugins.shade=warn"
mvn_args=(-B -ntp verify)
if [ "${CI:-}" = "true" ]; then
  # In CI the formatter checks instead of rewriting, so unformatted code fails the run.
  mvn_args+=(-Dspotless.check=true)
fi
exec mvn "${mvn_args[@]}" "$@"
