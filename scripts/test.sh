#!/usr/bin/env bash
# The test command: runs every test project of the solution with real RabbitMQ and Redis.
#
# Installs what is missing (Debian packages; needs root), starts a private RabbitMQ and Redis on
# 127.0.0.1 on free ports in a temporary directory (never the default ports, so a developer's cluster
# is left alone), exports ConnectionStrings__rabbitmq / ConnectionStrings__redis for the tests, runs
# `dotnet test`, always stops the servers it started, and ends with one line: "N passed, N failed".
#
# With CI=true, integration tests fail (never skip) when a server is missing, and so does this script.
#
# Options: -c|--configuration Debug|Release (default Release); anything after -- goes to dotnet test
# (e.g. -- --filter FullyQualifiedName~Worker).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=../deploy/local/servers.sh
. "$ROOT/deploy/local/servers.sh"

CONFIGURATION=Release
EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    -c|--configuration) CONFIGURATION=$2; shift 2 ;;
    --) shift; EXTRA=("$@"); break ;;
    *) echo "unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done

CI=${CI:-false}
STATE=$(mktemp -d "${TMPDIR:-/tmp}/inferencecluster-test.XXXXXX")
RESULTS="$STATE/results"
SERVERS_STARTED=
LANES=()

stop_servers() {
  if [ -n "$SERVERS_STARTED" ]; then
    echo "stopping test servers ..."
    servers_stop_redis "$STATE/redis" || true
    servers_stop_rabbitmq "$STATE/rabbitmq" || true
    SERVERS_STARTED=
  fi
}
cleanup() {
  local lane
  for lane in "${LANES[@]}"; do kill -TERM -- "-$lane" 2>/dev/null || true; done
  stop_servers
  rm -rf "$STATE"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# 1. What the tests and the test-model check need from the OS.
servers_ensure_packages rabbitmq-server redis-server python3-onnx python3-numpy chromium || {
  echo "could not install the packages the tests need" >&2
  [ "$CI" = true ] && exit 1
}

# 2. The committed test model must be what its generator makes; a mismatch counts as one failed test.
CHECK_FAILED=0
# What failed besides the tests, named again at the end.
OTHER_FAILURES=()
if [ -f tools/test-model/check.sh ]; then
  echo "== checking the test model"
  bash tools/test-model/check.sh || { CHECK_FAILED=1; OTHER_FAILURES+=("test model check (tools/test-model/check.sh)"); echo "test model check FAILED" >&2; }
fi

# The folders of the gateway and of the worker's projects import one another one way only; each project with a
# loop counts as one failed test.
for project in gateway/InferenceCluster.Gateway worker/InferenceCluster.Worker.Core worker/InferenceCluster.Inference \
    worker/InferenceCluster.Worker; do
  echo "== checking the folder imports of $project"
  python3 scripts/folder-imports.py "$project" > "$STATE/folder-imports.txt" || {
    CHECK_FAILED=$((CHECK_FAILED + 1)); OTHER_FAILURES+=("folder import check of $project")
    cat "$STATE/folder-imports.txt"; echo "folder import check of $project FAILED" >&2; }
done

# 3. Servers of our own.
echo "== starting RabbitMQ and Redis in $STATE"
SERVERS_STARTED=1
RABBIT_PORT=$(servers_free_port)
REDIS_PORT=$(servers_free_port)
if servers_start_rabbitmq "$STATE/rabbitmq" "$RABBIT_PORT" && servers_start_redis "$STATE/redis" "$REDIS_PORT"; then
  export ConnectionStrings__rabbitmq="amqp://guest:guest@127.0.0.1:$RABBIT_PORT/"
  export ConnectionStrings__redis="127.0.0.1:$REDIS_PORT"
else
  echo "could not start RabbitMQ and Redis" >&2
  if [ "$CI" = true ]; then
    echo "0 passed, 1 failed"
    exit 1
  fi
  echo "continuing without them: integration tests will report the missing servers" >&2
fi

# 4. The tests: one build, then two lanes at once. The cluster tests (fault drills that mostly wait on timeouts) run
# in one; every other test project, one after another, runs in the second beside them, on a RabbitMQ virtual host of
# its own, so that the browser tests' worker and the worker tests never take the cluster tests' queues.
# TRX files give exact counts per project; the console shows each test, its line led by the project's name.
echo "== dotnet build ($CONFIGURATION)"
set +e
dotnet build "$ROOT/InferenceCluster.sln" -c "$CONFIGURATION" 2>&1 | tee "$STATE/dotnet-build.log"
BUILD_RC=${PIPESTATUS[0]}
BESIDE_RABBITMQ=${ConnectionStrings__rabbitmq:-}
if [ -n "$BESIDE_RABBITMQ" ]; then
  BESIDE_VHOST=beside-cluster-tests
  if servers_rabbitmqctl "$STATE/rabbitmq" add_vhost "$BESIDE_VHOST" \
      && servers_rabbitmqctl "$STATE/rabbitmq" set_permissions -p "$BESIDE_VHOST" guest '.*' '.*' '.*'; then
    BESIDE_RABBITMQ="amqp://guest:guest@127.0.0.1:$RABBIT_PORT/$BESIDE_VHOST"
  else
    echo "could not add the RabbitMQ virtual host $BESIDE_VHOST; the tests beside the cluster tests use the default one" >&2
  fi
fi

# test_lane LOG PROJECT... — runs the projects' tests (built above) one after another; fails if any dotnet test did.
test_lane() {
  local log=$1 rc=0 project name
  shift
  for project in "$@"; do
    name=$(basename "$project" .csproj)
    dotnet test "$project" --no-build -c "$CONFIGURATION" \
      --results-directory "$RESULTS" \
      --logger "trx;LogFileName=$name.trx" \
      --logger "console;verbosity=normal" \
      --blame-hang-timeout 10m \
      "${EXTRA[@]}" < /dev/null 2>&1 | sed -u "s/^/[${name#InferenceCluster.}] /" | tee -a "$log"
    [ "${PIPESTATUS[0]}" -eq 0 ] || rc=1
  done
  return "$rc"
}
CLUSTER_TESTS=tests/InferenceCluster.IntegrationTests/InferenceCluster.IntegrationTests.csproj
OTHER_TESTS=()
for project in tests/*/*.csproj; do [ "$project" = "$CLUSTER_TESTS" ] || OTHER_TESTS+=("$project"); done
echo "== dotnet test ($CONFIGURATION): IntegrationTests, and beside them the ${#OTHER_TESTS[@]} other test projects one after another"
# Each lane in a process group of its own, so that an interrupted run ends both whole (cleanup).
set -m
test_lane "$STATE/cluster-tests.log" "$CLUSTER_TESTS" &
LANES=("$!")
ConnectionStrings__rabbitmq=$BESIDE_RABBITMQ test_lane "$STATE/other-tests.log" "${OTHER_TESTS[@]}" &
LANES+=("$!")
set +m
TEST_RC=$BUILD_RC
for lane in "${LANES[@]}"; do wait "$lane" || TEST_RC=1; done
LANES=()
set -e
cat "$STATE/dotnet-build.log" "$STATE/cluster-tests.log" "$STATE/other-tests.log" > "$STATE/dotnet-test.log" 2>/dev/null || true
BUILD_ERRORS=$(grep -E ': error [A-Z]+[0-9]+:' "$STATE/dotnet-test.log" | sed -e 's/ \[[^]]*\]$//' -e "s|$ROOT/||" | sort -u | head -5 || true)

# Stopped now rather than on exit, so that the count line below is the last thing printed.
stop_servers

# 5. One closing line over all projects.
sum_counter() {
  local name=$1 total=0 file value
  for file in "$RESULTS"/*.trx; do
    [ -e "$file" ] || continue
    value=$(grep -o "<Counters [^>]*" "$file" | grep -o " $name=\"[0-9]*\"" | grep -o "[0-9]\+" || echo 0)
    total=$((total + ${value:-0}))
  done
  echo "$total"
}
PASSED=$(sum_counter passed)
FAILED=$(( $(sum_counter failed) + $(sum_counter error) + $(sum_counter timeout) + $(sum_counter aborted) + CHECK_FAILED ))
SKIPPED=$(sum_counter notExecuted)
# No results folder at all (the build broke first) made find fail, and with pipefail the script ended here unheard.
TRX_COUNT=$(find "$RESULTS" -maxdepth 1 -name '*.trx' 2>/dev/null | wc -l || true)

if [ "$TEST_RC" -ne 0 ] && [ "$FAILED" -eq "$CHECK_FAILED" ]; then
  # The build or a test host broke before any test could report failing; count it, so the line never reads clean.
  echo "dotnet test exited $TEST_RC without a failed test in its results ($TRX_COUNT result files)" >&2
  OTHER_FAILURES+=("dotnet test exited $TEST_RC with no failed test in its results: the build or a test host broke (see above)")
  FAILED=$((FAILED + 1))
elif [ -n "$BUILD_ERRORS" ]; then
  # Projects that did build ran their tests, some failing: the ones that did not are a failure of their own.
  FAILED=$((FAILED + 1))
fi
if [ -n "$BUILD_ERRORS" ]; then
  while IFS= read -r error; do OTHER_FAILURES+=("build error: $error"); done <<< "$BUILD_ERRORS"
fi
if [ "$TRX_COUNT" -eq 0 ] || [ $((PASSED + FAILED)) -eq 0 ]; then
  echo "no test ran" >&2
  OTHER_FAILURES+=("no test ran")
  FAILED=$((FAILED > 0 ? FAILED : 1))
fi

# The fault drills print one "DRILL ..." line of figures each (docs/reliability.md); repeat them here.
DRILLS=$(cat "$RESULTS"/*.trx 2>/dev/null | grep -o "DRILL [^<]*" \
  | sed -e "s/&apos;/'/g" -e 's/&quot;/"/g' -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&amp;/\&/g' | awk '!seen[$0]++' || true)
if [ -n "$DRILLS" ]; then
  echo
  echo "== fault drills"
  echo "$DRILLS"
fi

# What failed, repeated next to the count line: the end of the output is often all a CI page keeps.
TESTS_FAILED=$(( $(sum_counter failed) + $(sum_counter error) + $(sum_counter timeout) + $(sum_counter aborted) ))
if [ "$TESTS_FAILED" -gt 0 ] || [ "${#OTHER_FAILURES[@]}" -gt 0 ]; then
  echo
  echo "== tests that did not pass"
  [ "$TESTS_FAILED" -gt 0 ] && { python3 "$ROOT/scripts/failed-tests.py" "$RESULTS"/*.trx || true; }
  for failure in "${OTHER_FAILURES[@]}"; do echo "$failure"; done
fi

LINE="$PASSED passed, $FAILED failed"
[ "$SKIPPED" -gt 0 ] && LINE="$LINE, $SKIPPED skipped"
echo
echo "$LINE"
[ "$FAILED" -eq 0 ]
