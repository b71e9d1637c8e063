"""The scope that the access tests give a viewer on the demo: a Đảng bộ cơ sở with branches."""

from __future__ import annotations

from pathlib import Path

from queries import access, store


def demo_scope(db: Path) -> dict:
    """The root; `scope`, the Đảng bộ cơ sở with the most direct children, and `sibling`, the next
    (ties by code); their subtrees; every unit's name; and `foreign`, the names that must never show
    for a viewer of `scope`: the root and the other Đảng bộ cơ sở (the names of chi bộ repeat between
    units, so they are left out), unless part of an inside name."""
    cur = store.Snapshot(db).cursor()
    try:
        root = cur.execute("select ma_don_vi from don_vi where ma_cap_tren is null").fetchall()[0][0]
        # among the Đảng bộ cơ sở (the demo's root is the Tỉnh ủy, above the bloc and the committees
        # of 2025; a unit that moved keeping its code has a row per superior: units counted once)
        scope, sibling = [
            r[0]
            for r in cur.execute(
                "select p.ma_don_vi from don_vi p join don_vi c on c.ma_cap_tren = p.ma_don_vi "
                "where p.cap = 'Đảng bộ cơ sở' group by 1 order by count(distinct c.ma_don_vi) desc, 1 limit 2"
            ).fetchall()
        ]
        names = dict(cur.execute("select ma_don_vi, ten_don_vi from don_vi").fetchall())
        subtree = access.subtree(cur, scope)
        sibling_tree = access.subtree(cur, sibling)
    finally:
        cur.close()
    inside = {names[c] for c in subtree}
    foreign = {
        names[c]
        for c in names
        if c not in subtree and (c == root or names[c].startswith("Đảng bộ"))
        if not any(names[c] in name for name in inside)
    }
    return {
        "root": root,
        "scope": scope,
        "sibling": sibling,
        "subtree": subtree,
        "sibling_tree": sibling_tree,
        "names": names,
        "foreign": foreign,
    }
