#!/usr/bin/env bash
# Re-vendor the third-party browser assets the site ships (pinned; see docs/assets/vendor/README.md).
# Usage: scripts/vendor.sh   — needs npm (the npm registry); writes into docs/assets/vendor/.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
( cd "$tmp" && npm pack --silent iframe-worker@1.0.4 >/dev/null && tar xzf iframe-worker-1.0.4.tgz )
install -D -m 0644 "$tmp/package/shim/index.js" docs/assets/vendor/iframe-worker/shim.js
install -D -m 0644 "$tmp/package/LICENSE" docs/assets/vendor/iframe-worker/LICENSE
sha256sum docs/assets/vendor/iframe-worker/shim.js
# Test-only: axe-core for tests/test_a11y.py (tests/vendor/axe-core/README.md).
scripts/vendor-axe.sh
