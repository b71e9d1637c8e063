#!/bin/sh
# One script behind the README's quick start, the Makefile and CI.
#   ./run.sh serve   set everything up, build the demo database if needed, open the dashboard
#   ./run.sh test    set everything up (Chromium too, when root) and run the whole test suite
#   ./run.sh test-fast   the inner loop: no browser and no slow tests, stops at the first failure
#   ./run.sh setup | lint | types | format | bench | upgrade | help
# Needs only Python 3.11+ (python3, or $PYTHON) on a Debian-like machine.
set -eu
cd "$(dirname "$0")"
PY="${PYTHON:-python3}"
VENV="${DVK_VENV:-.venv}"
say() { printf '%s\n' "» $*" >&2; }
# pytest-xdist for the whole suite and test-fast: three workers on the 2-core machine, a module per
# worker and the browser tests on one (tests/conftest.py). With two, a third of the CPU sat idle
# while tests waited on servers, Chromium and subprocesses; a clean clone's run went from 12:17 to
# 10:25 (issue 12).
WORKERS="-n 3 --dist loadgroup"

check_python() {
    if ! command -v "$PY" >/dev/null 2>&1; then
        say "Không tìm thấy $PY. Cần Python 3.11 trở lên (Python 3.11+ is required)."; exit 2
    fi
    if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
        say "$("$PY" -V 2>&1) quá cũ: cần Python 3.11 trở lên (Python 3.11+ is required)."; exit 2
    fi
}

make_venv() {
    "$PY" -m venv "$VENV" >/dev/null 2>&1 && "$VENV/bin/python" -m pip --version >/dev/null 2>&1 && return 0
    rm -rf "$VENV"
    # Debian ships venv without ensurepip unless python3-venv is installed.
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "Cài python3-venv (installing python3-venv)"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
        "$PY" -m venv "$VENV" && return 0
        rm -rf "$VENV"
    fi
    say "Không tạo được môi trường ảo có pip: cần gói python3-venv (sudo apt-get install python3-venv)"
    say "(could not create a virtualenv with pip: install python3-venv, e.g. sudo apt-get install python3-venv)"
    exit 2
}

lock_stamp() {
    # What the installed environment was built from: the lock file, the project's metadata, the interpreter.
    cat requirements.lock pyproject.toml | "$PY" -c 'import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest(), sys.version)'
}

setup() {
    check_python
    stamp="$VENV/.installed"
    want="$(lock_stamp)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$VENV/bin/dvk" ]; then return 0; fi
    # The environment is made anew from the lock file: exactly its versions, nothing left from before.
    say "Cài đặt thư viện theo requirements.lock (installing the locked dependencies)"
    rm -rf "$VENV"
    make_venv
    pip_q="--disable-pip-version-check --no-input -q"
    # shellcheck disable=SC2086
    "$VENV/bin/python" -m pip install $pip_q --require-hashes --no-deps -r requirements.lock
    # shellcheck disable=SC2086
    "$VENV/bin/python" -m pip install $pip_q --no-deps --no-build-isolation -e .
    "$VENV/bin/python" -m pip check >/dev/null || { "$VENV/bin/python" -m pip check >&2; exit 1; }
    printf '%s\n' "$want" > "$stamp"
}

upgrade() {
    # Deliberate: newer versions within pyproject.toml's ranges, written to requirements.lock, then the
    # environment rebuilt from it. Run the whole suite on the result before committing the lock.
    setup
    say "Tìm phiên bản mới trong phạm vi của pyproject.toml (resolving newer versions)"
    "$VENV/bin/pip-compile" -q --upgrade --generate-hashes --allow-unsafe --extra dev --strip-extras \
        --no-emit-index-url --no-emit-find-links --no-emit-trusted-host -o requirements.lock pyproject.toml "$@"
    # The image's runtime-only lock: the same versions (constrained by requirements.lock), no dev tools.
    say "Khóa phiên bản cho ảnh Docker (the image's runtime lock) → deploy/requirements-runtime.lock"
    "$VENV/bin/pip-compile" -q --generate-hashes --allow-unsafe --strip-extras -c requirements.lock \
        --no-emit-index-url --no-emit-find-links --no-emit-trusted-host \
        -o deploy/requirements-runtime.lock pyproject.toml deploy/build-backend.in
    setup
    "$VENV/bin/python" -m pip freeze --exclude-editable
}

ensure_tools() {
    # Debian packages some commands drive, named as arguments: chromium for the browser tests and the
    # benchmark (`playwright install` cannot download here), poppler-utils to read the printed page,
    # nginx for the proxy configuration's tests. The missing ones are installed together when root;
    # otherwise the tests that need them skip (under CI=true they fail: tests/support/tools.py).
    missing=""
    for package in "$@"; do
        case "$package" in
            chromium) [ -x /usr/bin/chromium ] ;;
            poppler-utils) command -v pdftotext >/dev/null 2>&1 ;;
            nginx) command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] ;;
        esac || missing="$missing $package"
    done
    [ -z "$missing" ] && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "Cài công cụ cho kiểm thử (installing the suite's tools):$missing"
        # shellcheck disable=SC2086
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
    else
        say "Thiếu$missing: các kiểm thử cần chúng sẽ bỏ qua (sudo apt-get install$missing)"
    fi
}

audit() {
    # Known vulnerabilities in the installed dependencies fail the run. A vulnerability service
    # that cannot be reached (no network beyond the registries) is reported, not fatal.
    out=$("$VENV/bin/pip-audit" --skip-editable --progress-spinner off 2>&1) && rc=0 || rc=$?
    if printf '%s' "$out" | grep -q "Found [0-9]* known vulnerabilit"; then
        printf '%s\n' "$out" >&2; say "pip-audit: có lỗ hổng đã biết (known vulnerabilities)"; return 1
    fi
    audited=$(printf '%s\n' "$out" | grep -c "could not be audited" || true)
    if [ "$rc" != 0 ]; then
        say "pip-audit không chạy được (could not run): $(printf '%s' "$out" | tail -n 1)"
    else
        say "pip-audit: không có lỗ hổng đã biết (no known vulnerabilities; $audited packages unknown to the service)"
    fi
}

checks() {
    # Lint, format and types: the same in CI as at a developer's desk (mypy reads pyproject.toml).
    say "ruff check, ruff format --check, mypy"
    "$VENV/bin/ruff" check --quiet queries dashboard tests benchmarks
    "$VENV/bin/ruff" format --check --quiet queries dashboard tests benchmarks
    "$VENV/bin/mypy"
}

run_pytest() {
    set +e
    "$VENV/bin/python" -m pytest "$@"
    rc=$?
    set -e
    if [ "$rc" = 5 ]; then say "pytest không chạy kiểm thử nào (no tests ran): lỗi"; exit 1; fi
    return "$rc"
}

cmd="${1:-help}"
[ $# -gt 0 ] && shift
case "$cmd" in
    setup)
        setup ;;
    serve|run)
        setup
        db="${DVK_DB:-data/dvk.duckdb}"
        if [ ! -f "$db" ]; then
            say "Tạo cơ sở dữ liệu mẫu (building the demo database) → $db"
            "$VENV/bin/dvk" demo
        fi
        # Open a browser tab where there is a screen to show it on; otherwise print the address.
        if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] || [ "$(uname)" = Darwin ]; then set -- --browser "$@"; fi
        exec "$VENV/bin/dvk" serve "$@" ;;
    test)
        setup
        ensure_tools chromium poppler-utils nginx
        checks
        audit
        # `./run.sh test -n 0` runs everything in this one process.
        # shellcheck disable=SC2086
        run_pytest $WORKERS --durations=25 "$@" ;;
    test-fast)
        setup
        # shellcheck disable=SC2086
        DVK_TEST_BUDGET="${DVK_TEST_BUDGET:-quick}" run_pytest -m "not browser and not slow" -x $WORKERS "$@" ;;
    audit)
        setup
        audit ;;
    lint)
        setup
        checks ;;
    types)
        setup
        "$VENV/bin/mypy" ;;
    format)
        setup
        "$VENV/bin/ruff" format queries dashboard tests benchmarks
        "$VENV/bin/ruff" check --fix queries dashboard tests benchmarks ;;
    upgrade)
        upgrade "$@" ;;
    bench)
        setup
        ensure_tools chromium
        exec "$VENV/bin/python" benchmarks/bench.py "$@" ;;
    help|-h|--help)
        sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//' ;;
    *)
        say "Lệnh không rõ: $cmd"; sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
