"""The dashboard's server process: Streamlit, started warm (`dvk serve` runs `python -m dashboard.launch run
dashboard/app.py ...`, the arguments of `streamlit run`).

Streamlit runs the app's script only when a browser opens a session, so without this the first
visitor after a start would wait for the chart libraries to be imported and for the figures'
aggregate tables to be loaded (about two seconds at a million registrations). Here a background
thread of the server process does both while Streamlit starts: the sessions' scripts then find
the modules imported and the tables in the figures engine's process cache. It is only a warm-up:
whatever it cannot do (no database yet, an unreadable file) the first session does as before.
"""

from __future__ import annotations

import faulthandler
import os
import signal
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def warm_up(db_path: str | os.PathLike | None) -> bool:
    """Import what the pages import and load the figures of the default view; True when done."""
    import plotly.graph_objects  # noqa: F401  (what the charts need, imported once)

    from dashboard import charts, filters, fmt, shared, theme, ui  # noqa: F401
    from queries import figures, narrative, pages_data, store  # noqa: F401

    if db_path is None or not Path(db_path).is_file():
        return False
    cur = store.Snapshot(db_path).cursor()
    try:
        span = pages_data.year_span(cur)
        if span is None:
            return False
        a, b = filters.default_period(list(range(span[0], span[1] + 1)))
        figures.summary(cur, figures.Filters(a, b))  # loads the aggregate tables
    finally:
        cur.close()
    return True


def clean_leftovers(db_path: str | os.PathLike | None) -> None:
    """What a killed server or import left: upload folders of dead processes, stale copies of the
    database (each as large as the database)."""
    from queries import sandbox, store

    sandbox.remove_dead_uploads()
    store.remove_stale_copies(store.resolve_db_path(db_path))
    sandbox.warm()  # the workbook reader's forkserver


def _warm_quietly(db_path: str | None) -> None:
    try:
        clean_leftovers(db_path)
        warm_up(db_path)
    except Exception as exc:  # noqa: BLE001 (a warm-up never stops the server)
        print(f"dashboard warm-up skipped: {type(exc).__name__}: {exc}", file=sys.stderr)


def main() -> None:
    """`streamlit <args>` in this process, with the warm-up running beside it. `kill -USR1 <pid>`
    writes the stack of every thread to the server's stderr: where a session that never finishes
    its run is waiting (the server-sessions test asks for it when a tab does not settle)."""
    from queries import store

    faulthandler.register(signal.SIGUSR1, all_threads=True)

    threading.Thread(
        target=_warm_quietly, args=(os.environ.get(store.ENV_DB),), name="dvk-warm-up", daemon=True
    ).start()
    from streamlit.web import cli

    sys.argv = ["streamlit", *sys.argv[1:]]
    cli.main(prog_name="streamlit")


if __name__ == "__main__":
    main()
