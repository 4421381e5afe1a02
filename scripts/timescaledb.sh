#!/usr/bin/env bash
# A private TimescaleDB (Debian 13's PostgreSQL 17 + timescaledb 2.19, the Apache build) for tests
# and benchmarks, built from Debian packages without touching the system's apt configuration.
#
#   scripts/timescaledb.sh fetch                  build (or reuse) the tree; print its root
#   scripts/timescaledb.sh start DATADIR PORT     initdb if needed, start on 127.0.0.1:PORT
#   scripts/timescaledb.sh stop DATADIR           stop the server of DATADIR (fast shutdown)
#
# How: apt-get with private lists/cache/sources (a sources file of our own naming Debian trixie on
# the mirror the machine already uses) downloads the packages, `dpkg-deb -x` unpacks them into
# one tree, and `patchelf` points the binaries at the tree's own loader and libraries (the host's
# glibc is older than trixie's). The tree is cached under $MENHIR_DATA_DIR (default ./.data).
# As root, the server runs as the unprivileged user `menhir-tsdb`, created on first use.
set -euo pipefail

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA_DIR="${MENHIR_DATA_DIR:-$ROOT_DIR/.data}"
BASE="$DATA_DIR/timescaledb"
PG_MAJOR=17
SUITE=trixie
TREE="$BASE/tree-$SUITE-pg$PG_MAJOR"
PG_USER=menhir-tsdb
# The server, the extension, and every library they load (checked after patching).
PACKAGES=(
  "postgresql-$PG_MAJOR" "postgresql-$PG_MAJOR-timescaledb"
  libc6 libgcc-s1 libstdc++6 libgssapi-krb5-2 libkrb5-3 libk5crypto3 libkrb5support0 libcom-err2
  libkeyutils1 libicu76 libldap2 libsasl2-2 liblz4-1 libpam0g libaudit1 libcap-ng0 libpq5
  libselinux1 libpcre2-8-0 libssl3t64 libsystemd0 libcap2 libuuid1 libxml2 liblzma5 libxslt1.1
  libzstd1 zlib1g libgcrypt20 libgpg-error0 libxxhash0
)

die() { echo "timescaledb.sh: $*" >&2; exit 1; }

# The mirror the machine's own apt uses (first http(s) URI of the Debian archive).
machine_mirror() {
  local uri
  uri=$(grep -hoE '(URIs:[[:space:]]*|^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?)https?://[^[:space:]]+' \
    /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null \
    | grep -oE 'https?://[^[:space:]]+' | grep -E '/debian/?$' | head -1 || true)
  [ -n "$uri" ] || die "no Debian mirror found in /etc/apt/sources.list*"
  echo "${uri%/}"
}

fetch() {
  # The patched paths are absolute: a tree that no longer runs (moved folder) is rebuilt.
  if [ -f "$TREE/.ready" ] && "$TREE/usr/lib/postgresql/$PG_MAJOR/bin/postgres" --version >/dev/null 2>&1; then
    echo "$TREE"; return 0
  fi
  command -v apt-get >/dev/null || die "apt-get is needed to fetch TimescaleDB"
  command -v dpkg-deb >/dev/null || die "dpkg-deb is needed to unpack TimescaleDB"
  command -v patchelf >/dev/null || die "patchelf is needed (apt-get install patchelf)"
  local apt="$BASE/apt" mirror keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  mirror=$(machine_mirror)
  rm -rf "$apt" "$TREE.tmp"
  mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/parts" "$apt/debs" "$TREE.tmp"
  echo "deb [signed-by=$keyring] $mirror $SUITE main" >"$apt/sources.list"
  : >"$apt/status"
  local opts=(
    "-oDir::State::Lists=$apt/lists" "-oDir::Etc::SourceList=$apt/sources.list"
    "-oDir::Etc::SourceParts=$apt/parts" "-oDir::Cache=$apt/cache" "-oDir::State::status=$apt/status"
    "-oAPT::Architecture=amd64" "-oAPT::Sandbox::User=root" "-oDebug::NoLocking=1" -q
  )
  echo "timescaledb.sh: fetching $SUITE's PostgreSQL $PG_MAJOR + TimescaleDB from $mirror" >&2
  apt-get "${opts[@]}" update >&2 || die "apt-get update of $SUITE failed"
  (cd "$apt/debs" && apt-get "${opts[@]}" download "${PACKAGES[@]}" >&2) \
    || die "apt-get download failed"
  local deb
  for deb in "$apt"/debs/*.deb; do dpkg-deb -x "$deb" "$TREE.tmp"; done
  rm -rf "$TREE" && mv "$TREE.tmp" "$TREE"
  local bin="$TREE/usr/lib/postgresql/$PG_MAJOR/bin" loader="$TREE/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"
  local rpath="$TREE/usr/lib/x86_64-linux-gnu:$TREE/usr/lib/postgresql/$PG_MAJOR/lib"
  local exe
  for exe in "$bin"/*; do
    # DT_RPATH (not RUNPATH) so that it also covers the libraries' own dependencies and dlopen.
    patchelf --set-interpreter "$loader" --force-rpath --set-rpath "$rpath" "$exe"
  done
  check_tree
  rm -rf "$apt"
  touch "$TREE/.ready"
  echo "$TREE"
}

# Every library the server loads must come from the tree, never from the host.
check_tree() {
  local out outside
  out=$(LD_DEBUG=libs "$TREE/usr/lib/postgresql/$PG_MAJOR/bin/postgres" --version 2>&1) \
    || die "the patched postgres does not run: $out"
  outside=$(echo "$out" | grep 'calling init:' | grep -v "calling init: $TREE/" || true)
  [ -z "$outside" ] || die "libraries loaded from outside the tree: $outside"
  [ -f "$TREE/usr/lib/postgresql/$PG_MAJOR/lib/timescaledb.so" ] || die "timescaledb.so missing"
}

as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then
    id "$PG_USER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_USER"
    setpriv --reuid="$PG_USER" --regid="$PG_USER" --init-groups -- "$@"
  else
    "$@"
  fi
}

start() {
  local datadir="$1" port="$2" bin
  fetch >/dev/null
  bin="$TREE/usr/lib/postgresql/$PG_MAJOR/bin"
  mkdir -p "$datadir"
  [ "$(id -u)" -eq 0 ] && { id "$PG_USER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_USER"; chown "$PG_USER:" "$datadir"; }
  chmod 700 "$datadir"
  if [ ! -f "$datadir/PG_VERSION" ]; then
    as_server_user "$bin/initdb" -D "$datadir" -U postgres --auth=trust --encoding=UTF8 \
      --no-locale --no-sync >"$datadir.initdb.log" 2>&1 || die "initdb failed: $(cat "$datadir.initdb.log")"
  fi
  as_server_user "$bin/pg_ctl" -D "$datadir" -l "$datadir/server.log" -w -t 60 start -o "\
    -c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='' \
    -c shared_preload_libraries=timescaledb -c timescaledb.max_background_workers=0 \
    -c timescaledb.telemetry_level=off -c jit=off -c fsync=off -c max_connections=50" >&2 \
    || die "pg_ctl start failed: $(tail -20 "$datadir/server.log" 2>/dev/null)"
  echo "postgresql://postgres@127.0.0.1:$port/postgres"
}

stop() {
  local datadir="$1"
  [ -f "$datadir/postmaster.pid" ] || return 0
  as_server_user "$TREE/usr/lib/postgresql/$PG_MAJOR/bin/pg_ctl" -D "$datadir" -m fast -w stop >&2
}

case "${1:-}" in
  fetch) fetch ;;
  start) [ $# -eq 3 ] || die "usage: start DATADIR PORT"; start "$2" "$3" ;;
  stop) [ $# -eq 2 ] || die "usage: stop DATADIR"; stop "$2" ;;
  *) die "usage: $0 fetch | start DATADIR PORT | stop DATADIR" ;;
esac
