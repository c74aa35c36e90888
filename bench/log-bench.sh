#!/usr/bin/env bash
# The change log's cost on the import path: the same imports into a central store on PostgreSQL with
# tributary.log.enabled on and off, alternating in one run, for 1 and 8 concurrent clients (new keys, then
# updates of them). Prints a table of rows/s and the ratio on/off. See docs/performance.md.
#
#   bench/log-bench.sh [rows=200000] [rounds=3] [--http]
#
# --http: the imports go to two nodes (log on, log off; each on its own database) as POST /_api/import, as
# users import; without it the harness calls the store directly, so the log's share is not diluted.
#
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth); creates and drops a fresh database.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
exec java -Xmx1g -cp "target/classes:target/test-classes:$(cat target/bench-classpath.txt)" \
  io.tributary.bench.LogBench "$@"
