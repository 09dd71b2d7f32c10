#!/usr/bin/env bash
# How long cluster.sh gives each service to drain on SIGTERM, read as the service reads it; sourced by cluster.sh (it
# needs GATEWAY_PROJECT and CONFIGURATION for the gateway's appsettings files).
#
# A stop cut short kills requests a longer wait would have let finish, and a service killed in its drain looks to its
# clients like a crash: `down` and `scale` wait for a service's Worker:DrainGrace or Gateway:DrainGrace plus 30 s, and
# `up` refuses a grace the service would refuse (it would exit 78) before it starts anything.

# timespan_seconds VALUE — VALUE read as .NET reads a TimeSpan setting, in whole seconds rounded up: d (days: "20" is
# 20 days), [d.]hh:mm[:ss[.fffffff]] or d:hh:mm:ss[.fffffff]. Fails on anything else, a negative value included.
timespan_seconds() {
  local value=$1 days=0 hours minutes seconds=0 fraction=
  value="${value#"${value%%[![:space:]]*}"}"
  value="${value%"${value##*[![:space:]]}"}"
  if [[ "$value" =~ ^([0-9]{1,8})$ ]]; then
    days=${BASH_REMATCH[1]} hours=0 minutes=0
  elif [[ "$value" =~ ^(([0-9]{1,8})\.)?([0-9]{1,2}):([0-9]{1,2})(:([0-9]{1,2})(\.([0-9]{1,7}))?)?$ ]]; then
    days=${BASH_REMATCH[2]:-0} hours=${BASH_REMATCH[3]} minutes=${BASH_REMATCH[4]} seconds=${BASH_REMATCH[6]:-0}
    fraction=${BASH_REMATCH[8]}
  elif [[ "$value" =~ ^([0-9]{1,8}):([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(\.([0-9]{1,7}))?$ ]]; then
    days=${BASH_REMATCH[1]} hours=${BASH_REMATCH[2]} minutes=${BASH_REMATCH[3]} seconds=${BASH_REMATCH[4]}
    fraction=${BASH_REMATCH[6]}
  else
    return 1
  fi
  days=$((10#$days)) hours=$((10#$hours)) minutes=$((10#$minutes)) seconds=$((10#$seconds))
  [ "$hours" -le 23 ] && [ "$minutes" -le 59 ] && [ "$seconds" -le 59 ] || return 1
  seconds=$((((days * 24 + hours) * 60 + minutes) * 60 + seconds))
  [[ "$fraction" =~ [1-9] ]] && seconds=$((seconds + 1))
  echo "$seconds"
}

# The drain a worker is given on SIGTERM (Worker__DrainGrace, 20 s when unset), in seconds. A value the worker refuses
# (one it cannot read, or outside 0 to 1 hour) fails with a message naming the variable: `up` stops on it before it
# starts anything, rather than start workers that exit 78 and wait for a readiness that never comes.
worker_drain_grace_seconds() {
  local grace=${Worker__DrainGrace:-00:00:20} seconds
  if ! seconds=$(timespan_seconds "$grace") || [ "$seconds" -gt 3600 ]; then
    echo "Worker__DrainGrace must be a time span between 0 and 1 hour, as hh:mm:ss (e.g. 00:00:20; a plain number is days); it is '$grace'" >&2
    return 1
  fi
  echo "$seconds"
}

# Seconds `down` and `scale` give a worker's supervisor to end: the worker's drain and the seconds it then takes to
# close, with room to spare. Only after that is its process group killed, worker included. A grace that cannot be read
# (`up` refuses one; the environment changed since) gets the longest drain a worker accepts, an hour: a stop cut short
# kills requests a longer wait would have let finish.
worker_stop_timeout() {
  local seconds
  seconds=$(worker_drain_grace_seconds 2>/dev/null) || seconds=3600
  echo $((seconds + 30))
}

# dotnet_environment_setting KEY [PREFIX] — the value of the environment variable that sets the .NET setting KEY
# (Section:Name) under PREFIX (none, DOTNET_ or ASPNETCORE_), as .NET's environment configuration reads it: "__" or ":"
# between the parts, in any case (GATEWAY__DRAINGRACE is Gateway:DrainGrace). Status 1 when no variable sets it, 2 when
# several do with different values (which one .NET takes is not defined).
dotnet_environment_setting() {
  local key=${2:-}$1 entry name value= found=
  key=${key//__/:}
  while IFS= read -r -d '' entry; do
    name=${entry%%=*}
    name=${name//__/:}
    [ "${name,,}" = "${key,,}" ] || continue
    if [ -n "$found" ] && [ "$value" != "${entry#*=}" ]; then
      return 2
    fi
    found=1 value=${entry#*=}
  done < <(env -0)
  [ -n "$found" ] || return 1
  printf '%s\n' "$value"
}

# dotnet_json_setting KEY FILE — the value FILE (an appsettings JSON file) gives the setting KEY (Section:Name, in any
# case), read with jq. Status 1 when the file does not set it, 2 when it cannot be read.
dotnet_json_setting() {
  local key=$1 file=$2 value
  [ -f "$file" ] || return 1
  grep -qi "${key##*:}" "$file" || return 1
  command -v jq > /dev/null || return 2
  value=$(jq -r --arg key "${key,,}" '
    [paths(scalars) as $path | {key: ($path | map(tostring) | join(":") | ascii_downcase), value: getpath($path)}]
    | map(select(.key == $key)) | if length == 0 then empty else (last.value | tostring) end' "$file" 2>/dev/null) || return 2
  [ -n "$value" ] || return 1
  printf '%s\n' "$value"
}

# gateway_setting KEY — the value the gateway started by `up` reads for the setting KEY (Section:Name), from where an
# ASP.NET Core service reads it, the first that sets it: the environment variable (Gateway__DrainGrace, in any case, or
# Gateway:DrainGrace), appsettings.{environment}.json and appsettings.json in its folder, the variable prefixed
# DOTNET_, then ASPNETCORE_. Status 1 when none sets it, 2 when one cannot be read.
gateway_setting() {
  local key=$1 dir="$GATEWAY_PROJECT/bin/$CONFIGURATION/net10.0" environment rc source
  environment=${DOTNET_ENVIRONMENT:-Production}
  for source in env: "json:$dir/appsettings.$environment.json" "json:$dir/appsettings.json" env:DOTNET_ env:ASPNETCORE_; do
    rc=0
    case "$source" in
      env:*) dotnet_environment_setting "$key" "${source#env:}" || rc=$? ;;
      json:*) dotnet_json_setting "$key" "${source#json:}" || rc=$? ;;
    esac
    [ "$rc" -eq 1 ] || return "$rc"
  done
  return 1
}

# The drain the gateway is given on SIGTERM (Gateway:DrainGrace, 20 s when unset), in seconds, read where the gateway
# reads it. A value the gateway refuses (outside 0 to 1 hour, unreadable, set twice differently) fails with a message
# naming Gateway__DrainGrace: `up` stops on it before it starts anything.
gateway_drain_grace_seconds() {
  local grace seconds rc=0
  grace=$(gateway_setting Gateway:DrainGrace) || rc=$?
  if [ "$rc" -eq 1 ]; then
    grace=00:00:20
  elif [ "$rc" -ne 0 ]; then
    echo "Gateway__DrainGrace is set in more than one form with different values, or in an appsettings file that cannot be read (jq is needed)" >&2
    return 1
  fi
  if ! seconds=$(timespan_seconds "$grace") || [ "$seconds" -gt 3600 ]; then
    echo "Gateway__DrainGrace must be a time span between 0 and 1 hour, as hh:mm:ss (e.g. 00:00:20; a plain number is days); it is '$grace'" >&2
    return 1
  fi
  echo "$seconds"
}

# Seconds `down` gives the gateway to end: its drain and the seconds it then takes to stop its bus, with room to spare,
# as for a worker. A grace that cannot be read gets the longest drain the gateway accepts, an hour.
gateway_stop_timeout() {
  local seconds
  seconds=$(gateway_drain_grace_seconds 2>/dev/null) || seconds=3600
  echo $((seconds + 30))
}
