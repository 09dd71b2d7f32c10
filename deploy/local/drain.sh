#!/usr/bin/env bash
# How long cluster.sh gives each service to drain on SIGTERM, read as the service reads it; sourced by cluster.sh (it
# needs CONFIGURATION for the services' appsettings files, STATE for the stop timeouts `up` recorded).
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

# dotnet_environment_setting KEY [PREFIX] — "NAME<tab>VALUE" of the environment variable that sets the .NET setting KEY
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
    found=${entry%%=*} value=${entry#*=}
  done < <(env -0)
  [ -n "$found" ] || return 1
  printf '%s\t%s\n' "$found" "$value"
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

# service_setting PROJECT KEY — where the service built from PROJECT reads the setting KEY (Section:Name), and the value:
# "SOURCE<tab>VALUE" from the first that sets it, in a .NET host's order: the environment variable (Section__Name in
# any case, or Section:Name), appsettings.{environment}.json and appsettings.json of its output folder, the variable
# prefixed DOTNET_, then, for a web project (the gateway), ASPNETCORE_. Status 1 when none sets it, 2 when one cannot
# be read.
service_setting() {
  local project=$1 key=$2 dir="$1/bin/$CONFIGURATION/net10.0" rc source value sources
  sources=(env: "json:$dir/appsettings.${DOTNET_ENVIRONMENT:-Production}.json" "json:$dir/appsettings.json" env:DOTNET_)
  grep -qs 'Sdk="Microsoft.NET.Sdk.Web"' "$project"/*.csproj && sources+=(env:ASPNETCORE_)
  for source in "${sources[@]}"; do
    rc=0
    case "$source" in
      env:*) value=$(dotnet_environment_setting "$key" "${source#env:}") || rc=$? ;;
      json:*) value=$(dotnet_json_setting "$key" "${source#json:}") && value="$key in ${source#json:}"$'\t'"$value" || rc=$? ;;
    esac
    [ "$rc" -eq 1 ] && continue
    [ "$rc" -eq 0 ] && printf '%s\n' "$value"
    return "$rc"
  done
  return 1
}

# drain_grace_seconds PROJECT SECTION — the drain the service is given on SIGTERM (SECTION:DrainGrace, 20 s when unset),
# in seconds, read where the service reads it. A value the service refuses (outside 0 to 1 hour, unreadable, set twice
# differently) fails with a message naming where it was set: `up` stops on it before it starts anything.
drain_grace_seconds() {
  local found grace=00:00:20 source seconds rc=0
  found=$(service_setting "$1" "$2:DrainGrace") || rc=$?
  if [ "$rc" -eq 0 ]; then
    source=${found%%$'\t'*} grace=${found#*$'\t'}
  elif [ "$rc" -ne 1 ]; then
    echo "$2__DrainGrace is set in more than one form with different values, or in an appsettings file that cannot be read (jq is needed)" >&2
    return 1
  fi
  if ! seconds=$(timespan_seconds "$grace") || [ "$seconds" -gt 3600 ]; then
    echo "${source:-$2:DrainGrace} must be a time span between 0 and 1 hour, as hh:mm:ss (e.g. 00:00:20; a plain number is days); it is '$grace'" >&2
    return 1
  fi
  echo "$seconds"
}

# stop_timeout PROJECT SECTION — seconds `down` and `scale` give the service to end: its drain and the seconds it then
# takes to stop its bus, with room to spare. A grace that cannot be read (`up` refuses one; the environment changed since)
# gets the longest drain a service accepts, an hour: a stop cut short kills requests a longer wait would have let finish.
stop_timeout() {
  local seconds
  seconds=$(drain_grace_seconds "$1" "$2" 2>/dev/null) || seconds=3600
  echo $((seconds + 30))
}

# saved_stop_timeout NAME PROJECT SECTION — the stop timeout `up` recorded for NAME (gateway, workers): `down` and
# `scale` wait for the drain the services were started with, whatever the environment they run in.
saved_stop_timeout() {
  local seconds
  seconds=$(cat "$STATE/$1.stop-timeout" 2>/dev/null || true)
  [[ "$seconds" =~ ^[0-9]+$ ]] || seconds=$(stop_timeout "$2" "$3")
  echo "$seconds"
}
