#!/usr/bin/env bash
# Re-records src/test/resources/captures/bgp-peers.txt: the BGP messages FRR, BIRD and GoBGP send
# (see BgpCaptureTool). Needs root; runs everything in namespaces it creates (10.222.80.0/24,
# fd00:222:80::/64) and stops every daemon it started.
exec bash "$(dirname "$0")/bench-lab.sh" BgpCaptureTool "${1:-$(cd "$(dirname "$0")/.." && pwd)/src/test/resources/captures/bgp-peers.txt}"
