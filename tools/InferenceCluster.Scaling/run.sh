#!/usr/bin/env bash
# The scaling benchmark: builds the gateway, the worker and this tool, starts a private RabbitMQ (management
# plugin on, statistics every second) on free 127.0.0.1 ports with deploy/local/servers.sh, runs the tool's
# scenarios with simulated workers, and always stops what it started. Options go to the tool, e.g.
#
#   tools/InferenceCluster.Scaling/run.sh --scenarios scaling --workers 1,2,4 --seconds 5
#
# Results (markdown) go to stdout; charts to docs/images/scaling-*.svg. See docs/scaling.md.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
# shellcheck source=../../deploy/local/servers.sh
. "$ROOT/deploy/local/servers.sh"

STATE=$(mktemp -d "${TMPDIR:-/tmp}/inferencecluster-scaling.XXXXXX")
cleanup() {
  servers_stop_rabbitmq "$STATE/rabbitmq" || true
  rm -rf "$STATE"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

servers_ensure_packages rabbitmq-server curl
for project in gateway/InferenceCluster.Gateway worker/InferenceCluster.Worker tools/InferenceCluster.Scaling; do
  dotnet build "$project" -c Release -nologo -v q -clp:ErrorsOnly
done

port=$(servers_free_port)
RABBITMQ_MANAGEMENT_PORT=$(servers_free_port)
export RABBITMQ_MANAGEMENT_PORT
RABBITMQ_EXTRA_CONF='collect_statistics_interval = 1000' servers_start_rabbitmq "$STATE/rabbitmq" "$port" rabbitmq_management

dotnet tools/InferenceCluster.Scaling/bin/Release/net10.0/InferenceCluster.Scaling.dll \
  --rabbitmq "amqp://guest:guest@127.0.0.1:$port/" \
  --management "http://127.0.0.1:$RABBITMQ_MANAGEMENT_PORT/" \
  --broker-pid-file "$STATE/rabbitmq/rabbitmq.pid" \
  --gateway-dll gateway/InferenceCluster.Gateway/bin/Release/net10.0/InferenceCluster.Gateway.dll \
  --worker-dll worker/InferenceCluster.Worker/bin/Release/net10.0/InferenceCluster.Worker.dll \
  --images docs/images "$@"
