#!/usr/bin/env bash
# A real cluster on this machine, without Docker: RabbitMQ, Redis, the gateway and N workers.
#
#   deploy/local/cluster.sh up [--workers N] [--dashboard]   build once, start everything, wait until /health/ready is 200
#                                              (--dashboard or DASHBOARD=1: also the OTLP dashboard, see dashboard.sh)
#   deploy/local/cluster.sh scale N            start or stop workers until N run (stopped ones drain first)
#   deploy/local/cluster.sh status             what runs, with pids and logs
#   deploy/local/cluster.sh logs [NAME...] [--follow] [--lines N]
#                                              the last N (100) lines of the logs of gateway, worker-N, redis, rabbitmq or
#                                              dashboard (the gateway's and every worker's when none is named); --follow
#                                              (-f) keeps showing what they write
#   deploy/local/cluster.sh down               stop exactly what `up` started, by pid, each after its drain (drain.sh)
#
# Each worker runs under deploy/local/supervise.sh, as a container runtime would run it: a worker that exits 75
# (it stopped receiving from the broker and asks to be started again) is started again at once (after a back-off when
# 75s come in a row), one that crashes after a back-off, at most SUPERVISE_RESTARTS (5) times in a row; one whose
# settings are invalid (exit 78) is not.
#
# Everything lives in .cluster/ at the repository root (pid files, logs, server data). RabbitMQ and Redis
# are started only when nothing listens on their ports yet (and ConnectionStrings__* are not set); a
# server found running is used and left alone by `down`.
#
# Settings (environment): GATEWAY_URL (http://127.0.0.1:8080), RABBITMQ_PORT (5672),
# RABBITMQ_MANAGEMENT_PORT (15672), REDIS_PORT (6379), WORKER_METRICS_PORT (9464: worker i serves /metrics
# and /health/* on this port + i - 1), CONFIGURATION (Release), READY_TIMEOUT (180 s), SUPERVISE_* (supervise.sh),
# and any Inference__* / Worker__* / OTEL_* variable, passed to the services as it is
# (e.g. Inference__ModelPath=/models/deepseek-r1-distill-qwen-1.5b), except each worker's own: Worker:Id in any form
# is the prefix of its id (PREFIX-i), Worker:MetricsAddress is given to each, Worker:MetricsPort is refused.
# OTEL_SERVICE_NAME (or a service.name in OTEL_RESOURCE_ATTRIBUTES) given names every service so; without it each is
# named gateway or worker-N, after OTEL_SERVICE_NAME_PREFIX when that is set.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
STATE="$ROOT/.cluster"
# shellcheck source=servers.sh
. "$ROOT/deploy/local/servers.sh"
# shellcheck source=drain.sh
. "$ROOT/deploy/local/drain.sh"
# shellcheck source=workers.sh
. "$ROOT/deploy/local/workers.sh"
# shellcheck source=logs.sh
. "$ROOT/deploy/local/logs.sh"

GATEWAY_URL=${GATEWAY_URL:-http://127.0.0.1:8080}
RABBITMQ_PORT=${RABBITMQ_PORT:-5672}
REDIS_PORT=${REDIS_PORT:-6379}
CONFIGURATION=${CONFIGURATION:-Release}
READY_TIMEOUT=${READY_TIMEOUT:-180}
WORKER_METRICS_PORT=${WORKER_METRICS_PORT:-9464}
GATEWAY_PROJECT="$ROOT/gateway/InferenceCluster.Gateway"
WORKER_PROJECT="$ROOT/worker/InferenceCluster.Worker"
WORKER_SETTINGS=()

usage() { sed -n '2,/^[^#]/p' "$0" | sed -n 's/^# \{0,1\}//p'; exit 2; }

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_servers() {
  servers_ensure_packages rabbitmq-server redis-server curl
  if [ -n "${ConnectionStrings__rabbitmq:-}" ]; then
    echo "rabbitmq: using ConnectionStrings__rabbitmq as given"
  elif listening "$RABBITMQ_PORT"; then
    echo "rabbitmq: something already listens on 127.0.0.1:$RABBITMQ_PORT; using it"
    export ConnectionStrings__rabbitmq="amqp://guest:guest@127.0.0.1:$RABBITMQ_PORT/"
  else
    servers_start_rabbitmq "$STATE/rabbitmq" "$RABBITMQ_PORT" rabbitmq_management
    touch "$STATE/rabbitmq/started-by-cluster"
    export ConnectionStrings__rabbitmq="amqp://guest:guest@127.0.0.1:$RABBITMQ_PORT/"
    echo "rabbitmq management: http://127.0.0.1:${RABBITMQ_MANAGEMENT_PORT:-15672}/ (guest/guest)"
  fi

  if [ -n "${ConnectionStrings__redis:-}" ]; then
    echo "redis: using ConnectionStrings__redis as given"
  elif listening "$REDIS_PORT"; then
    echo "redis: something already listens on 127.0.0.1:$REDIS_PORT; using it"
    export ConnectionStrings__redis="127.0.0.1:$REDIS_PORT"
  else
    servers_start_redis "$STATE/redis" "$REDIS_PORT"
    touch "$STATE/redis/started-by-cluster"
    export ConnectionStrings__redis="127.0.0.1:$REDIS_PORT"
  fi
}

# start_service NAME DLL [VAR=VALUE ...] — runs a built service in the background with its own pid file and log.
# It runs in its output folder: that is its content root, where its appsettings.json is.
start_service() {
  local name=$1 dll=$2 naming
  shift 2
  mapfile -t naming < <(otel_service_name "$name")
  (
    cd "$(dirname "$dll")"
    exec env "$@" DOTNET_ENVIRONMENT="${DOTNET_ENVIRONMENT:-Production}" "${naming[@]}" \
      setsid dotnet "$(basename "$dll")" > "$STATE/$name.log" 2>&1 < /dev/null
  ) &
  echo $! > "$STATE/$name.pid"
  echo "$name: pid $!, log $STATE/$name.log"
}

# otel_service_name NAME — OTEL_SERVICE_NAME=... for the service started as NAME (gateway, worker-N), after
# OTEL_SERVICE_NAME_PREFIX; nothing when the caller named the services (OTEL_SERVICE_NAME, or service.name in
# OTEL_RESOURCE_ATTRIBUTES), whose name then passes to every service as given.
otel_service_name() {
  [ -n "${OTEL_SERVICE_NAME:-}" ] && return 0
  [[ ",${OTEL_RESOURCE_ATTRIBUTES:-}" =~ ,[[:space:]]*service\.name[[:space:]]*= ]] && return 0
  printf 'OTEL_SERVICE_NAME=%s%s\n' "${OTEL_SERVICE_NAME_PREFIX:-}" "$1"
}

wait_ready() {
  local url="$GATEWAY_URL/health/ready" waited=0 pid
  printf 'waiting for %s ' "$url"
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$url" 2>/dev/null || true)" = 200 ]; do
    pid=$(servers_pid_from "$STATE/gateway.pid" || true)
    if [ -z "$pid" ]; then
      echo; echo "the gateway exited; last lines of $STATE/gateway.log:" >&2
      tail -n 30 "$STATE/gateway.log" >&2 || true
      return 1
    fi
    if [ "$waited" -ge "$READY_TIMEOUT" ]; then
      echo; echo "not ready after ${READY_TIMEOUT}s (gateway and worker logs are in $STATE)" >&2
      return 1
    fi
    printf '.'
    sleep 1
    waited=$((waited + 1))
  done
  echo " ready"
}

cmd_up() {
  local workers=1 dashboard=${DASHBOARD:-}
  while [ $# -gt 0 ]; do
    case "$1" in
      --workers) workers=$2; shift 2 ;;
      --workers=*) workers=${1#*=}; shift ;;
      --dashboard) dashboard=1; shift ;;
      *) usage ;;
    esac
  done
  [[ "$workers" =~ ^[0-9]+$ ]] && [ "$workers" -ge 1 ] || { echo "--workers needs a number >= 1" >&2; exit 2; }
  if [ -n "$(servers_pid_from "$STATE/gateway.pid" || true)" ] || compgen -G "$STATE/worker-*.pid" >/dev/null; then
    echo "a cluster from $STATE is already running; see: $0 status (more or fewer workers: $0 scale N; or $0 down)" >&2
    exit 1
  fi
  mkdir -p "$STATE"
  [ -d "$GATEWAY_PROJECT" ] || { echo "no gateway project at $GATEWAY_PROJECT" >&2; exit 1; }

  echo "== building ($CONFIGURATION)"
  dotnet build "$GATEWAY_PROJECT" -c "$CONFIGURATION" -nologo -v q -clp:ErrorsOnly
  dotnet build "$WORKER_PROJECT" -c "$CONFIGURATION" -nologo -v q -clp:ErrorsOnly
  # After the build, from the appsettings files the services will read; EX_CONFIG, as they would exit on a bad grace.
  local worker_grace gateway_grace
  worker_grace=$(drain_grace_seconds "$WORKER_PROJECT" Worker) || exit 78
  gateway_grace=$(drain_grace_seconds "$GATEWAY_PROJECT" Gateway) || exit 78
  # A worker's own id, metrics port or address set in a way start_worker refuses (workers.sh): before anything starts.
  { worker_own_value id - && worker_own_value metricsaddress -; } > /dev/null || exit 78

  echo "== servers"
  start_servers

  if [ -n "$dashboard" ]; then
    echo "== dashboard"
    # A dashboard already running (dashboard.sh up) is used and left alone by `down`.
    if [ -z "$(servers_pid_from "$STATE/dashboard.pid" || true)" ]; then
      "$ROOT/deploy/local/dashboard.sh" up
      touch "$STATE/dashboard-started-by-cluster"
    else
      echo "dashboard: already running; using it"
    fi
    export OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:${DASHBOARD_OTLP_GRPC_PORT:-4317}"
    # The playground links each answer to its trace in this dashboard.
    local trace_url="http://127.0.0.1:${DASHBOARD_UI_PORT:-18888}/traces/detail/{traceId}"
    export Gateway__Playground__TraceUrlTemplate="${Gateway__Playground__TraceUrlTemplate:-$trace_url}"
  fi

  save_worker_environment
  echo $((worker_grace + 30)) > "$STATE/workers.stop-timeout"
  echo $((gateway_grace + 30)) > "$STATE/gateway.stop-timeout"

  echo "== services"
  local i
  for i in $(seq 1 "$workers"); do
    start_worker "$i"
  done
  start_service gateway "$GATEWAY_PROJECT/bin/$CONFIGURATION/net10.0/InferenceCluster.Gateway.dll" \
    ASPNETCORE_URLS="$GATEWAY_URL"
  echo "$GATEWAY_URL/metrics" > "$STATE/gateway.metrics"

  if ! wait_ready; then
    echo "the cluster is left as it is for inspection; stop it with: $0 down" >&2
    exit 1
  fi
  echo
  echo "OpenAI-compatible endpoint: $GATEWAY_URL/v1   (models: curl $GATEWAY_URL/v1/models)"
  echo "Playground: $GATEWAY_URL/"
}

cmd_down() {
  [ -d "$STATE" ] || { echo "nothing to stop ($STATE does not exist)"; return 0; }
  local file failed=
  # shellcheck disable=SC1091
  [ -f "$STATE/workers.env" ] && . "$STATE/workers.env"
  # The gateway first, so it stops taking requests before the workers go; it gets the drain `up` started it with.
  if [ -f "$STATE/gateway.pid" ]; then
    servers_stop_pid_file "$STATE/gateway.pid" gateway "$(saved_stop_timeout gateway "$GATEWAY_PROJECT" Gateway)" || failed="$failed gateway"
  fi
  for file in "$STATE"/worker-*.pid; do
    [ -e "$file" ] || continue
    servers_stop_pid_file "$file" "$(basename "$file" .pid)" "$(saved_stop_timeout workers "$WORKER_PROJECT" Worker)" || failed="$failed $(basename "$file" .pid)"
  done
  if [ -n "$failed" ]; then
    # Their pid files stay, so that `status` shows them and `down` can be run again; the servers stay for them.
    echo "still running:$failed; the cluster is not down" >&2
    exit 1
  fi
  rm -f "$STATE"/*.metrics "$STATE"/*.state "$STATE/workers.env" "$STATE"/*.stop-timeout
  if [ -f "$STATE/dashboard-started-by-cluster" ]; then
    "$ROOT/deploy/local/dashboard.sh" down && rm -f "$STATE/dashboard-started-by-cluster"
  fi
  if [ -f "$STATE/redis/started-by-cluster" ]; then
    servers_stop_redis "$STATE/redis" && rm -f "$STATE/redis/started-by-cluster" && echo "redis: stopped"
  fi
  if [ -f "$STATE/rabbitmq/started-by-cluster" ]; then
    servers_stop_rabbitmq "$STATE/rabbitmq" && rm -f "$STATE/rabbitmq/started-by-cluster" && echo "rabbitmq: stopped"
  fi
}

server_status() {
  local name=$1 pid_file=$2 port=$3 pid
  if pid=$(servers_pid_from "$pid_file"); then
    printf '%-12s running  pid %-8s port %s\n' "$name" "$pid" "$port"
  else
    printf '%-12s exited   port %s\n' "$name" "$port"
  fi
}

cmd_status() {
  [ -d "$STATE" ] || { echo "no cluster ($STATE does not exist)"; return 0; }
  local file name pid metrics any=
  for file in "$STATE"/gateway.pid "$STATE"/worker-*.pid; do
    [ -e "$file" ] || continue
    any=1
    name=$(basename "$file" .pid)
    metrics=$(cat "$STATE/$name.metrics" 2>/dev/null || echo "unknown")
    if pid=$(servers_pid_from "$file"); then
      printf '%-12s running  pid %-8s metrics %s   log %s\n' "$name" "$pid" "$metrics" "$STATE/$name.log"
    else
      printf '%-12s exited   (pid file %s)   metrics %s   log %s\n' "$name" "$(cat "$file")" "$metrics" "$STATE/$name.log"
    fi
    # A supervised worker: what its supervisor last did (the worker's pid, a restart pending, why it gave up).
    if [ -f "$STATE/$name.state" ]; then
      printf '%-12s   supervisor: %s\n' "" "$(cat "$STATE/$name.state")"
    fi
  done
  if [ -f "$STATE/rabbitmq/started-by-cluster" ]; then
    any=1
    server_status rabbitmq "$STATE/rabbitmq/rabbitmq.pid" "$RABBITMQ_PORT"
  fi
  if [ -f "$STATE/redis/started-by-cluster" ]; then
    any=1
    server_status redis "$STATE/redis/redis.pid" "$REDIS_PORT"
  fi
  if [ -f "$STATE/dashboard.pid" ]; then
    any=1
    "$ROOT/deploy/local/dashboard.sh" status
  fi
  [ -n "$any" ] || { echo "nothing running from $STATE"; return 0; }
  printf 'ready: %s\n' "$(curl -s -o /dev/null -w '%{http_code}' "$GATEWAY_URL/health/ready" 2>/dev/null || echo none)"
}

# Sourced (the tests call its functions), it only defines them.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  case "${1:-}" in
    up) shift; cmd_up "$@" ;;
    scale) shift; cmd_scale "$@" ;;
    down) cmd_down ;;
    status) cmd_status ;;
    logs) shift; cmd_logs "$@" ;;
    *) usage ;;
  esac
fi
