#!/usr/bin/env bash
# The main job on a fresh machine: install the build tools, build ironlb, and check the bundled
# MetalLB examples with it. (The three-node lab replaces this as the layer-2 and BGP work lands.)
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-test-deps.sh
echo "demo: building target/ironlb.jar"
mvn -B -q -DskipTests package
echo "demo: java -jar target/ironlb.jar validate examples/"
java -jar target/ironlb.jar validate examples/
echo "demo: what an invalid object looks like"
bad=$(mktemp --suffix=.yaml)
trap 'rm -f "$bad"' EXIT
cat > "$bad" <<'YAML'
apiVersion: metallb.io/v1beta2
kind: BGPPeer
metadata: {name: core, namespace: metallb-system}
spec: {myASN: 64500, peerASN: 64501, peerAddress: 10.222.0.1, holdTime: 90s, keepaliveTime: 120s}
YAML
java -jar target/ironlb.jar validate "$bad" || echo "demo: exit status $? (invalid), as expected"
