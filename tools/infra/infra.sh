#!/usr/bin/env bash
# Makes sure PostgreSQL, Redis and Kafka answer on local defaults, starting what is down,
# and that the `latchkey` database exists. Usage: infra.sh up | down (down stops only Kafka:
# PostgreSQL and Redis belong to the machine).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DB_NAME="${LATCHKEY_DB_NAME:-latchkey}"
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() {
  local port=$1 name=$2 deadline=$((SECONDS + 30))
  until port_open "$port"; do
    if [ $SECONDS -ge $deadline ]; then echo "infra.sh: $name did not answer on 127.0.0.1:$port" >&2; exit 1; fi
    sleep 0.2
  done
}

postgres_up() {
  if ! port_open 5432; then
    echo "infra.sh: PostgreSQL is down; starting it"
    if command -v pg_ctlcluster >/dev/null; then
      pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start
    else
      echo "infra.sh: no PostgreSQL found; install postgresql (15+)" >&2; exit 1
    fi
    wait_port 5432 PostgreSQL
  fi
  local psql=(psql -h 127.0.0.1 -U "${PGUSER:-postgres}" -d postgres -tAq)
  until "${psql[@]}" -c 'select 1' >/dev/null 2>&1; do sleep 0.2; done
  if [ "$("${psql[@]}" -c "select 1 from pg_database where datname='$DB_NAME'")" != "1" ]; then
    "${psql[@]}" -c "create database \"$DB_NAME\""
    echo "infra.sh: created database $DB_NAME"
  fi
}

redis_up() {
  if ! port_open 6379; then
    echo "infra.sh: Redis is down; starting it"
    command -v redis-server >/dev/null || { echo "infra.sh: install redis-server (7+)" >&2; exit 1; }
    mkdir -p "$ROOT/.infra/redis"
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir "$ROOT/.infra/redis" --logfile "$ROOT/.infra/redis/redis.log"
    wait_port 6379 Redis
  fi
}

case "${1:-up}" in
  up) postgres_up; redis_up; bash "$ROOT/tools/infra/kafka.sh" start; echo "infra.sh: PostgreSQL, Redis and Kafka answer" ;;
  down) bash "$ROOT/tools/infra/kafka.sh" stop ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
