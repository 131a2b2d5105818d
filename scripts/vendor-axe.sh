#!/usr/bin/env bash
# Re-vendor axe-core for the accessibility tests (tests/test_a11y.py) from the npm registry.
# Usage: scripts/vendor-axe.sh [VERSION]   — default: the pinned version below. Writes tests/vendor/axe-core/
# and prints the sha256 to record in tests/vendor/axe-core/README.md (the test checks it).
set -euo pipefail
cd "$(dirname "$0")/.."
version="${1:-4.14.1}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
( cd "$tmp" && npm pack --silent "axe-core@${version}" >/dev/null && tar xzf "axe-core-${version}.tgz" )
install -D -m 0644 "$tmp/package/axe.min.js" tests/vendor/axe-core/axe.min.js
install -D -m 0644 "$tmp/package/LICENSE" tests/vendor/axe-core/LICENSE
[ -f "$tmp/package/LICENSE-3RD-PARTY.txt" ] && install -D -m 0644 "$tmp/package/LICENSE-3RD-PARTY.txt" tests/vendor/axe-core/LICENSE-3RD-PARTY.txt
echo "axe-core ${version}"
sha256sum tests/vendor/axe-core/axe.min.js
