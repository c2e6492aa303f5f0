#!/usr/bin/env bash
# Fetches Apache Kafka's jars from Maven Central (cached under .infra/, offline after the first run)
# and runs a single-node KRaft broker on 127.0.0.1:${KAFKA_PORT:-9092}.
# Usage: kafka.sh fetch | start | stop | status | restart
# A second, private broker (for tests that stop and start one) runs with KAFKA_PORT, KAFKA_CONTROLLER_PORT and
# KAFKA_STATE_DIR set; the jars are shared.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/tools/infra/kafka"
PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((PORT + 1))}"
STATE="${KAFKA_STATE_DIR:-$ROOT/.infra/kafka}"
LIB="$ROOT/.infra/kafka-lib"
PIDFILE="$STATE/kafka.pid"
LOG="$STATE/kafka.log"
CLUSTER_ID="bGF0Y2hrZXktbG9jYWwx"  # fixed: one local cluster per checkout

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

fetch() {
  if [ -f "$LIB/.complete" ]; then return 0; fi
  command -v mvn >/dev/null || { echo "kafka.sh: mvn is required to fetch Kafka's jars" >&2; exit 1; }
  mkdir -p "$LIB"
  echo "kafka.sh: fetching Kafka jars from Maven Central into $LIB"
  mvn -q -B -f "$HERE/pom.xml" dependency:copy-dependencies -DoutputDirectory="$LIB" -DincludeScope=runtime
  touch "$LIB/.complete"
}

running_pid() {
  if [ -f "$PIDFILE" ]; then
    local pid; pid="$(cat "$PIDFILE")"
    if kill -0 "$pid" 2>/dev/null; then echo "$pid"; return 0; fi
  fi
  return 1
}

start() {
  if running_pid >/dev/null; then echo "kafka.sh: broker already running (pid $(running_pid))"; return 0; fi
  if port_open "$PORT"; then echo "kafka.sh: something already listens on 127.0.0.1:$PORT; using it"; return 0; fi
  fetch
  command -v java >/dev/null || { echo "kafka.sh: java (17+) is required" >&2; exit 1; }
  mkdir -p "$STATE/data"
  sed -e "s#@PORT@#$PORT#g" -e "s#@CONTROLLER_PORT@#$CONTROLLER_PORT#g" -e "s#@DATA_DIR@#$STATE/data#g" \
    "$HERE/server.properties.template" > "$STATE/server.properties"
  local cp="$LIB/*"
  java -cp "$cp" -Dlog4j.configuration="file:$HERE/log4j.properties" kafka.tools.StorageTool format \
    -t "$CLUSTER_ID" -c "$STATE/server.properties" --ignore-formatted >>"$LOG" 2>&1
  # setsid: the broker must outlive the shell (and jest worker) that started it.
  setsid nohup java -Xms512m -Xmx512m -XX:+UseG1GC -XX:TieredStopAtLevel=1 \
    -Dlog4j.configuration="file:$HERE/log4j.properties" -cp "$cp" kafka.Kafka "$STATE/server.properties" \
    >>"$LOG" 2>&1 < /dev/null &
  echo $! > "$PIDFILE"
  local deadline=$((SECONDS + 90))
  until port_open "$PORT"; do
    if ! running_pid >/dev/null; then echo "kafka.sh: broker exited; last log lines:" >&2; tail -20 "$LOG" >&2; exit 1; fi
    if [ $SECONDS -ge $deadline ]; then echo "kafka.sh: broker did not open port $PORT in 90 s" >&2; exit 1; fi
    sleep 0.2
  done
  node "$ROOT/tools/infra/kafka-ready.js" "127.0.0.1:$PORT"
  echo "kafka.sh: broker up on 127.0.0.1:$PORT (pid $(cat "$PIDFILE"), log $LOG)"
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then echo "kafka.sh: broker not running"; return 0; fi
  kill -TERM "$pid"
  local deadline=$((SECONDS + 30))
  while kill -0 "$pid" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then kill -KILL "$pid" 2>/dev/null || true; break; fi
    sleep 0.1
  done
  rm -f "$PIDFILE"
  echo "kafka.sh: broker stopped"
}

case "${1:-}" in
  fetch) fetch ;;
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status) if running_pid >/dev/null || port_open "$PORT"; then echo running; else echo stopped; exit 1; fi ;;
  *) echo "usage: $0 fetch|start|stop|restart|status" >&2; exit 2 ;;
esac
