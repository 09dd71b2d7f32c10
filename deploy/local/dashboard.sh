#!/usr/bin/env bash
# The Aspire dashboard (traces, metrics, logs over OTLP) on this machine, without Docker.
#
#   deploy/local/dashboard.sh up       restore the dashboard package once, start it, wait until it answers
#   deploy/local/dashboard.sh status   whether it runs, with its pid, addresses and log
#   deploy/local/dashboard.sh down     stop what `up` started, by pid
#
# It runs from the NuGet package Aspire.Dashboard.Sdk.linux-x64 (restored through
# deploy/local/dashboard/dashboard.csproj into the NuGet cache) and listens on loopback only, without
# authentication: UI http://127.0.0.1:18888, OTLP gRPC 127.0.0.1:4317, OTLP HTTP 127.0.0.1:4318.
# Point services at it with OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4317 (cluster.sh up --dashboard
# does that). Pid file and log: .cluster/dashboard.pid, .cluster/dashboard.log.
#
# Settings (environment): DASHBOARD_UI_PORT (18888), DASHBOARD_OTLP_GRPC_PORT (4317),
# DASHBOARD_OTLP_HTTP_PORT (4318), DASHBOARD_START_TIMEOUT (60 s).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
STATE="$ROOT/.cluster"
RESTORE_PROJECT="$ROOT/deploy/local/dashboard/dashboard.csproj"
PID_FILE="$STATE/dashboard.pid"
LOG_FILE="$STATE/dashboard.log"

UI_PORT=${DASHBOARD_UI_PORT:-18888}
GRPC_PORT=${DASHBOARD_OTLP_GRPC_PORT:-4317}
HTTP_PORT=${DASHBOARD_OTLP_HTTP_PORT:-4318}
START_TIMEOUT=${DASHBOARD_START_TIMEOUT:-60}

usage() { sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

# shellcheck source=servers.sh
. "$ROOT/deploy/local/servers.sh"

running_pid() { servers_pid_from "$PID_FILE"; }

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The package version, from the restore project, so the two never disagree.
package_version() {
  sed -n 's:.*<AspireDashboardVersion>\(.*\)</AspireDashboardVersion>.*:\1:p' "$RESTORE_PROJECT"
}

# Prints the path of the dashboard executable, restoring the package first when the cache lacks it.
dashboard_executable() {
  local version packages exe
  version=$(package_version)
  packages=${NUGET_PACKAGES:-$HOME/.nuget/packages}
  exe="$packages/aspire.dashboard.sdk.linux-x64/$version/tools/Aspire.Dashboard"
  if [ ! -f "$exe" ]; then
    echo "restoring Aspire.Dashboard.Sdk.linux-x64 $version ..." >&2
    dotnet restore "$RESTORE_PROJECT" -nologo -v q >&2
  fi
  [ -f "$exe" ] || { echo "no dashboard executable at $exe after restore" >&2; return 1; }
  # NuGet extraction does not always keep the execute bit the package asks for.
  [ -x "$exe" ] || chmod u+x "$exe"
  echo "$exe"
}

cmd_up() {
  local pid exe waited=0 port
  if pid=$(running_pid); then
    echo "dashboard: already running (pid $pid), UI http://127.0.0.1:$UI_PORT"
    return 0
  fi
  for port in "$UI_PORT" "$GRPC_PORT" "$HTTP_PORT"; do
    if listening "$port"; then
      echo "dashboard: something else already listens on 127.0.0.1:$port; not starting" >&2
      return 1
    fi
  done
  mkdir -p "$STATE"
  exe=$(dashboard_executable)
  (
    # Its own folder is its content root: wwwroot and appsettings.json sit next to the executable.
    cd "$(dirname "$exe")"
    # Local use only: everything binds to loopback, so anonymous access to the UI, OTLP and the
    # telemetry API exposes nothing beyond this machine.
    exec env \
      ASPNETCORE_ENVIRONMENT=Production \
      ASPNETCORE_URLS="http://127.0.0.1:$UI_PORT" \
      ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL="http://127.0.0.1:$GRPC_PORT" \
      ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL="http://127.0.0.1:$HTTP_PORT" \
      ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true \
      Dashboard__Frontend__AuthMode=Unsecured \
      Dashboard__Otlp__AuthMode=Unsecured \
      Dashboard__Api__Enabled=true \
      Dashboard__Api__AuthMode=Unsecured \
      Dashboard__Otlp__SuppressUnsecuredTelemetryMessage=true \
      setsid "$exe" > "$LOG_FILE" 2>&1 < /dev/null
  ) &
  pid=$!
  echo "$pid" > "$PID_FILE"
  printf 'dashboard: pid %s, log %s ' "$pid" "$LOG_FILE"
  # The root redirects to a page; follow it, since only a page that renders means the UI is up.
  until [ "$(curl -sL -o /dev/null -w '%{http_code}' "http://127.0.0.1:$UI_PORT/" 2>/dev/null || true)" = 200 ] \
      && listening "$GRPC_PORT"; do
    if ! servers_pid_alive "$pid"; then
      echo; echo "the dashboard exited; last lines of $LOG_FILE:" >&2
      tail -n 30 "$LOG_FILE" >&2 || true
      rm -f "$PID_FILE"
      return 1
    fi
    if [ "$waited" -ge "$START_TIMEOUT" ]; then
      echo; echo "the dashboard did not answer within ${START_TIMEOUT}s; see $LOG_FILE (stop it with: $0 down)" >&2
      return 1
    fi
    printf '.'
    sleep 1
    waited=$((waited + 1))
  done
  echo " up"
  echo "dashboard UI:  http://127.0.0.1:$UI_PORT"
  echo "OTLP:          OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$GRPC_PORT (gRPC), http://127.0.0.1:$HTTP_PORT (HTTP)"
  echo "traces (JSON): http://127.0.0.1:$UI_PORT/api/telemetry/traces"
}

cmd_down() {
  servers_stop_pid_file "$PID_FILE" dashboard
}

cmd_status() {
  local pid
  if pid=$(running_pid); then
    printf '%-12s running  pid %-8s UI http://127.0.0.1:%s  OTLP gRPC :%s HTTP :%s  log %s\n' \
      dashboard "$pid" "$UI_PORT" "$GRPC_PORT" "$HTTP_PORT" "$LOG_FILE"
  elif [ -f "$PID_FILE" ]; then
    printf '%-12s exited   (pid file %s)   log %s\n' dashboard "$(cat "$PID_FILE")" "$LOG_FILE"
  else
    printf '%-12s not started\n' dashboard
  fi
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  *) usage ;;
esac
