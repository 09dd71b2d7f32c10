#!/usr/bin/env bash
# Regenerates the test model from the committed trained weights into a temporary folder, and the
# sweep suite of held-out questions, and compares both byte for byte with the committed files.
# Exits non-zero when they differ or the generator cannot run. Never trains.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
python=/usr/bin/python3

if ! "$python" -c "import onnx, numpy" 2>/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing python3-onnx and python3-numpy" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-onnx python3-numpy >/dev/null
  else
    echo "needs Debian packages python3-onnx and python3-numpy for $python" >&2
    exit 2
  fi
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
PYTHONDONTWRITEBYTECODE=1 "$python" "$here/make_test_model.py" --out "$tmp"

suite="tools/InferenceCluster.Sweep/suites/test-model.jsonl"
PYTHONDONTWRITEBYTECODE=1 "$python" "$here/make_suite.py" --out "$tmp/suite.jsonl"

failed=0
if diff -r -x suite.jsonl -x README.md "$tmp" "$repo/models/test-model" >/dev/null; then
  echo "test model: committed files match the generator"
else
  echo "test model: committed files differ from the generator output:" >&2
  diff -rq -x suite.jsonl -x README.md "$tmp" "$repo/models/test-model" >&2 || true
  echo "regenerate with: $python tools/test-model/make_test_model.py --out models/test-model" >&2
  failed=1
fi
if cmp -s "$tmp/suite.jsonl" "$repo/$suite"; then
  echo "test model: $suite matches the generator"
else
  echo "test model: $suite differs from the generator output" >&2
  echo "regenerate with: $python tools/test-model/make_suite.py --out $suite" >&2
  failed=1
fi
exit "$failed"
