#!/usr/bin/env bash
# The workers of cluster.sh: each started under supervise.sh with the settings `up` was given (kept in workers.env for
# `scale`), and `scale`, which starts or stops them, each stopped after its drain (drain.sh); sourced by cluster.sh,
# whose STATE, ROOT, WORKER_PROJECT, CONFIGURATION and WORKER_METRICS_PORT it uses.

# start_supervised NAME DLL [VAR=VALUE ...] — as start_service, under supervise.sh: the pid file holds the supervisor's
# pid (`down` stops it, and it stops the worker), NAME.state what it is doing, the log every run and its verdicts.
start_supervised() {
  local name=$1 dll=$2 naming
  shift 2
  mapfile -t naming < <(otel_service_name "$name")
  (
    cd "$(dirname "$dll")"
    exec env "$@" DOTNET_ENVIRONMENT="${DOTNET_ENVIRONMENT:-Production}" "${naming[@]}" \
      setsid "$ROOT/deploy/local/supervise.sh" --state "$STATE/$name.state" -- dotnet "$(basename "$dll")" > "$STATE/$name.log" 2>&1 < /dev/null
  ) &
  echo $! > "$STATE/$name.pid"
  echo "$name: supervisor pid $!, log $STATE/$name.log"
}

# start_worker I — worker I, supervised, with its own id and metrics port, in the environment `up` gave the workers
# (WORKER_SETTINGS: those whose names are no shell variable's, such as Worker:DrainGrace, kept by workers.env).
start_worker() {
  local i=$1 prefix address entry unset=() settings=()
  # Each worker on one machine needs a port of its own for its metrics listener.
  local metrics_port=$((WORKER_METRICS_PORT + i - 1))
  prefix=$(worker_own_value id local-worker) || return 78
  address=$(worker_own_value metricsaddress 127.0.0.1) || return 78
  # The worker's own values go in one form only: beside WORKER__ID or Worker:Id, which .NET reads as the same key, the
  # one it takes is not defined, and two workers could share an id (and a cancel queue) or a port.
  while IFS= read -r -d '' entry; do
    worker_own_key "${entry%%=*}" > /dev/null && unset+=(-u "${entry%%=*}")
  done < <(env -0)
  for entry in "${WORKER_SETTINGS[@]}"; do
    worker_own_key "${entry%%=*}" > /dev/null || settings+=("$entry")
  done
  start_supervised "worker-$i" "$WORKER_PROJECT/bin/$CONFIGURATION/net10.0/InferenceCluster.Worker.dll" "${unset[@]}" \
    "${settings[@]}" Worker__Id="$prefix-$i" Worker__MetricsPort="$metrics_port" Worker__MetricsAddress="$address"
  # Where status finds the metrics: the address itself, or this machine's loopback when the worker listens on every one.
  local host=$address
  case $host in 0.0.0.0 | '[::]') host=127.0.0.1 ;; esac
  printf 'http://%s:%s/metrics\n' "$host" "$metrics_port" > "$STATE/worker-$i.metrics"
}

# worker_own_key NAME — id, metricsport or metricsaddress when the variable NAME sets Worker:Id, Worker:MetricsPort or
# Worker:MetricsAddress as .NET reads it (any case, ':' or '__', DOTNET_ prefixed); status 1 for any other name.
worker_own_key() {
  local name=${1,,}
  name=${name#dotnet_}
  name=${name//__/:}
  case "$name" in
    worker:id | worker:metricsport | worker:metricsaddress) echo "${name#worker:}" ;;
    *) return 1 ;;
  esac
}

# worker_own_name KEY — the setting, as the messages name it.
worker_own_name() {
  case "$1" in
    id) echo Worker:Id ;;
    metricsaddress) echo Worker:MetricsAddress ;;
    *) echo Worker:MetricsPort ;;
  esac
}

# worker_own_value KEY DEFAULT — the value the operator gave KEY (id: the prefix of every worker's id; metricsaddress),
# in whichever form, from the environment or WORKER_SETTINGS; DEFAULT when none sets it. Fails naming the variables
# when two forms disagree, or when one sets the metrics port, which cluster.sh gives each worker from WORKER_METRICS_PORT.
worker_own_value() {
  local key=$1 entry name value= found=
  while IFS= read -r -d '' entry; do
    name=${entry%%=*}
    case "$(worker_own_key "$name")" in
      metricsport)
        echo "$name: cluster.sh gives worker i the metrics port WORKER_METRICS_PORT + i - 1; set WORKER_METRICS_PORT=${entry#*=} instead" >&2
        return 1 ;;
      "$key")
        if [ -n "$found" ] && [ "$value" != "${entry#*=}" ]; then
          echo "$found and $name both set the workers' $(worker_own_name "$key"), to '$value' and '${entry#*=}'; keep one" >&2
          return 1
        fi
        found=$name value=${entry#*=} ;;
    esac
  done < <(env -0; [ "${#WORKER_SETTINGS[@]}" -eq 0 ] || printf '%s\0' "${WORKER_SETTINGS[@]}")
  printf '%s\n' "${value:-$2}"
}

# What a worker started later by `scale` needs: the servers, the dashboard, and the settings given to `up`, in
# $STATE/workers.env. The connection strings in it carry passwords: it is readable by its owner only, written afresh
# (a file left by an earlier run keeps its mode when written over).
# A worker's settings are read in any case, with ':' or '__', DOTNET_ prefixed or not: names that are no shell
# variable's (Worker:DrainGrace) go into WORKER_SETTINGS, given to each worker as NAME=VALUE.
save_worker_environment() {
  local names entry file="$STATE/workers.env" settings='^(DOTNET_)?(ConnectionStrings|Inference|Worker)(__|:)'
  mapfile -t names < <(compgen -e | grep -E '^(OTEL_|SUPERVISE_|DOTNET_ENVIRONMENT$|CONFIGURATION$|WORKER_METRICS_PORT$)' || true)
  mapfile -t -O "${#names[@]}" names < <(compgen -e | grep -Ei "$settings" || true)
  WORKER_SETTINGS=()
  while IFS= read -r -d '' entry; do
    [[ "${entry%%=*}" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || WORKER_SETTINGS+=("$entry")
  done < <(env -0 | grep -zEi "$settings")
  (
    umask 077
    { [ "${#names[@]}" -eq 0 ] || declare -p "${names[@]}"; declare -p WORKER_SETTINGS; } | sed -e 's/^declare -x /declare -gx /' -e 's/^declare -a /declare -ga /' > "$file.new"
    mv -f "$file.new" "$file"
  )
}

# The numbers of the workers whose supervisor runs, one a line, in order.
running_workers() {
  local file i
  for file in "$STATE"/worker-*.pid; do
    [ -e "$file" ] || continue
    i=${file##*/worker-}
    i=${i%.pid}
    [ -n "$(servers_pid_from "$file" || true)" ] && echo "$i"
  done | sort -n
}

cmd_scale() {
  local target=${1:-} running i started=0
  [[ "$target" =~ ^[0-9]+$ ]] && [ "$target" -ge 1 ] || { echo "scale needs a number of workers >= 1" >&2; exit 2; }
  if [ -z "$(servers_pid_from "$STATE/gateway.pid" || true)" ]; then
    echo "no cluster from $STATE is running; start one with: $0 up --workers $target" >&2
    exit 1
  fi
  # shellcheck disable=SC1091
  [ -f "$STATE/workers.env" ] && . "$STATE/workers.env"
  mapfile -t running < <(running_workers)
  if [ "${#running[@]}" -lt "$target" ]; then
    # New workers take the lowest free numbers, so their ids and metrics ports stay those `up` would give.
    i=1
    while [ $((${#running[@]} + started)) -lt "$target" ]; do
      if ! printf '%s\n' "${running[@]}" | grep -qx "$i"; then
        start_worker "$i"
        started=$((started + 1))
      fi
      i=$((i + 1))
    done
  else
    # The highest numbers go first; each supervisor stops its worker with SIGTERM and waits for its drain.
    for ((i = ${#running[@]} - 1; i >= target; i--)); do
      if servers_stop_pid_file "$STATE/worker-${running[i]}.pid" "worker-${running[i]}" "$(saved_stop_timeout workers "$WORKER_PROJECT" Worker)"; then
        rm -f "$STATE/worker-${running[i]}.metrics" "$STATE/worker-${running[i]}.state"
      else
        echo "worker-${running[i]} could not be stopped; see $STATE/worker-${running[i]}.log" >&2
        exit 1
      fi
    done
  fi
  echo "workers: $target (was ${#running[@]})"
}
