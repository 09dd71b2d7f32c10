# shellcheck shell=bash
# Private RabbitMQ and Redis servers for one user of this machine: the local cluster script and the test
# runner. Each instance lives in a state directory of its own (data, logs, pid files, Erlang cookie),
# listens on 127.0.0.1 only, and is stopped by pid, so two instances never disturb each other or a
# system-wide server. Source this file; it defines functions only.

RABBITMQ_BIN=/usr/lib/rabbitmq/bin

# Installs the Debian packages given that are missing; runs `apt-get update` only when something is.
servers_ensure_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing packages: ${missing[*]} (run as root, or: sudo apt-get install -y ${missing[*]})" >&2
    return 1
  fi
  echo "installing ${missing[*]} ..."
  # Keep the packages' own init scripts from starting system-wide servers on the default ports.
  local policy=/usr/sbin/policy-rc.d added_policy=
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && added_policy=1
  fi
  local rc=0
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || rc=$?
  [ -n "$added_policy" ] && rm -f "$policy"
  return $rc
}

# A TCP port nobody listens on now.
servers_free_port() {
  local port low=30000 high=50000 ephemeral
  # Below the range the kernel hands out for outgoing connections and port-0 binds: a port taken from that range by a
  # client between this check and the server's bind made the server fail to listen (a drill's RabbitMQ did, twice).
  read -r ephemeral _ < /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || ephemeral=
  if [ -n "$ephemeral" ] && [ "$ephemeral" -gt 12000 ]; then
    low=10000 high=$ephemeral
  fi
  for _ in $(seq 1 50); do
    port=$(( (RANDOM * 32768 + RANDOM) % (high - low) + low ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

# Waits until 127.0.0.1:PORT accepts connections, printing a dot per second; gives up at once when the file
# CRASHED (optional) appears, the server's sign that it died while starting.
servers_wait_port() {
  local port=$1 what=$2 timeout=${3:-120} crashed=${4:-} waited=0
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    if [ -n "$crashed" ] && [ -e "$crashed" ]; then
      echo " $what died while starting (see $crashed)" >&2
      return 1
    fi
    if [ "$waited" -ge "$timeout" ]; then
      echo " $what did not listen on 127.0.0.1:$port within ${timeout}s" >&2
      return 1
    fi
    printf '.'
    sleep 1
    waited=$((waited + 1))
  done
}

servers_pid_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

# The pid in FILE when that process is alive.
servers_pid_from() { local pid; pid=$(cat "$1" 2>/dev/null || true); servers_pid_alive "$pid" && echo "$pid"; }

# Whether the process PID lives, or with GROUP set any process of the group it leads.
servers_pid_or_group_alive() { if [ -n "${2:-}" ]; then kill -0 -- "-$1" 2>/dev/null; else servers_pid_alive "$1"; fi; }

# Stops the process of pid FILE (TERM, then KILL after TIMEOUT seconds, 30 by default) and removes the file; NAME is for
# messages. A process started with setsid leads its own process group, and what it started (a supervisor's worker) is
# in that group: the wait lasts until the whole group has ended, and the KILL goes to the whole group, so that no
# worker outlives its supervisor still consuming. Fails, keeping the file, when something of it still runs.
servers_stop_pid_file() {
  local file=$1 name=$2 timeout=${3:-30} pid group=
  pid=$(servers_pid_from "$file" || true)
  if [ -n "$pid" ]; then
    [ "$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ')" = "$pid" ] && group=1
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 "$timeout"); do servers_pid_or_group_alive "$pid" "$group" || break; sleep 1; done
    if servers_pid_or_group_alive "$pid" "$group"; then
      echo "$name (pid $pid) still running ${timeout}s after TERM; killing it${group:+ and its process group}"
      if [ -n "$group" ]; then kill -KILL -- "-$pid" 2>/dev/null || true; else kill -KILL "$pid" 2>/dev/null || true; fi
      for _ in $(seq 1 10); do servers_pid_or_group_alive "$pid" "$group" || break; sleep 1; done
    fi
    if servers_pid_or_group_alive "$pid" "$group"; then
      echo "$name: NOT stopped: pid $pid${group:+ or a process of its group} still runs after KILL" >&2
      return 1
    fi
    echo "$name: stopped (pid $pid)"
  fi
  rm -f "$file"
}

# The environment of one RabbitMQ node living in DIR (amqp, distribution and epmd ports come from DIR/ports).
_rabbitmq_env() {
  local dir=$1
  # shellcheck disable=SC1091
  . "$dir/ports"
  export HOME="$dir" \
    RABBITMQ_NODENAME="$RABBIT_NODE" \
    RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
    RABBITMQ_NODE_PORT="$RABBIT_PORT" \
    RABBITMQ_DIST_PORT="$RABBIT_DIST_PORT" \
    ERL_EPMD_ADDRESS=127.0.0.1 \
    ERL_EPMD_PORT="$RABBIT_EPMD_PORT" \
    RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf" \
    RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf" \
    RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" \
    RABBITMQ_PLUGINS_EXPAND_DIR="$dir/plugins-expand" \
    RABBITMQ_MNESIA_BASE="$dir/mnesia" \
    RABBITMQ_LOG_BASE="$dir/log" \
    RABBITMQ_PID_FILE="$dir/rabbitmq.pid" \
    ERL_CRASH_DUMP="$dir/log/erl_crash.dump"
}

# servers_start_rabbitmq DIR PORT [PLUGINS] — starts a node on 127.0.0.1:PORT, waits until it is up. A node that
# dies while starting (its private distribution or epmd port, free when chosen, may be taken by then) is started
# once more on new ones.
servers_start_rabbitmq() {
  local dir=$1 port=$2 plugins=${3:-} attempt
  for attempt in 1 2; do
    _rabbitmq_start_once "$dir" "$port" "$plugins" && return 0
    [ -e "$dir/log/erl_crash.dump" ] || return 1
    mv "$dir/log/erl_crash.dump" "$dir/log/erl_crash.dump.$attempt"
    # The epmd it started on its private port would otherwise outlive it: the next try writes new ports.
    ( _rabbitmq_env "$dir"; timeout 10 epmd -kill >/dev/null 2>&1 || true )
    [ "$attempt" -eq 1 ] && echo "starting rabbitmq again on new distribution ports" >&2
  done
  return 1
}

_rabbitmq_start_once() {
  local dir=$1 port=$2 plugins=$3
  mkdir -p "$dir/log" "$dir/mnesia"
  local dist epmd
  dist=$(servers_free_port) && epmd=$(servers_free_port) || return 1
  cat > "$dir/ports" <<PORTS
RABBIT_NODE=ic$$@localhost
RABBIT_PORT=$port
RABBIT_DIST_PORT=$dist
RABBIT_EPMD_PORT=$epmd
PORTS
  : > "$dir/rabbitmq-env.conf"
  printf 'listeners.tcp.default = %s\nloopback_users.guest = true\n' "$port" > "$dir/rabbitmq.conf"
  if [[ "$plugins" == *rabbitmq_management* ]]; then
    printf 'management.tcp.ip = 127.0.0.1\nmanagement.tcp.port = %s\n' "${RABBITMQ_MANAGEMENT_PORT:-15672}" >> "$dir/rabbitmq.conf"
  fi
  # RABBITMQ_EXTRA_CONF: more rabbitmq.conf lines (e.g. the benchmark's statistics interval).
  [ -n "${RABBITMQ_EXTRA_CONF:-}" ] && printf '%s\n' "$RABBITMQ_EXTRA_CONF" >> "$dir/rabbitmq.conf"
  echo "[]." > "$dir/advanced.config"
  echo "[${plugins}]." > "$dir/enabled_plugins"
  (
    _rabbitmq_env "$dir"
    "$RABBITMQ_BIN/rabbitmq-server" -detached > "$dir/log/startup.log" 2>&1
  ) || { echo "rabbitmq-server failed to start; see $dir/log" >&2; return 1; }
  printf 'rabbitmq on 127.0.0.1:%s ' "$port"
  if ! servers_wait_port "$port" rabbitmq 180 "$dir/log/erl_crash.dump"; then
    tail -n 20 "$dir"/log/*.log >&2 2>/dev/null
    return 1
  fi
  echo " up"
}

# servers_stop_rabbitmq DIR — stops the node started in DIR (and the epmd it started), by pid.
servers_stop_rabbitmq() {
  local dir=$1 pid
  [ -f "$dir/ports" ] || return 0
  pid=$(cat "$dir/rabbitmq.pid" 2>/dev/null || true)
  (
    _rabbitmq_env "$dir"
    if servers_pid_alive "$pid"; then
      timeout 60 "$RABBITMQ_BIN/rabbitmqctl" -q stop "$dir/rabbitmq.pid" >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
    fi
    # epmd on our private port serves only this node; it outlives the node unless told to go.
    timeout 10 epmd -kill >/dev/null 2>&1 || true
  )
  for _ in $(seq 1 30); do servers_pid_alive "$pid" || break; sleep 1; done
  servers_pid_alive "$pid" && kill -9 "$pid" 2>/dev/null
  rm -f "$dir/rabbitmq.pid"
}

# servers_kill_rabbitmq DIR — ends the node started in DIR at once (SIGKILL, then the epmd it started): for a node
# whose data nobody keeps, such as a drill's own, where the orderly stop of servers_stop_rabbitmq costs seconds.
servers_kill_rabbitmq() {
  local dir=$1 pid
  [ -f "$dir/ports" ] || return 0
  pid=$(cat "$dir/rabbitmq.pid" 2>/dev/null || true)
  # Only the node of DIR (its command line names DIR): a node that died earlier may have left its pid to another process.
  if servers_pid_alive "$pid" && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF "$dir"; then
    kill -9 "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do servers_pid_alive "$pid" || break; sleep 0.1; done
    # epmd refuses to go while a node is registered with it: say what stays behind.
    servers_pid_alive "$pid" && echo "RabbitMQ node $pid of $dir outlived SIGKILL; it and its epmd stay" >&2
  fi
  ( _rabbitmq_env "$dir"; timeout 10 epmd -kill >/dev/null 2>&1 || true )
  rm -f "$dir/rabbitmq.pid"
}

# servers_start_redis DIR PORT — starts redis on 127.0.0.1:PORT with its files in DIR.
servers_start_redis() {
  local dir=$1 port=$2
  mkdir -p "$dir"
  redis-server --bind 127.0.0.1 --port "$port" --daemonize yes --dir "$dir" \
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --save "" --appendonly no \
    || { echo "redis-server failed to start; see $dir/redis.log" >&2; return 1; }
  printf 'redis on 127.0.0.1:%s ' "$port"
  servers_wait_port "$port" redis 30 || return 1
  # The pid file is written just after the port opens; the stop functions need it.
  for _ in $(seq 1 20); do [ -s "$dir/redis.pid" ] && break; sleep 0.2; done
  echo " up"
}

# servers_stop_redis DIR — stops the redis whose pid file is in DIR.
servers_stop_redis() {
  local dir=$1 pid
  pid=$(cat "$dir/redis.pid" 2>/dev/null || true)
  servers_pid_alive "$pid" || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 20); do servers_pid_alive "$pid" || break; sleep 0.5; done
  servers_pid_alive "$pid" && kill -9 "$pid" 2>/dev/null
  rm -f "$dir/redis.pid"
}

# servers_rabbitmqctl DIR ARGS... — runs rabbitmqctl against the node started in DIR (e.g. stop_app, start_app).
servers_rabbitmqctl() {
  local dir=$1
  shift
  (
    _rabbitmq_env "$dir"
    timeout 180 "$RABBITMQ_BIN/rabbitmqctl" -q "$@"
  )
}
