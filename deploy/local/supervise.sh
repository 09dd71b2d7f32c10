#!/usr/bin/env bash
# Runs a worker and starts it again when it asks for that or crashes, as Kubernetes or `restart: on-failure` would.
#
#   deploy/local/supervise.sh [--state FILE] -- COMMAND [ARG...]
#
# What the command's exit code decides:
#   0        it stopped as asked (SIGTERM): not started again; the supervisor exits 0.
#   75       EX_TEMPFAIL: the worker found it no longer receives from the broker, found its engine hung, or could not
#            load its model for a reason that is not its folder's files (a device out of memory or busy); its last log
#            line says which. It asks to be started again: it is,
#            at once. A 75 that comes within SUPERVISE_RESTART_WINDOW seconds (600) of the one before shows that the
#            restart did not mend it (an endpoint fault that stays, or one that makes the worker exit at once): it is
#            started again after the crash back-off below, by how many 75s came so in a row (the second waits
#            SUPERVISE_BACKOFF). These restarts are not capped: the broker keeps the requests, and a worker may come
#            back once the fault is mended. A 75 is not a crash: it starts the crash count afresh.
#   78       EX_CONFIG: a setting is invalid; a restart would fail the same way, so it is not started again and the
#            supervisor exits 78.
#   other    a crash (1, 134 for an unhandled exception, 137 for SIGKILL...): started again after a back-off of
#            SUPERVISE_BACKOFF seconds (1), doubled after each crash in a row up to SUPERVISE_BACKOFF_MAX (30), at
#            most SUPERVISE_RESTARTS times in a row (5); the supervisor then gives up and exits with the last code. A
#            run that lasted SUPERVISE_STABLE seconds (60) before crashing starts the count afresh.
# A SUPERVISE_* value that is not a whole number stops the supervisor at once with 78, naming it.
# SIGTERM or SIGINT to the supervisor is passed on to the command, which is waited for (a worker drains its requests)
# and not started again. Its messages go to standard error, prefixed "supervise:". With --state FILE, one line there
# says what it is doing, for `cluster.sh status`.
set -uo pipefail

STATE_FILE=
while [ $# -gt 0 ]; do
  case "$1" in
    --state) STATE_FILE=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "usage: $0 [--state FILE] -- COMMAND [ARG...]" >&2; exit 2 ;;
  esac
done
[ $# -gt 0 ] || { echo "usage: $0 [--state FILE] -- COMMAND [ARG...]" >&2; exit 2; }

BACKOFF=${SUPERVISE_BACKOFF:-1}
BACKOFF_MAX=${SUPERVISE_BACKOFF_MAX:-30}
RESTARTS=${SUPERVISE_RESTARTS:-5}
STABLE=${SUPERVISE_STABLE:-60}
RESTART_WINDOW=${SUPERVISE_RESTART_WINDOW:-600}
EXIT_RESTART=75
EXIT_CONFIG=78

# A value that is not a whole number made each comparison below fail, and a supervisor that never gave up.
for setting in SUPERVISE_BACKOFF:"$BACKOFF" SUPERVISE_BACKOFF_MAX:"$BACKOFF_MAX" SUPERVISE_RESTARTS:"$RESTARTS" \
    SUPERVISE_STABLE:"$STABLE" SUPERVISE_RESTART_WINDOW:"$RESTART_WINDOW"; do
  if ! [[ "${setting#*:}" =~ ^[0-9]+$ ]]; then
    echo "supervise: ${setting%%:*} must be a whole number of seconds or restarts (0 or more); it is '${setting#*:}'" >&2
    exit "$EXIT_CONFIG"
  fi
done
# Read in base 10: bash takes a number with a leading 0 for octal, and 08 or 09 stopped the supervisor at the first crash.
BACKOFF=$((10#$BACKOFF)) BACKOFF_MAX=$((10#$BACKOFF_MAX)) RESTARTS=$((10#$RESTARTS)) STABLE=$((10#$STABLE))
RESTART_WINDOW=$((10#$RESTART_WINDOW))

child=
stopping=

say() { echo "supervise: $*" >&2; }
state() { if [ -n "$STATE_FILE" ]; then echo "$*" > "$STATE_FILE"; fi; }

# backoff N — the wait before the start that follows the Nth failure in a row: SUPERVISE_BACKOFF doubled N - 1 times,
# at most SUPERVISE_BACKOFF_MAX.
backoff() {
  local delay=$((BACKOFF < BACKOFF_MAX ? BACKOFF : BACKOFF_MAX))
  for _ in $(seq 2 "$1"); do
    delay=$((delay * 2))
    [ "$delay" -lt "$BACKOFF_MAX" ] || { delay=$BACKOFF_MAX; break; }
  done
  echo "$delay"
}

on_signal() {
  stopping=1
  if [ -n "$child" ]; then
    kill -TERM "$child" 2>/dev/null || true
  fi
}
trap on_signal TERM INT

crashes=0
runs=0
# 75s in a row, each within RESTART_WINDOW seconds of the one before, and when the last came.
restart_requests=0
last_restart_request=
while :; do
  # A signal that came while no command ran (after it exited, before the next start) reached nobody: obey it here.
  if [ -n "$stopping" ]; then
    say "stopped before starting the command again"
    state "stopped"
    exit 0
  fi
  runs=$((runs + 1))
  started=$SECONDS
  "$@" &
  child=$!
  # A signal between the start and the line above set stopping but had no pid to pass on to.
  if [ -n "$stopping" ]; then
    kill -TERM "$child" 2>/dev/null || true
  fi
  state "running pid $child (run $runs)"
  rc=0
  wait "$child" || rc=$?
  # A signal to the supervisor interrupts the wait; the command is still draining: wait for it to end.
  while kill -0 "$child" 2>/dev/null; do
    rc=0
    wait "$child" || rc=$?
  done
  child=
  if [ -n "$stopping" ]; then
    say "stopped (the command exited with $rc)"
    state "stopped"
    exit 0
  fi

  case "$rc" in
    0)
      say "the command exited with 0: stopped as asked, not started again"
      state "exited 0 (stopped as asked)"
      exit 0 ;;
    "$EXIT_CONFIG")
      say "the command exited with $EXIT_CONFIG (invalid configuration): not started again; fix the setting its log names and start it again"
      state "exited $EXIT_CONFIG (invalid configuration); not started again"
      exit "$EXIT_CONFIG" ;;
    "$EXIT_RESTART")
      crashes=0
      if [ -n "$last_restart_request" ] && [ $((SECONDS - last_restart_request)) -lt "$RESTART_WINDOW" ]; then
        restart_requests=$((restart_requests + 1))
      else
        restart_requests=1
      fi
      last_restart_request=$SECONDS
      if [ "$restart_requests" -eq 1 ]; then
        say "the command exited with $EXIT_RESTART (it asks to be started again; its last log line says why); starting it again at once"
        continue
      fi
      delay=$(backoff $((restart_requests - 1)))
      say "the command exited with $EXIT_RESTART (it asks to be started again; its last log line says why), $restart_requests times in a row within ${RESTART_WINDOW}s: the fault outlasts a restart; starting it again in ${delay}s"
      state "exited $EXIT_RESTART; starting again in ${delay}s ($restart_requests restart requests in a row within ${RESTART_WINDOW}s)" ;;
    *)
      if [ $((SECONDS - started)) -ge "$STABLE" ]; then
        crashes=0
      fi
      crashes=$((crashes + 1))
      if [ "$crashes" -gt "$RESTARTS" ]; then
        say "the command exited with $rc, $crashes crashes in a row: giving up after $RESTARTS restarts"
        state "exited $rc; gave up after $RESTARTS restarts in a row"
        exit "$rc"
      fi
      delay=$(backoff "$crashes")
      say "the command exited with $rc (crash $crashes of at most $RESTARTS in a row); starting it again in ${delay}s"
      state "exited $rc; starting again in ${delay}s (crash $crashes of at most $RESTARTS in a row)" ;;
  esac

  sleep "$delay" &
  child=$!
  wait "$child" 2>/dev/null || true
  child=
  if [ -n "$stopping" ]; then
    say "stopped while waiting to start the command again"
    state "stopped"
    exit 0
  fi
done
