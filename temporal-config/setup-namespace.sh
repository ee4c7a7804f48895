#!/bin/sh
# Creates the payment service's namespace and registers its search attributes (namespace.env beside
# this script) on a running Temporal cluster; running it again changes nothing. docker-compose's
# one-shot job runs it, and so does the PostgreSQL-backed test cluster (test/support/temporal-cluster.ts).
# The dev server needs none of it: it takes the same file as flags.
#
# The connection is the `temporal` CLI's own, from Temporal's client variables (the ones the worker and
# the ingress read too): TEMPORAL_ADDRESS [localhost:7233], TEMPORAL_TLS, TEMPORAL_TLS_CLIENT_CERT_PATH,
# TEMPORAL_TLS_CLIENT_KEY_PATH, TEMPORAL_TLS_SERVER_CA_CERT_PATH, TEMPORAL_TLS_SERVER_NAME,
# TEMPORAL_API_KEY, TEMPORAL_CONFIG_FILE, TEMPORAL_PROFILE, ...
# TEMPORAL_NAMESPACE, when set, names the namespace instead of namespace.env.
# TEMPORAL_CLI [temporal]: the CLI to run. SETUP_WAIT_SECONDS [120]: how long to wait for the frontend
# (compose starts this job together with the server).
set -eu
. "$(dirname "$0")/namespace.env"
namespace=${TEMPORAL_NAMESPACE:-$NAMESPACE}
temporal=${TEMPORAL_CLI:-temporal}

wait_seconds=${SETUP_WAIT_SECONDS:-120}
deadline=$(( $(date +%s) + wait_seconds ))

# Runs a command until it succeeds; past the deadline runs it once more to show why it fails, and stops.
retry() {
  what=$1
  shift
  until "$@" >/dev/null 2>&1; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "setup-namespace: no $what within $wait_seconds s" >&2
      "$@"
      exit 1
    fi
    sleep 0.5
  done
}

# Whether the namespace lists every search attribute of namespace.env.
registered() {
  listed=$("$temporal" operator search-attribute list --namespace "$namespace") || return 1
  for attribute in $SEARCH_ATTRIBUTES; do
    case $listed in
      *"${attribute%%=*}"*) ;;
      *) return 1 ;;
    esac
  done
}

retry "Temporal frontend serving" "$temporal" operator cluster health

if "$temporal" operator namespace describe --namespace "$namespace" >/dev/null 2>&1; then
  echo "setup-namespace: namespace $namespace exists"
else
  "$temporal" operator namespace create --namespace "$namespace"
fi
# The services learn of a new namespace from their namespace cache, refreshed every few seconds.
retry "namespace $namespace in the frontend's namespace cache" "$temporal" operator search-attribute list --namespace "$namespace"

# One call for all of them; attributes already registered with the same type are left as they are.
set --
for attribute in $SEARCH_ATTRIBUTES; do
  set -- "$@" --name "${attribute%%=*}" --type "${attribute#*=}"
done
"$temporal" operator search-attribute create --namespace "$namespace" "$@"
# Done when the frontend lists them; the other services' namespace caches refresh on the same interval.
retry "search attributes listed for $namespace" registered
echo "setup-namespace: namespace $namespace with search attributes$(printf ' %s' $SEARCH_ATTRIBUTES)"
