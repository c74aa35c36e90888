#!/usr/bin/env bash
# The Tributary benchmark (issue 3): one command, prints a table. See docs/performance.md.
#
#   bench/run.sh [--rows N] [--xmx 256m] [--max-changes 10000] [--batch-size 2500]
#                [--parallel-batches 2] [--poll-ms 500] [--safety-lag-ms 100] [--steady-seconds 30] [--steady-rate 1000]
#                [--central-args "-Dkey=value ..."] [--jvm-args "-XX:... ..."] [--profile] [--load-only]
#
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth) with psql/pg_dump on PATH.
# Drops and recreates the databases bench_src, bench_central, bench_copy, bench_dump.
# Writes logs, GC logs, JFR recordings (--profile) and results.md under target/bench/<time>/.
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in -h|--help) sed -n '2,10p' "$0"; exit 0 ;; esac

# Build once; rebuild when a source file is newer than the classpath file.
if [[ ! -f target/bench.classpath ]] || [[ -n "$(find src routes pom.xml -newer target/bench.classpath -print -quit)" ]]; then
  mvn -q -B -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
fi

exec java -Xmx512m -Duser.timezone=UTC \
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.tributary.bench.Benchmark "$@"
