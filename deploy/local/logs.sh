#!/usr/bin/env bash
# `cluster.sh logs`: the log files cluster.sh writes in its state folder, shown with tail; sourced by cluster.sh, whose
# STATE it uses.

# log_files NAME — the log file(s) of NAME, one a line: gateway, worker-N, dashboard (.cluster/NAME.log), redis and
# rabbitmq (their folders, when cluster.sh started them). Status 2, naming NAME, for a name that is none of these;
# status 1 when NAME's log is not there.
log_files() {
  local name=$1 file
  case "$name" in
    gateway | dashboard) file="$STATE/$name.log" ;;
    worker-*)
      [[ "${name#worker-}" =~ ^[1-9][0-9]*$ ]] || { log_unknown "$name"; return 2; }
      file="$STATE/$name.log" ;;
    redis) file="$STATE/redis/redis.log" ;;
    rabbitmq)
      compgen -G "$STATE/rabbitmq/log/*.log" > /dev/null || { echo "logs: no rabbitmq log in $STATE/rabbitmq/log" >&2; return 1; }
      printf '%s\n' "$STATE"/rabbitmq/log/*.log
      return 0 ;;
    *) log_unknown "$name"; return 2 ;;
  esac
  [ -f "$file" ] || { echo "logs: no log of $name in $STATE (see: deploy/local/cluster.sh status)" >&2; return 1; }
  printf '%s\n' "$file"
}

log_unknown() {
  echo "logs: '$1' is no service of the cluster; one of: gateway, worker-N, redis, rabbitmq, dashboard" >&2
}

# cmd_logs [NAME...] [--follow|-f] [--lines|-n N] — the last N (100) lines of each named log, the gateway's and every
# worker's when none is named; with --follow, what they write next too, until Ctrl+C.
cmd_logs() {
  local follow= lines=100 names=() files=() file name found
  while [ $# -gt 0 ]; do
    case "$1" in
      -f | --follow) follow=1; shift ;;
      -n | --lines)
        [ $# -ge 2 ] || { echo "logs: $1 needs a number of lines" >&2; return 2; }
        lines=$2; shift 2 ;;
      --lines=*) lines=${1#*=}; shift ;;
      -*) echo "logs: unknown option '$1' (--follow, --lines N)" >&2; return 2 ;;
      *) names+=("$1"); shift ;;
    esac
  done
  [[ "$lines" =~ ^[0-9]+$ ]] || { echo "logs: --lines needs a whole number, got '$lines'" >&2; return 2; }
  if [ "${#names[@]}" -eq 0 ]; then
    [ -d "$STATE" ] || { echo "logs: no cluster ($STATE does not exist)" >&2; return 1; }
    for file in "$STATE"/gateway.log "$STATE"/worker-*.log; do
      [ -f "$file" ] && files+=("$file")
    done
    [ "${#files[@]}" -gt 0 ] || { echo "logs: no gateway or worker log in $STATE" >&2; return 1; }
  else
    for name in "${names[@]}"; do
      found=$(log_files "$name") || return
      mapfile -t -O "${#files[@]}" files <<< "$found"
    done
  fi
  if [ -n "$follow" ]; then
    # In place of the shell: a Ctrl+C or a kill of cluster.sh ends the tail with it.
    exec tail -n "$lines" -F "${files[@]}"
  else
    tail -n "$lines" "${files[@]}"
  fi
}
