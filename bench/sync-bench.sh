#!/usr/bin/env bash
# Collection sync benchmark: full sync of N rows between two Tributary nodes (in one JVM, two ports),
# then an incremental sync after 1% of the rows changed, then a full sync of the same data again.
# Prints seconds, MB received from the source, rows transferred and deleted per run.
#
#   bench/sync-bench.sh [rows=1000000] [H2|POSTGRESQL|MARIADB]
#
# PostgreSQL/MariaDB need the servers the tests use (127.0.0.1:5432 postgres, 127.0.0.1:3306 root).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
exec java -Xmx1g -cp "target/classes:target/test-classes:$(cat target/bench-classpath.txt)" \
  io.tributary.sync.SyncBench "${1:-1000000}" "${2:-H2}"
