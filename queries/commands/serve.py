"""`dvk serve`: start the dashboard (Streamlit) on the configured database, building the demo if none.

This module does not import streamlit: it replaces itself with `python -m dashboard.launch run dashboard/app.py`
(`streamlit run` with a warm-up, see dashboard/launch.py).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from queries import store
from queries.auth import DEFAULT_USERS, ENV_USERS

HELP = "Mở bảng điều khiển thống kê trên trình duyệt (start the dashboard)."

APP = store.ROOT / "dashboard" / "app.py"

# The same settings as .streamlit/config.toml, so they hold wherever the command is started from.
# XSRF protection stays on (Streamlit's default, said explicitly; CORS must stay on for it to hold);
# uploads are limited to 50 MB per file (the import page repeats the check with a message).
STREAMLIT_OPTIONS = {
    "browser.gatherUsageStats": "false",
    "client.toolbarMode": "minimal",
    "client.disableDataExport": "true",  # downloads only through the app's recorded buttons
    "client.showErrorDetails": "none",  # no tracebacks in the page (dashboard/errors.py logs them)
    "global.disableWidgetStateDuplicationWarning": "true",
    "server.maxUploadSize": "50",
    "server.enableXsrfProtection": "true",
    "server.enableCORS": "true",
    "theme.light.primaryColor": "#C62828",
    "theme.dark.primaryColor": "#EF5350",
}


def add_arguments(p: argparse.ArgumentParser) -> None:
    """--port, --host, --browser / --no-browser, --users."""
    p.add_argument("--port", type=int, default=8501, help="port (default 8501)")
    p.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1; 0.0.0.0 for a LAN)"
    )
    p.add_argument(
        "--browser",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="open a browser tab (default: --no-browser, headless)",
    )
    p.add_argument(
        "--users",
        metavar="PATH",
        help="users file: logins required (default: $DVK_USERS or users.toml; none = open mode)",
    )


def url(args: argparse.Namespace) -> str:
    """The address users open."""
    host = "localhost" if args.host in ("127.0.0.1", "localhost", "0.0.0.0") else args.host
    return f"http://{host}:{args.port}"


def command(args: argparse.Namespace, db: Path) -> tuple[list[str], dict[str, str]]:
    """The Streamlit command line and environment for these arguments."""
    cmd = [
        sys.executable,
        "-m",
        "dashboard.launch",  # `streamlit run`, with the first view prepared while it starts
        "run",
        str(APP),
        "--server.port",
        str(args.port),
        "--server.address",
        args.host,
        "--server.headless",
        "false" if args.browser else "true",
    ]
    for key, value in STREAMLIT_OPTIONS.items():
        cmd += [f"--{key}", value]
    env = dict(os.environ)
    env[store.ENV_DB] = str(db)
    users = getattr(args, "users", None) or env.get(ENV_USERS)
    if users:  # absolute: Streamlit runs from the project root
        env[ENV_USERS] = str(Path(users).expanduser().resolve())
    return cmd, env


def _ensure_database(db: Path, vi: bool) -> int:
    """Build the demo at the default path when there is no database yet; 0 when ready to serve."""
    if db.exists():
        return 0
    if db != store.DEFAULT_DB:
        # A path the user chose: do not fill it with demo data; the app explains how to import.
        print(
            f"Chưa có cơ sở dữ liệu {db}: bảng điều khiển sẽ hướng dẫn tạo dữ liệu mẫu hoặc nhập tệp."
            if vi
            else f"No database at {db} yet: the dashboard will offer to build the demo or import files.",
            file=sys.stderr,
        )
        return 0
    from queries import demo

    print(
        f"Chưa có cơ sở dữ liệu: tạo dữ liệu mẫu từ {demo.DEMO_WORKBOOK.name} → {db}"
        if vi
        else f"No database yet: building the demo from {demo.DEMO_WORKBOOK.name} → {db}",
        file=sys.stderr,
    )
    try:
        report = demo.build_demo_database(db)
    except FileNotFoundError as exc:
        print(
            f"Không tạo được dữ liệu mẫu: thiếu {exc}. Hãy nhập dữ liệu bằng `dvk import`."
            if vi
            else f"Cannot build the demo: {exc} is missing. Import data with `dvk import`.",
            file=sys.stderr,
        )
        return 1
    if not report.ok:
        print(report.summary("vi" if vi else "en"), file=sys.stderr)
        return 1
    return 0


def run(args: argparse.Namespace) -> int:
    """Start Streamlit in place of this process; returns only on failure (1)."""
    vi = args.lang == "vi"
    db = store.resolve_db_path(args.db)
    if _ensure_database(db, vi):
        return 1
    cmd, env = command(args, db)
    print(
        f"Bảng điều khiển: {url(args)}  (dữ liệu: {db}; dừng bằng Ctrl+C)"
        if vi
        else f"Dashboard: {url(args)}  (data: {db}; stop with Ctrl+C)",
        flush=True,
    )
    users = Path(env[ENV_USERS]) if env.get(ENV_USERS) else DEFAULT_USERS
    if not users.exists():
        print(
            f"Chế độ mở: chưa có tệp người dùng {users} — ai truy cập cũng xem được toàn bộ dữ liệu "
            "(tạo người dùng bằng `dvk user add`)."
            if vi
            else f"Open mode: no users file {users} — anyone who can reach the dashboard sees all the data "
            "(create users with `dvk user add`).",
            file=sys.stderr,
        )
    os.chdir(store.ROOT)  # Streamlit reads ./.streamlit/config.toml
    os.execve(cmd[0], cmd, env)
    return 1  # not reached
