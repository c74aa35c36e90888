#!/usr/bin/env bash
# Follower benchmark (issue 13): a primary and a follower node (their own JVMs, central stores on PostgreSQL,
# the follower a tributary-follower route). Prints one table: the follower's lag p50/p99 under a steady
# write rate on the primary, and the catch-up rate of a backlog next to the primary's import rate of the
# same run. See docs/performance.md and docs/replication.md.
#
#   bench/follower-bench.sh [--entries 1000000] [--steady-seconds 30] [--steady-rate 1000] [--senders 1]
#                           [--clients 2] [--limit N] [--wait S] [--xmx 512m] [--profile]
#
# --senders: threads sending the steady imports; --clients: threads importing the backlog.
# --limit/--wait: the follower's template parameters (default: the template's). --profile: a JFR recording of
# the follower per phase (summarise with bench/profile-summary.sh).
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth). Drops and recreates the databases
# bench_follower_primary and bench_follower_replica (dropped again at the end): do not run two at once.
# Writes logs and results.md under target/bench/follower-<time>/.
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in -h|--help) sed -n '2,15p' "$0"; exit 0 ;; esac

# Compile when a source file is newer than the classpath file (the harness is in the test sources).
if [[ ! -f target/follower-bench.classpath ]] || [[ -n "$(find src routes pom.xml -newer target/follower-bench.classpath -print -quit)" ]]; then
  mvn -q -B -o test-compile dependency:build-classpath -Dmdep.outputFile=target/follower-bench.classpath -Dmdep.includeScope=test
fi

exec java -Xmx512m -Duser.timezone=UTC \
  -cp "target/test-classes:target/classes:$(cat target/follower-bench.classpath)" \
  io.tributary.bench.FollowerBench "$@"
