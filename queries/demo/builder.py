"""The demo builder assembled (units, registrations, events, the reorganisation) and `generate_demo`,
which turns its rows into one Polars frame per table."""

from __future__ import annotations

import polars as pl

from queries import vocab as v
from queries.demo.calibration import DEFAULT_SEED, YEARS
from queries.demo.reorganisation import _ReorgBuilder


class _DemoBuilder(_ReorgBuilder):
    """Holds the generator's state; `build()` returns the five tables as lists of row dicts."""

    # output --------------------------------------------------------------------------------------

    def build(self, reorganisation: bool = True) -> dict[str, list[dict]]:
        self.build_units()
        self.build_registrations()
        self.build_conferences()
        self.build_awards()
        # 2025-2026 from a second random stream: the rows above stay as they were
        if reorganisation:
            self.build_reorganisation(self.seed)
        units = [
            {
                "ma_don_vi": u.code,
                "ten_don_vi": u.name,
                "ma_cap_tren": parent,
                "cap": u.level,
                "loai_hinh": u.kind,
                "hieu_luc_tu": start,
                "hieu_luc_den": end,
                "ma_ke_thua": successor,
            }
            for u in self.units.values()
            for parent, start, end, successor in u.rows()
        ]
        sizes = [
            {"ma_don_vi": u.code, "nam": y, "so_dang_vien": u.members[y], "so_nguoi_lao_dong": u.staff[y]}
            for u in self.units.values()
            if u.level not in v.SUPERIOR_LEVELS
            for y in YEARS
            if y in u.members
        ]
        registrations = [
            {k: val for k, val in r.items() if not k.startswith("_")} for r in self.registrations
        ]
        order = {code: i for i, code in enumerate(self.units)}
        conferences = sorted(
            self.conferences, key=lambda c: (c["nam"], order[c["ma_don_vi"]], c["ngay"], c["loai_hoi_nghi"])
        )
        awards = sorted(
            self.awards,
            key=lambda a: (
                a["nam"],
                a["ngay_quyet_dinh"],
                a["so_quyet_dinh"],
                a["doi_tuong"] != v.SUBJECT_COLLECTIVE,
            ),
        )
        return {
            "don_vi": units,
            "quy_mo": sizes,
            "dang_ky": registrations,
            "khen_thuong": awards,
            "hoi_nghi": conferences,
        }


_POLARS_TYPES = {v.TEXT: pl.String, v.INTEGER: pl.Int64, v.NUMBER: pl.Float64, v.DATE: pl.Date}


def generate_demo(seed: int = DEFAULT_SEED, *, reorganisation: bool = True) -> dict[str, pl.DataFrame]:
    """The demo data set as one Polars frame per table (columns = template aliases, in order).

    `reorganisation=False`: the bloc's years only (2018-2024, the bloc as the root, one row per
    unit), the same rows as those years of the whole demo."""
    rows = _DemoBuilder(seed).build(reorganisation)
    frames = {}
    for table in v.TABLES:
        schema = {c.alias: _POLARS_TYPES[c.type] for c in table.columns}
        frames[table.name] = (
            pl.DataFrame(rows[table.name], schema=schema, orient="row")
            if rows[table.name]
            else pl.DataFrame(schema=schema)
        )
    return frames
