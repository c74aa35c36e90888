#!/usr/bin/env bash
# Source status benchmark: a node with N sources (PostgreSQL change tables) sending to its own central
# endpoint. Times GET /api/sources against GET /_api/version of the same server (the baseline, measured in
# the same run) and counts the backlog queries the source database got while the status was read.
#
#   bench/sources-status-bench.sh [sources=100]
#
# Needs the PostgreSQL server the tests use (127.0.0.1:5432, user postgres, trust).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
exec java -Xmx512m -cp "target/classes:target/test-classes:$(cat target/bench-classpath.txt)" \
  io.tributary.source.SourceStatusBench "${1:-100}"
