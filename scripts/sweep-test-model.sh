#!/usr/bin/env bash
# The temperature study on the bundled trained test model, in one command: starts the gateway with its
# embedded worker on a free loopback port, runs the sweep over the test model's suite of held-out
# questions, stops the gateway. The report lands in --out (default /tmp/sweep-test-model).
#
#   bash scripts/sweep-test-model.sh [--out DIR] [more sweep options, e.g. --repeats 1]
#
# Defaults: temperatures 0.3 to 1.9 in steps of 0.2, top_p 0.95 and 1.0 (plain sampling: the model is sure
# enough of most tokens that top_p 0.95 hides much of what heat does), max_tokens 256, repetition penalty
# 1.0, 3 repeats; later options override them (see docs/sweep.md).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
OUT=/tmp/sweep-test-model
ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT=$2; shift 2 ;;
    *) ARGS+=("$1"); shift ;;
  esac
done

dotnet build gateway/InferenceCluster.Gateway -c Release -v quiet -nologo >/dev/null
dotnet build tools/InferenceCluster.Sweep -c Release -v quiet -nologo >/dev/null

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL="http://127.0.0.1:$PORT"
LOG=$(mktemp "${TMPDIR:-/tmp}/sweep-gateway.XXXXXX.log")
# Empty connection strings keep the gateway on its in-memory bus with the embedded worker; it runs from
# its output folder, where its appsettings.json is.
(cd gateway/InferenceCluster.Gateway/bin/Release/net10.0 && ConnectionStrings__rabbitmq= ConnectionStrings__redis= \
  exec dotnet InferenceCluster.Gateway.dll --urls "$URL") >"$LOG" 2>&1 &
GATEWAY=$!
trap 'kill "$GATEWAY" 2>/dev/null || true; wait "$GATEWAY" 2>/dev/null || true' EXIT

for _ in $(seq 1 300); do
  if curl -fs "$URL/v1/models" 2>/dev/null | grep -q '"deepseek-r1-test-tiny"'; then break; fi
  if ! kill -0 "$GATEWAY" 2>/dev/null; then echo "the gateway exited; its log: $LOG" >&2; cat "$LOG" >&2; exit 1; fi
  sleep 0.5
done

# The sweep refuses an option given twice, so a default is sent only when the caller did not give it.
DEFAULTS=(--temperature 0.3:1.9:0.2 --top-p 0.95,1.0 --max-tokens 256 --repetition-penalty 1.0 --repeats 3)
for ((i = 0; i < ${#DEFAULTS[@]}; i += 2)); do
  if [[ " ${ARGS[*]:-} " != *" ${DEFAULTS[i]} "* && " ${ARGS[*]:-} " != *" ${DEFAULTS[i]}="* ]]; then
    ARGS+=("${DEFAULTS[i]}" "${DEFAULTS[i + 1]}")
  fi
done

dotnet tools/InferenceCluster.Sweep/bin/Release/net10.0/InferenceCluster.Sweep.dll \
  --base-url "$URL" --suite tools/InferenceCluster.Sweep/suites/test-model.jsonl --out "$OUT" "${ARGS[@]}"
