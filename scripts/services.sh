#!/usr/bin/env bash
# Start the machine's own services the tests use, where they are down: PostgreSQL (127.0.0.1:5432,
# CI's second pass), Redis (6379) and RabbitMQ (5672, the distributed mode's real workers).
set -uo pipefail
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() { for _ in $(seq 1 60); do port_open "$1" && return 0; sleep 1; done; echo "port $1 still closed" >&2; return 1; }

if ! port_open 5432; then
  echo "starting PostgreSQL" >&2
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start
  wait_port 5432
fi
if ! port_open 6379 && command -v redis-server >/dev/null; then
  echo "starting Redis" >&2
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  wait_port 6379
fi
if ! port_open 5672 && command -v rabbitmq-server >/dev/null; then
  echo "starting RabbitMQ" >&2
  rabbitmq-server -detached
  wait_port 5672
fi
exit 0
