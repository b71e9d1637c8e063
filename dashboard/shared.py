"""Data access for the pages: one read-only snapshot per process, every data call cached.

Cache keys are small: the database path, the snapshot stamp (so an import shows up without a
restart) and the filter values. Pages never open connections or run SQL themselves. Every call of
one script run reads the version of the run's start (begin_run / end_run): a page is drawn from
one version of the database, never cards from one and charts from the next.

Every call is scoped to the session's user (docs/access.md): `_call` replaces the unit of every
Filters by `access.enforce(cur, user, f)` *before* the cache lookup, so a cached result is keyed by
the enforced scope and is safe to share between users. Without a user (users configured, nobody
logged in) nothing is computed: `require_user` raises PermissionError.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import streamlit as st

from queries import access, auth, drilldown, figures, page_tables, pages_data, report
from queries import structure as unit_structure
from queries.auth import User
from queries.figures import Filters
from queries.store import Snapshot, resolve_db_path

USER_KEY = "_auth_user"  # the User of this session, set by dashboard.login.gate() at the top of every run


def db_path() -> Path:
    """The database the dashboard reads ($DVK_DB or data/dvk.duckdb)."""
    return resolve_db_path()


def db_exists() -> bool:
    """Whether the database file is there (otherwise the app shows its getting-started page)."""
    return db_path().exists()


@st.cache_resource(show_spinner=False)
def _snapshot(path: str) -> Snapshot:
    # One read-only connection per process; Snapshot reopens it when an import swaps the file.
    return Snapshot(path)


def snapshot() -> Snapshot:
    """The process's snapshot of the current database."""
    return _snapshot(str(db_path()))


def stamp() -> tuple[int, int]:
    """The version of the database file on disk: part of every cache key."""
    return snapshot().stamp


@st.cache_data(show_spinner=False, max_entries=2000)
def _query(module: str, name: str, path: str, version: tuple[int, int], args: tuple, kwargs: tuple) -> Any:
    # `path` and `version` are cache keys only: the snapshot follows the file by itself.
    cur, read = _snapshot(path).versioned_cursor()
    try:
        if read != version:  # an import landed since the key was made: never cache its data under it
            raise _Moved
        return _compute(cur, module, name, args, dict(kwargs))
    finally:
        cur.close()


_MODULES = {
    "figures": figures,
    "pages_data": pages_data,
    "page_tables": page_tables,
    "report": report,
    "drilldown": drilldown,
    "structure": unit_structure,
}


def _compute(cur, module: str, name: str, args: tuple, kwargs: dict) -> Any:
    return getattr(_MODULES[module], name)(cur, *args, **kwargs)


class _Moved(Exception):
    """The database file changed between making a cache key and reading (st.cache_data keeps no
    exception, so _call simply asks again with the new version)."""


# --- the session's user and scope -----------------------------------------------------------------


@st.cache_resource(show_spinner=False, max_entries=8)
def _load_users(path: str, version: tuple[int, int, int], lang: str) -> dict[str, User]:
    # Keyed by the file's mtime/size/inode: an edit by `dvk user` is picked up on the next run.
    return auth.load_users(path, lang)


def users(lang: str = "vi") -> dict[str, User] | None:
    """The configured users (--users / $DVK_USERS / <root>/users.toml), None in open mode.

    A malformed file raises auth.UsersFileError: the app must stop, never fall back to open mode.
    """
    path = auth.resolve_users_path()
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    return _load_users(str(path), (info.st_mtime_ns, info.st_size, info.st_ino), lang)


def current_user() -> User | None:
    """The session's user: auth.OPEN_USER without a users file, None until someone logs in."""
    if users() is None:
        return auth.OPEN_USER
    user = st.session_state.get(USER_KEY)
    return user if isinstance(user, User) else None


def require_user() -> User:
    """The session's user; PermissionError when users are configured and nobody is logged in."""
    user = current_user()
    if user is None:
        raise PermissionError("not logged in: no data without a user (dashboard.login.gate)")
    return user


@st.cache_data(show_spinner=False, max_entries=5000)
def _scoped_unit(
    path: str, version: tuple[int, int], scope: str | None, requested: str | None, _user: User
) -> str | None:
    # access.scoped_filters depends on the user's unit only, so the decision is cached per
    # (database version, scope unit, requested unit); `_user` (not hashed) is the session's user.
    cur = _snapshot(path).cursor()
    try:
        return access.scoped_filters(cur, _user, requested)
    finally:
        cur.close()


def scoped_unit(requested: str | None, user: User | None = None) -> str | None:
    """The unit a request is computed over: the requested one when the user may see it, else theirs."""
    user = user or require_user()
    return _run_memo(
        ("scoped_unit", user.unit, requested),
        lambda: _scoped_unit(str(db_path()), stamp(), user.unit, requested, user),
    )


def enforce(f: Filters, user: User | None = None) -> Filters:
    """The filters as the user may see them: access.enforce (the unit in scope, or the user's own)."""
    user = user or require_user()
    unit = scoped_unit(f.unit, user)
    return f if unit == f.unit else dataclasses.replace(f, unit=unit)


def _enforced(user: User, args: tuple, kwargs: dict) -> tuple[tuple, dict]:
    """Every Filters argument (and a `unit=` code) scoped to the user, before any cache lookup."""
    args = tuple(enforce(a, user) if isinstance(a, Filters) else a for a in args)
    scoped = {}
    for key, value in kwargs.items():
        if isinstance(value, Filters):
            value = enforce(value, user)
        elif key == "unit":
            value = scoped_unit(value, user)
        scoped[key] = value
    return args, scoped


# --- one database version per page run -----------------------------------------------------------

_RUN = "_data_run"  # session_state: this run's _Run
_RERUNS = "_data_reruns"  # session_state: how many runs in a row were drawn again (end_run)
MAX_RERUNS = 3  # imports landing during every run must not keep a page running for ever


@dataclasses.dataclass
class _Run:
    version: tuple[int, int] | None  # the database version this run's data calls read
    reruns: int  # runs drawn again in a row before this one
    moved: bool = False  # an import landed during the run: some figures come from the next version
    # Look-ups asked for many times in a run (the unit outline: ten times, 3-4 ms each from
    # st.cache_data, which hands out a copy each time), kept for the rest of the run.
    memo: dict = dataclasses.field(default_factory=dict)


def _pinned_run() -> _Run | None:
    """This run's record while all its data calls read the version of its start, else None (no
    database, no begin_run yet, or an import landed during the run)."""
    run = st.session_state.get(_RUN)
    return run if isinstance(run, _Run) and run.version is not None and not run.moved else None


def _run_memo(key: tuple, make: Callable[[], Any]) -> Any:
    """`make()`, once per script run and key while the run reads one database version (and the
    file is still that version: a widget callback runs before the next run's begin_run)."""
    run = _pinned_run()
    if run is None or run.version != stamp():
        return make()
    if key not in run.memo:
        run.memo[key] = make()
    return run.memo[key]


def begin_run() -> None:
    """Start of every script run: fix the database version that every data call of the run reads.

    An import that lands during a run would otherwise give the page figures of two versions (the
    cards from before it, the charts from after it) until the next click; see end_run.
    """
    reruns = st.session_state.pop(_RERUNS, 0)
    st.session_state[_RUN] = _Run(stamp() if db_exists() else None, reruns)


def end_run() -> None:
    """End of every script run: if the database changed while the page was computed, draw the page
    again, all of it from the new version (at most MAX_RERUNS times in a row)."""
    run = st.session_state.get(_RUN)
    if isinstance(run, _Run) and run.moved and run.reruns < MAX_RERUNS:
        st.session_state[_RERUNS] = run.reruns + 1
        st.rerun()


def _call(module: str, name: str, *args: Any, **kwargs: Any) -> Any:
    # Scope first, cache second: the cache key holds the enforced filters, never the requested ones.
    args, kwargs = _enforced(require_user(), args, kwargs)
    key = tuple(sorted(kwargs.items()))
    run = _pinned_run()
    if run is not None:
        assert run.version is not None  # a pinned run has its version
        try:  # the run's version: from the cache, or read while it is still the newest
            return _query(module, name, str(db_path()), run.version, args, key)
        except _Moved:
            run.moved = True  # from here on the newest version; end_run draws the page again
    for _ in range(4):  # a new version every few milliseconds would take imports that fast
        try:
            return _query(module, name, str(db_path()), stamp(), args, key)
        except _Moved:
            continue
    cur = snapshot().cursor()  # the file keeps changing: answer from the newest, uncached
    try:
        return _compute(cur, module, name, args, kwargs)
    finally:
        cur.close()


@st.cache_data(show_spinner=False, max_entries=500)
def _subtree(path: str, version: tuple[int, int], unit: str) -> frozenset[str]:
    # Keyed by the scope unit only: the same for every user with that unit.
    cur = _snapshot(path).cursor()
    try:
        return frozenset(access.subtree(cur, unit))
    finally:
        cur.close()


def allowed_units(user: User | None = None) -> frozenset[str] | None:
    """The unit codes the session's user may see; None = every unit."""
    user = user or require_user()
    if user.unit is None:
        return None
    return _subtree(str(db_path()), stamp(), user.unit)


def scope_exists(user: User) -> bool:
    """False for a scoped user whose unit is not (or no longer) in the database."""
    return user.unit is None or bool(allowed_units(user))


# --- look-ups for the filters ------------------------------------------------------------------


def unit_outline() -> pl.DataFrame:
    """The units the user may see in hierarchy order with their depth (the user's unit at depth 0).

    For a scoped user this is their subtree only: names of other units never reach the page.
    """
    user = require_user()
    return _run_memo(("unit_outline", user.unit), lambda: _unit_outline(user))


def _unit_outline(user: User) -> pl.DataFrame:
    outline = _call("pages_data", "unit_outline")
    allowed = allowed_units(user)
    if allowed is None:
        return outline
    scoped = outline.filter(pl.col("ma_don_vi").is_in(sorted(allowed)))
    root = scoped.filter(pl.col("ma_don_vi") == user.unit)
    base = int(root["depth"][0]) if root.height else 0
    return scoped.with_columns((pl.col("depth") - base).clip(lower_bound=0).cast(pl.Int32))


def year_span() -> tuple[int, int] | None:
    """First and last year in the data."""
    return _call("pages_data", "year_span")


def unit_names() -> dict[str, str]:
    """Unit code -> unit name."""

    def names() -> dict[str, str]:
        outline = unit_outline()
        return dict(zip(outline["ma_don_vi"].to_list(), outline["ten_don_vi"].to_list(), strict=True))

    return _run_memo(("unit_names", require_user().unit), names)


# --- figures -----------------------------------------------------------------------------------


def reported_years() -> list[int]:
    """The years with at least one registration (the years figures cover)."""
    return _call("figures", "reported_years")


def summary(f: Filters) -> dict:
    """Headline figures of the scope and period."""
    return _call("figures", "summary", f)


def trend(f: Filters) -> pl.DataFrame:
    """Every figure per year (the year as `year`)."""
    return _call("page_tables", "trend", f)


def by_unit(f: Filters) -> pl.DataFrame:
    """Figures per child unit of the scope."""
    return _call("figures", "by_unit", f)


def by_unit_with_direct(f: Filters) -> pl.DataFrame:
    """Figures per child unit, plus the scope unit's own records as a first row (drilldown.DIRECT)."""
    return _call("drilldown", "by_unit_with_direct", f)


def compare(a: Filters, b: Filters, lang: str) -> pl.DataFrame:
    """Every figure for periods A and B, as the page lists them (page_tables.comparison)."""
    return _call("page_tables", "comparison", a, b, lang=lang)


def reorganised_between(a: Filters, b: Filters) -> pl.DataFrame:
    """The reorganisations within the scope between periods A and B (structure.reorganised_between)."""
    return _call(
        "structure", "reorganised_between", (a.year_from, a.year_to), (b.year_from, b.year_to), unit=a.unit
    )


def unit_superior(code: str, year_to: int, reading: str) -> str | None:
    """A unit's superior as the period and reading show it (structure.superior)."""
    return _call("structure", "superior", code, year_to, reading)


def unit_history(code: str) -> pl.DataFrame:
    """A unit's predecessors and successor (structure.unit_history)."""
    return _call("structure", "unit_history", unit=code)


def side_by_side(a: Filters, b: Filters, by: str) -> pl.DataFrame:
    """Registrations per value of `by` in A and in B."""
    return _call("page_tables", "side_by_side", a, b, by)


def unit_changes(a: Filters, b: Filters) -> pl.DataFrame:
    """Registrations per child unit in A and B, and the change."""
    return _call("page_tables", "unit_changes", a, b)


def breakdown(f: Filters, by: str) -> pl.DataFrame:
    """Registrations counted by one dimension."""
    return _call("figures", "breakdown", f, by)


def awards_breakdown(f: Filters) -> pl.DataFrame:
    """Awards and nominations by year, level, form, subject and status."""
    return _call("figures", "awards_breakdown", f)


def awards_by_year(f: Filters) -> pl.DataFrame:
    """Awards, nominations and awards per 100 registrations, per year."""
    return _call("figures", "awards_by_year", f)


def awards_by(f: Filters, column: str, status: str) -> pl.DataFrame:
    """Awards (or nominations) per level or form, split collective / individual."""
    return _call("page_tables", "awards_by", f, column, status)


def awards_per_100(f: Filters) -> pl.DataFrame:
    """Awards per 100 registrations: the period, then each year."""
    return _call("page_tables", "awards_per_100", f)


def awards_per_100_period(f: Filters) -> float | None:
    """Awards per 100 registrations over the period."""
    return _call("page_tables", "awards_per_100_period", f)


def compliance_cells(f: Filters, per: str) -> pl.DataFrame:
    """The target compliance heatmap's cells, in the order drawn."""
    return _call("page_tables", "compliance_cells", f, per=per)


def score_bins(f: Filters) -> pl.DataFrame:
    """The score histogram's bins worth drawing."""
    return _call("page_tables", "score_bins", f)


def unit_tree_nodes(f: Filters) -> tuple[pl.DataFrame, pl.DataFrame, int]:
    """The hierarchy chart of the scope: its units, the nodes drawn and how many units there are."""
    return _call("page_tables", "unit_tree", f)


def compliance_matrix(f: Filters, per: str = "branch") -> pl.DataFrame:
    """Target compliance per chi bộ (or child unit) and year."""
    return _call("figures", "compliance_matrix", f, per=per)


def score_distribution(f: Filters) -> pl.DataFrame:
    """Histogram of scores."""
    return _call("figures", "score_distribution", f)


def unit_tree(f: Filters) -> pl.DataFrame:
    """Units of the scope with their parents."""
    return _call("figures", "unit_tree", f)


def report_options(f: Filters, options: report.ReportOptions) -> report.ReportOptions:
    """The report options with the letterhead defaults of the scope's unit filled in."""
    return _call("report", "default_options", f, options)


def report_content(f: Filters, options: report.ReportOptions):
    """The phase report's content (queries.report.model.Report): the page previews it and writes it."""
    return _call("report", "build_report", f, options)


def records(f: Filters, table: str, limit: int, offset: int) -> pl.DataFrame:
    """One page of filtered records."""
    return _call("figures", "records", f, table, limit, offset)


def count_records(f: Filters, table: str) -> int:
    """Number of filtered records."""
    return _call("figures", "count_records", f, table)


def all_records_loader(f: Filters, table: str) -> Callable[[], pl.DataFrame]:
    """A function that reads every filtered record of a table: a download builds it on click.

    It holds the snapshot itself, so it runs outside the script thread (no Streamlit calls); the
    filters are scoped to the user here, in the script thread, like every other data call.
    """
    f = enforce(f)
    snap = snapshot()

    def load() -> pl.DataFrame:
        cur = snap.cursor()
        try:
            return figures.records(cur, f, table)
        finally:
            cur.close()

    return load


# --- the import desk ---------------------------------------------------------------------------


def submission_status(year: int, unit: str | None = None) -> pl.DataFrame:
    """Grassroots units of the (scoped) unit and whether they sent the year's figures."""
    return _call("pages_data", "submission_status", year, unit=unit)


def import_history() -> pl.DataFrame:
    """The imports, undos and redos, newest first."""
    return _call("pages_data", "import_history", str(db_path()))
