"""Scope enforcement: which units a user may see, decided in the data layer.

A scoped user (one with a unit) sees that unit and its whole subtree (`don_vi.ma_cap_tren`),
nothing else, whatever the URL or the filters ask for. Across a reorganisation the subtree is the
union over every row of a unit (every period, both readings): a unit that moved keeping its code
is in the scope of its old and its new superior for all its years (DEVELOPERS.md, "Access across a
reorganisation"; tests/test_access_history.py). Every data call goes through `enforce`
(or `scoped_filters`), so the unit a figure, table or download is computed over is always one the
user may see: a requested unit outside the subtree, a code that does not exist, or anything
crafted is replaced by the user's own unit. The checks run in DuckDB with bound parameters.

The dashboard's order of work per run: resolve the user (login or `auth.OPEN_USER`), then
`f = enforce(cur, user, f)` once, then hand `f` to every figure and export.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

import duckdb

from queries.auth import User

if TYPE_CHECKING:
    from queries.figures import Filters

Cursor = duckdb.DuckDBPyConnection

# UNION (not UNION ALL) stops on a cycle in ma_cap_tren, which the importer may not rule out.
SUBTREE_SQL = """
with recursive subtree(ma_don_vi) as (
    select ma_don_vi from don_vi where ma_don_vi = $root
    union
    select child.ma_don_vi
    from don_vi as child
    join subtree as parent on child.ma_cap_tren = parent.ma_don_vi
)
select ma_don_vi from subtree
"""

IN_SUBTREE_SQL = f"""
with units as ({SUBTREE_SQL})
select count(*) > 0 from units where ma_don_vi = $unit
"""

UNIT_EXISTS_SQL = "select count(*) > 0 from don_vi where ma_don_vi = $unit"

ACTION_VIEW, ACTION_DOWNLOAD, ACTION_IMPORT, ACTION_MANAGE_USERS = (
    "view",
    "download",
    "import",
    "manage_users",
)
ACTIONS = (ACTION_VIEW, ACTION_DOWNLOAD, ACTION_IMPORT, ACTION_MANAGE_USERS)


def _msg(lang: str, vi: str, en: str) -> str:
    return en if lang == "en" else vi


def _require_user(user: object) -> User:
    # Fail closed: None (a forgotten login) must not mean "everything"; open mode is auth.OPEN_USER.
    if not isinstance(user, User):
        raise TypeError(f"expected a queries.auth.User, got {type(user).__name__}")
    return user


def _scalar(cur: Cursor, sql: str, params: dict) -> object:
    # fetchall, not fetchone: DuckDB 2 keeps a half-read result open on the cursor, and the next
    # relation call on it (the figures engine's cur.sql(...)) then fails with "unfinished result".
    return cur.execute(sql, params).fetchall()[0][0]


def _clean(code: object) -> str | None:
    if code is None:
        return None
    code = str(code).strip()
    return code or None


def subtree(cur: Cursor, unit: str) -> set[str]:
    """The unit and every unit below it (empty when the code does not exist)."""
    return {row[0] for row in cur.execute(SUBTREE_SQL, {"root": unit}).fetchall()}


def allowed_units(cur: Cursor, user: User) -> set[str] | None:
    """The unit codes the user may see; None means unrestricted."""
    user = _require_user(user)
    if user.unit is None:
        return None
    return subtree(cur, user.unit)


def unit_exists(cur: Cursor, unit: str) -> bool:
    """True when the code is a stored unit."""
    return bool(_scalar(cur, UNIT_EXISTS_SQL, {"unit": unit}))


def in_scope(cur: Cursor, user: User, unit: str | None) -> bool:
    """True when the user may see this unit (None = the whole database: only unscoped users)."""
    user = _require_user(user)
    unit = _clean(unit)
    if user.unit is None:
        return unit is None or unit_exists(cur, unit)
    if unit is None:
        return False
    return bool(_scalar(cur, IN_SUBTREE_SQL, {"root": user.unit, "unit": unit}))


def scoped_filters(cur: Cursor, user: User, requested_unit: str | None) -> str | None:
    """The unit to compute over: the requested one when the user may see it, else the user's own.

    Unscoped users get the requested unit if it exists, else None (the whole database).
    Scoped users get the requested unit only if it lies in their subtree, else their own unit;
    never None and never anything outside their subtree.
    """
    user = _require_user(user)
    requested = _clean(requested_unit)
    if user.unit is None:
        return requested if requested is not None and unit_exists(cur, requested) else None
    if requested is not None and in_scope(cur, user, requested):
        return requested
    return user.unit


def enforce(cur: Cursor, user: User, f: Filters) -> Filters:
    """The filters with their unit replaced by `scoped_filters`: call before every data call."""
    return dataclasses.replace(f, unit=scoped_filters(cur, user, f.unit))


def check_table_access(user: User, action: str, lang: str = "vi") -> None:
    """Raise PermissionError unless the user's role allows the action (view/download/import/manage_users)."""
    user = _require_user(user)
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}; expected one of {ACTIONS}")
    if action == ACTION_IMPORT and not user.can_import:
        raise PermissionError(
            _msg(
                lang,
                f"Người dùng '{user.name}' (vai trò {user.role}) không có quyền nhập dữ liệu; "
                "cần vai trò importer hoặc admin.",
                f"User '{user.name}' (role {user.role}) may not import data; "
                "the importer or admin role is needed.",
            )
        )
    if action == ACTION_MANAGE_USERS and not user.is_admin:
        raise PermissionError(
            _msg(
                lang,
                f"Người dùng '{user.name}' không có quyền quản trị người dùng.",
                f"User '{user.name}' may not manage users.",
            )
        )


def units_outside_scope(cur: Cursor, user: User, units: set[str] | list[str]) -> set[str]:
    """The codes among `units` the user may not touch (for checking an import's rows by unit)."""
    allowed = allowed_units(cur, user)
    codes = {c for c in (_clean(u) for u in units) if c is not None}
    if allowed is None:
        return set()
    return codes - allowed
