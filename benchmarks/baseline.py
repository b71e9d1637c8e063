"""The pandas baseline: the summary figures as a typical analyst script would compute them.

Written from DOMAIN.md section 4 directly, not from the product's code, so that agreeing figures
also cross-check the engine. The data are read from the same CSV files the product imports.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from queries import vocab

# The generated CSV files are clean: headers are the template labels, dates dd/mm/yyyy.
_RENAME = {t.name: {c.header: c.alias for c in t.columns} for t in vocab.TABLES}


def load(folder: Path) -> dict[str, pd.DataFrame]:
    """Read every table's CSV into pandas, with dates parsed."""
    frames = {}
    for table in vocab.TABLES:
        path = Path(folder) / f"{table.name}.csv"
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        df = df.rename(columns=_RENAME[table.name])
        for col in table.columns:
            if col.alias not in df:
                continue
            if col.type == vocab.DATE:
                df[col.alias] = pd.to_datetime(df[col.alias].replace("", None), format="%d/%m/%Y").dt.date
            elif col.type in (vocab.INTEGER, vocab.NUMBER):
                df[col.alias] = pd.to_numeric(df[col.alias].replace("", None))
        frames[table.name] = df
    return frames


def _subtree(units: pd.DataFrame, root: str | None) -> set[str]:
    if root is None:
        return set(units["ma_don_vi"])
    found, frontier = {root}, {root}
    while frontier:
        children = set(units.loc[units["ma_cap_tren"].isin(frontier), "ma_don_vi"]) - found
        found |= children
        frontier = children
    return found


def _active(units: pd.DataFrame, first: date, last: date) -> pd.Series:
    starts = units["hieu_luc_tu"].apply(lambda d: d is None or pd.isna(d) or d <= last)
    ends = units["hieu_luc_den"].apply(lambda d: d is None or pd.isna(d) or d >= first)
    return starts & ends


def _grassroots_of(units: pd.DataFrame) -> dict[str, str]:
    """Each unit's grassroots ancestor-or-self (TCCSĐ), where it has one."""
    parent = dict(zip(units["ma_don_vi"], units["ma_cap_tren"], strict=True))
    level = dict(zip(units["ma_don_vi"], units["cap"], strict=True))
    out = {}
    for code in units["ma_don_vi"]:
        node, seen = code, set()
        while node and node not in seen:
            seen.add(node)
            if level.get(node) in vocab.GRASSROOTS_LEVELS:
                out[code] = node
                break
            node = parent.get(node) or None
    return out


def _rate(num: int, den: int) -> float | None:
    return num / den if den else None


def summary(frames: dict[str, pd.DataFrame], f) -> dict:
    """The headline figures of one scope and period (no field/subject/movement/kind filter)."""
    units, regs = frames["don_vi"], frames["dang_ky"]
    awards, confs = frames["khen_thuong"], frames["hoi_nghi"]
    scope = _subtree(units, f.unit)
    years = range(f.year_from, f.year_to + 1)

    r = regs[regs["ma_don_vi"].isin(scope) & regs["nam"].between(f.year_from, f.year_to)]
    in_scope = units[units["ma_don_vi"].isin(scope)]
    active = in_scope[_active(in_scope, date(f.year_from, 1, 1), date(f.year_to, 12, 31))]
    grassroots = set(active.loc[active["cap"].isin(vocab.GRASSROOTS_LEVELS), "ma_don_vi"])
    owner = _grassroots_of(units)
    with_reg = {owner.get(u) for u in r["ma_don_vi"].unique()} & grassroots
    c = confs[
        confs["ma_don_vi"].isin(scope)
        & confs["nam"].between(f.year_from, f.year_to)
        & (confs["loai_hoi_nghi"] == vocab.CONFERENCE_COMMENDATION)
    ]
    with_conf = {owner.get(u) for u in c["ma_don_vi"].unique()} & grassroots

    branch_years = met = 0
    branches = in_scope[in_scope["cap"].isin(vocab.BRANCH_LEVELS)]
    movements = r.groupby(["ma_don_vi", "nam"])["phong_trao"].agg(set).to_dict()
    for year in years:
        alive = branches[_active(branches, date(year, 1, 1), date(year, 12, 31))]
        for code in alive["ma_don_vi"].unique():  # a chi bộ that moved that year has two rows
            branch_years += 1
            if {vocab.MOVEMENT_DVK, vocab.MOVEMENT_QCDC} <= movements.get((code, year), set()):
                met += 1

    a = awards[awards["ma_don_vi"].isin(scope) & awards["nam"].between(f.year_from, f.year_to)]
    done = a[a["trang_thai"] == vocab.STATUS_AWARDED]
    nominated = a[a["trang_thai"] == vocab.STATUS_NOMINATED]
    recognised = int(r["ket_qua"].isin(vocab.RECOGNISED_RESULTS).sum())

    def by_level(frame):
        return {
            level: {
                "collective": int(
                    (
                        (frame["cap_khen_thuong"] == level) & (frame["doi_tuong"] == vocab.SUBJECT_COLLECTIVE)
                    ).sum()
                ),
                "individual": int(
                    (
                        (frame["cap_khen_thuong"] == level) & (frame["doi_tuong"] == vocab.SUBJECT_INDIVIDUAL)
                    ).sum()
                ),
            }
            for level in vocab.AWARD_LEVELS
        }

    return {
        "registrations": {
            "total": len(r),
            "collective": int((r["doi_tuong"] == vocab.SUBJECT_COLLECTIVE).sum()),
            "individual": int((r["doi_tuong"] == vocab.SUBJECT_INDIVIDUAL).sum()),
            "by_field": {k: int((r["linh_vuc"] == k).sum()) for k in vocab.FIELDS},
            "by_movement": {k: int((r["phong_trao"] == k).sum()) for k in vocab.MOVEMENTS},
            "by_kind": {k: int((r["loai"] == k).sum()) for k in vocab.KINDS},
        },
        "grassroots_units": len(grassroots),
        "units_with_registration": len(with_reg),
        "coverage_rate": _rate(len(with_reg), len(grassroots)),
        "units_with_conference": len(with_conf),
        "conference_rate": _rate(len(with_conf), len(grassroots)),
        "target_compliance_rate": _rate(met, branch_years),
        "recognised": recognised,
        "recognition_rate": _rate(recognised, len(r)),
        "awards": {
            "total": len(done),
            "collective": int((done["doi_tuong"] == vocab.SUBJECT_COLLECTIVE).sum()),
            "individual": int((done["doi_tuong"] == vocab.SUBJECT_INDIVIDUAL).sum()),
            "by_level": by_level(done),
        },
        "nominations": {"total": len(nominated), "by_level": by_level(nominated)},
    }


def compare(expected: dict, got: dict, path: str = "") -> list[str]:
    """Where the product's summary differs from the baseline's (rates to 1e-6); empty when equal."""
    diffs = []
    for key, want in expected.items():
        have = got.get(key) if isinstance(got, dict) else None
        where = f"{path}.{key}" if path else key
        if isinstance(want, dict):
            diffs += compare(want, have or {}, where)
        elif want is None or have is None:
            if want != have:
                diffs.append(f"{where}: pandas {want!r}, product {have!r}")
        elif isinstance(want, float) or isinstance(have, float):
            if abs(float(want) - float(have)) > 1e-6:
                diffs.append(f"{where}: pandas {want!r}, product {have!r}")
        elif want != have:
            diffs.append(f"{where}: pandas {want!r}, product {have!r}")
    return diffs
