# System packages and services the test suite needs. Sourced by scripts/test.
# The PostgreSQL and Redis commands match how this kind of machine starts them.

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

APT_UPDATED=""
apt_install() {
  [ -n "$APT_UPDATED" ] || { as_root apt-get update -qq; APT_UPDATED=1; }
  say "Installing $*"
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

ensure_system_packages() {
  [ -x "${CHROMIUM:-/usr/bin/chromium}" ] || apt_install chromium
  command -v redis-server >/dev/null || apt_install redis-server
  if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    apt_install postgresql
    ensure_services_running
    # A fresh Debian cluster asks for a password over TCP: give the postgres role the one tests use.
    as_root runuser -u postgres -- psql -q -c "ALTER USER postgres PASSWORD 'trellis'"
  fi
}

ensure_services_running() {
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    say "Starting PostgreSQL"
    as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start
  fi
  if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    say "Starting Redis"
    as_root install -d -o redis -g redis /var/lib/redis /var/log/redis 2>/dev/null || true
    as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log
  fi
  for _ in $(seq 50); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.2; done
}
