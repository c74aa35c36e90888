#!/usr/bin/env bash
# Summarises a JFR recording written by `bench/run.sh --profile`: the hottest top frames and the
# hottest Tributary/JDBC/Jackson/HTTP frames anywhere on the stack (CPU samples, jdk.ExecutionSample).
#   bench/profile-summary.sh target/bench/<time>/initial-load-central.jfr [top-n]
set -euo pipefail
file=$1; n=${2:-15}
samples=$(mktemp); trap 'rm -f "$samples"' EXIT
jfr print --events jdk.ExecutionSample "$file" > "$samples"
total=$(grep -c 'jdk.ExecutionSample' "$samples" || true)
echo "== $file: $total CPU samples"
echo "-- top frames"
awk '/stackTrace = \[/{getline; sub(/^[ \t]+/, ""); sub(/line:.*/, ""); print}' "$samples" \
  | sort | uniq -c | sort -rn | head -"$n"
echo "-- samples with the frame anywhere on the stack (by component)"
for pattern in 'io.tributary.central.ImportBody' 'io.tributary.central.JdbcCollectionStore.text' 'io.tributary.central.JdbcCollectionStore.mergeOnPostgres' \
               'io.tributary.source.ChangeFeed' 'io.tributary.source.BatchDocuments' 'com.fasterxml.jackson' 'org.postgresql' \
               'org.apache.hc.' 'io.vertx' 'org.apache.camel.component.platform.http' 'java.util.zip' ; do
  c=$(awk -v p="$pattern" '/jdk.ExecutionSample/{if (hit) n++; hit=0} index($0, p){hit=1} END{if (hit) n++; print n+0}' "$samples")
  printf '%7d  %s\n' "$c" "$pattern"
done
