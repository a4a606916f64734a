#!/usr/bin/env bash
# Runs every test: unit and component tests (surefire), then the multi-JVM tests against the
# packaged jar (failsafe). Installs what the tests need first (skipping what is present).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-test-deps.sh

mvn_args=(-B verify)
if [ "${CI:-}" = "true" ]; then
  # In CI the formatter checks instead of rewriting, so unformatted code fails the run.
  mvn_args+=(-Dspotless.check=true)
fi
exec mvn "${mvn_args[@]}" "$@"
