#!/usr/bin/env bash
# Offline copy benchmark (issue 12): backup and restore of one PostgreSQL table of N rows by Tributary,
# next to pg_dump --data-only, its psql restore and COPY FROM of the same rows, in the same run.
# Prints one table (figure | seconds | rows/s | ratio | notes) and the issue's targets. See docs/performance.md.
#
#   bench/offline-bench.sh [--rows 1000000] [--xmx 256m] [--jvm-args "-XX:+UseParallelGC"] [--profile]
#
# --profile: a JFR recording of each Tributary process (backup.jfr, backup-gzip.jfr, restore.jfr; summarise
# with bench/profile-summary.sh).
#
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth) with psql/pg_dump on PATH, and gzip.
# Drops and recreates the databases bench_offline_src and bench_offline_dst (dropped again at the end).
# Writes the dump files, the backup, logs, GC logs and results.md under target/bench/offline-<time>/.
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in -h|--help) sed -n '2,10p' "$0"; exit 0 ;; esac

# Compile when a source file is newer than the classpath file (the harness is in the test sources).
if [[ ! -f target/offline-bench.classpath ]] || [[ -n "$(find src routes pom.xml -newer target/offline-bench.classpath -print -quit)" ]]; then
  mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/offline-bench.classpath -Dmdep.includeScope=test
fi

exec java -Xmx512m -Duser.timezone=UTC \
  -cp "target/test-classes:target/classes:$(cat target/offline-bench.classpath)" \
  io.tributary.bench.OfflineBench "$@"
