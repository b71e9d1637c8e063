#!/bin/sh
# The deployment of deploy/compose.yaml on this machine, without Docker: Debian's nginx on
# 127.0.0.1 in front of three `dvk serve` replicas on loopback ports, sharing one database file.
#   deploy/local-cluster.sh up       start it (installs nginx with apt when run as root and missing)
#   deploy/local-cluster.sh down     stop what `up` started
#   deploy/local-cluster.sh check    start it if needed, browse it from 10 Chromium sessions while an
#                                    import lands, print one line of results; exit 0 or 1
#   deploy/local-cluster.sh status | conf (print the nginx configuration `up` uses)
# Settings (environment): DVK_CLUSTER_PORT (nginx, default 8548), DVK_CLUSTER_REPLICAS (default
# "8541 8542 8543"), DVK_CLUSTER_DB (default data/cluster.duckdb, the demo data, built if missing),
# DVK_CLUSTER_DIR (configuration, logs, pids; default /tmp/dvk-cluster-$PORT),
# DVK_CLUSTER_CHECK_SECONDS (time the check allows for browsing, default 170).
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PORT="${DVK_CLUSTER_PORT:-8548}"
REPLICAS="${DVK_CLUSTER_REPLICAS:-8541 8542 8543}"
DB="${DVK_CLUSTER_DB:-$ROOT/data/cluster.duckdb}"
DIR="${DVK_CLUSTER_DIR:-/tmp/dvk-cluster-$PORT}"
VENV="${DVK_VENV:-$ROOT/.venv}"
STARTUP_SECONDS=120
say() { printf '%s\n' "» $*" >&2; }

ensure_nginx() {
    command -v nginx >/dev/null 2>&1 && return 0
    [ -x /usr/sbin/nginx ] && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "Cài nginx (installing nginx)"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
        # Only this script's own nginx runs: the package's service would hold port 80.
        if command -v systemctl >/dev/null 2>&1; then systemctl disable --now nginx >/dev/null 2>&1 || true; fi
        [ -f /run/nginx.pid ] && kill "$(cat /run/nginx.pid)" 2>/dev/null || true
        return 0
    fi
    say "Thiếu nginx: sudo apt-get install nginx (nginx is missing)"; exit 1
}

NGINX=$(command -v nginx 2>/dev/null || echo /usr/sbin/nginx)

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

healthy() { "$VENV/bin/python" -c "import sys, urllib.request
try: sys.exit(urllib.request.urlopen('$1/_stcore/health', timeout=3).status != 200)
except Exception: sys.exit(1)"; }

# deploy/nginx.conf with only what differs on one machine rewritten: the listen address, the
# upstream servers, the worker user and the paths of logs, caches and temporary files.
nginx_conf() {
    servers=""
    for p in $REPLICAS; do servers="$servers        server 127.0.0.1:$p max_fails=3 fail_timeout=10s;\\n"; done
    if [ "$(id -u)" = 0 ]; then user="user www-data;"; else user=""; fi
    sed -e "s|^user nginx;|$user|" \
        -e "s|listen 80 default_server;|listen 127.0.0.1:$PORT default_server;|" \
        -e "/server dashboard-[0-9]*:8501/d" \
        -e "s|hash \$dvk_route consistent;.*|&\\n$servers|" \
        -e "s|/var/log/nginx/|$DIR/|g" \
        -e "s|/var/cache/nginx/|$DIR/cache/|g" \
        -e "s|include /etc/nginx/dvk-tls/\*.conf;||" \
        deploy/nginx.conf
}

# Brotli only where the module is installed (Debian: libnginx-mod-http-brotli-filter).
BROTLI=/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so
nginx_conf_with_modules() {
    if [ -f "$BROTLI" ]; then
        printf 'load_module %s;\n' "$BROTLI"
        nginx_conf | sed 's|^    # \(brotli[ _].*\)|    \1|'
    else
        nginx_conf
    fi
}

up() {
    ensure_nginx
    [ -x "$VENV/bin/dvk" ] || ./run.sh setup
    mkdir -p "$DIR/cache"
    chmod 755 "$DIR"
    if [ "$(id -u)" = 0 ]; then chown www-data "$DIR/cache" 2>/dev/null || true; fi
    if [ ! -f "$DB" ]; then
        say "Tạo cơ sở dữ liệu mẫu (building the demo database) → $DB"
        "$VENV/bin/dvk" --db "$DB" demo >&2
    fi
    # One cookie secret for all replicas, as compose.yaml asks for (kept outside the repository).
    if [ ! -f "$DIR/cookie_secret" ]; then
        (umask 077 && "$VENV/bin/python" -c "import secrets; print(secrets.token_hex(32))" >"$DIR/cookie_secret")
    fi
    for p in $REPLICAS; do
        if alive "$DIR/replica-$p.pid"; then continue; fi
        # `dvk serve` replaces itself with the Streamlit server, so the pid is the server's.
        STREAMLIT_SERVER_COOKIE_SECRET="$(cat "$DIR/cookie_secret")" \
            setsid "$VENV/bin/dvk" --db "$DB" serve --host 127.0.0.1 --port "$p" \
            >"$DIR/replica-$p.log" 2>&1 </dev/null &
        echo $! >"$DIR/replica-$p.pid"
    done
    nginx_conf_with_modules >"$DIR/nginx.conf"
    if ! alive "$DIR/nginx.pid"; then
        "$NGINX" -t -q -p "$DIR" -c "$DIR/nginx.conf" -e "$DIR/error.log" -g "pid $DIR/nginx.pid;"
        "$NGINX" -p "$DIR" -c "$DIR/nginx.conf" -e "$DIR/error.log" -g "pid $DIR/nginx.pid;"
    fi
    waited=0
    for url in $(for p in $REPLICAS; do echo "http://127.0.0.1:$p"; done) "http://127.0.0.1:$PORT"; do
        until healthy "$url"; do
            waited=$((waited + 1))
            if [ "$waited" -gt "$STARTUP_SECONDS" ]; then
                say "$url không trả lời sau ${STARTUP_SECONDS}s (did not answer); logs: $DIR"; exit 1
            fi
            sleep 1
        done
    done
    say "Cụm đang chạy (cluster up): http://127.0.0.1:$PORT/ → replicas $REPLICAS; database $DB; logs $DIR"
}

down() {
    if alive "$DIR/nginx.pid"; then
        "$NGINX" -p "$DIR" -c "$DIR/nginx.conf" -e "$DIR/error.log" -g "pid $DIR/nginx.pid;" -s quit || true
    fi
    for p in $REPLICAS; do
        f="$DIR/replica-$p.pid"
        if alive "$f"; then kill "$(cat "$f")"; fi
    done
    for p in $REPLICAS; do
        f="$DIR/replica-$p.pid"
        i=0
        while alive "$f" && [ "$i" -lt 30 ]; do sleep 0.5; i=$((i + 1)); done
        if alive "$f"; then kill -9 "$(cat "$f")" 2>/dev/null || true; fi
        rm -f "$f"
    done
    i=0
    while alive "$DIR/nginx.pid" && [ "$i" -lt 20 ]; do sleep 0.5; i=$((i + 1)); done
    say "Cụm đã dừng (cluster down)"
}

status() {
    for p in $REPLICAS; do
        if alive "$DIR/replica-$p.pid"; then echo "replica 127.0.0.1:$p running"; else echo "replica 127.0.0.1:$p stopped"; fi
    done
    if alive "$DIR/nginx.pid"; then echo "nginx 127.0.0.1:$PORT running"; else echo "nginx 127.0.0.1:$PORT stopped"; fi
}

check() {
    started=0
    running=1
    for p in $REPLICAS; do alive "$DIR/replica-$p.pid" || running=0; done
    alive "$DIR/nginx.pid" || running=0
    if [ "$running" = 0 ]; then up; started=1; fi
    set +e
    # shellcheck disable=SC2086
    "$VENV/bin/python" deploy/cluster_check.py --proxy "http://127.0.0.1:$PORT" --db "$DB" \
        --dir "$DIR" --replicas $REPLICAS --seconds "${DVK_CLUSTER_CHECK_SECONDS:-170}"
    rc=$?
    set -e
    if [ "$started" = 1 ]; then down; fi
    exit "$rc"
}

cmd="${1:-help}"
case "$cmd" in
    up) up ;;
    down) down ;;
    check) check ;;
    status) status ;;
    conf) nginx_conf_with_modules ;;
    *) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; [ "$cmd" = help ] || exit 2 ;;
esac
