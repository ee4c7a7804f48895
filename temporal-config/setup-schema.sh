#!/bin/sh
# Creates the Temporal server's two PostgreSQL databases when they are missing and brings their schemas
# to the versions this server release needs (temporal-sql-tool carries them); running it again changes
# nothing. Run it before the server starts (server/postgres.yaml): docker-compose's schema job and the
# PostgreSQL-backed test cluster (test/support/temporal-cluster.ts) both do.
#
# Takes the server configuration's variables: SQL_HOST [127.0.0.1], SQL_PORT [5432], SQL_USER [temporal],
# SQL_PASSWORD, TEMPORAL_DB [temporal], TEMPORAL_VISIBILITY_DB [temporal_visibility], and for TLS SQL_TLS,
# SQL_TLS_CA_FILE, SQL_TLS_CERT_FILE, SQL_TLS_KEY_FILE, SQL_TLS_SERVER_NAME, SQL_TLS_DISABLE_HOST_VERIFICATION
# (temporal-sql-tool reads the SQL_ ones itself). TEMPORAL_SQL_TOOL [temporal-sql-tool]: the tool to run.
set -eu
tool=${TEMPORAL_SQL_TOOL:-temporal-sql-tool}
export SQL_PLUGIN=postgres12 SQL_HOST="${SQL_HOST:-127.0.0.1}" SQL_PORT="${SQL_PORT:-5432}" SQL_USER="${SQL_USER:-temporal}"

# $1: database, $2: the schema embedded in temporal-sql-tool
setup() {
  if ! created=$("$tool" --database "$1" create-database 2>&1); then
    case $created in
      *"already exists"*) ;;
      *) echo "$created" >&2; exit 1 ;;
    esac
  fi
  # Version 0.0 marks an empty database; update-schema then applies every versioned step after it
  # (both skip what an earlier run did).
  "$tool" --database "$1" setup-schema --version 0.0
  "$tool" --database "$1" update-schema --schema-name "$2"
}

setup "${TEMPORAL_DB:-temporal}" postgresql/v12/temporal
setup "${TEMPORAL_VISIBILITY_DB:-temporal_visibility}" postgresql/v12/visibility
