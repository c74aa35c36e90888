#!/usr/bin/env bash
# Two-way sync benchmark: a PostgreSQL table <-> a MariaDB table of N identical rows. A run over the whole
# history (what a full copy of the pair costs), then 1% of the rows changed on each side and a run over the
# range since. Prints seconds, rows read, rows read per second, and the incremental run's time as a share
# of the full one.
#
#   bench/two-way-bench.sh [rows=1000000]
#
# Needs the servers the tests use (127.0.0.1:5432 postgres, 127.0.0.1:3306 root).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
exec java -Xmx1g -cp "target/classes:target/test-classes:$(cat target/bench-classpath.txt)" \
  io.tributary.twoway.TwoWayBench "${1:-1000000}"
