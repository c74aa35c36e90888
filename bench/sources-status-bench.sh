#!/usr/bin/env bash
# Source status benchmark: a node with N sources (PostgreSQL change tables) sending to its own central
# endpoint. For [seconds] (longer than backlogIntervalMs = 60 s, so the bound on backlog counts shows), reads
# GET /api/sources and GET /_api/version of the same server (the baseline, measured in the same run) one after
# the other, and counts the backlog queries the sources sent to their database while the status was read.
#
#   bench/sources-status-bench.sh [sources=100] [seconds=150]
#   BENCH_JAVA_OPTS=-XX:StartFlightRecording=filename=target/status-bench.jfr,settings=profile  (a CPU profile)
#
# Needs the PostgreSQL server the tests use (127.0.0.1:5432, user postgres, trust).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -o -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
exec java -Xmx512m ${BENCH_JAVA_OPTS:-} -cp "target/classes:target/test-classes:$(cat target/bench-classpath.txt)" \
  io.tributary.source.SourceStatusBench "${1:-100}" "${2:-150}"
