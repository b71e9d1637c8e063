"""The calibrated demo data set and the scale mode for benchmarks.

`generate_demo()` builds one provincial bloc (Đảng bộ Khối Cơ quan và Doanh nghiệp tỉnh, 89 grassroots
party organisations, 2018-2024, under the Tỉnh ủy) whose 2021-2023 phase reproduces the figures of the
seed article (DOMAIN.md section 5) exactly: 1.061 collective and 5.908 individual registrations, 67/89
units with a commendation conference, 126 + 156 awards at grassroots level, 61 + 110 by the bloc
committee, 1 nomination to the provincial People's Committee and 2 individuals commended by the
provincial steering committee; then the 2025 reorganisation and the years 2025-2026
(queries/demo/reorganisation.py). The bloc's years are drawn from one `random.Random(seed)`, the
years after from a second stream seeded from the same seed, so the same seed always gives the same
rows and the same workbook bytes, and the bloc's rows do not depend on what follows them.

`write_scale_csvs()` writes the same five tables for many blocs in many provinces, column-wise with
numpy and Polars in bounded chunks, for benchmarks up to tens of millions of registrations.

By stage (each module says more): `calibration` (seed, years, the seed figures, the bloc's units),
`names` (people's names, model titles, field weights), the builder in four layers `units`,
`registrations`, `events` (conferences and awards) and `reorganisation` (2025-2026), assembled in
`builder` (`generate_demo`), `workbook` (`write_demo_workbook`, `build_demo_database`) and `scale`
(`write_scale_csvs`).
"""

from __future__ import annotations

from queries.demo.builder import generate_demo
from queries.demo.calibration import (
    BLOC_AWARDS,
    COLLECTIVE_REGISTRATIONS,
    COMMENDATION_SHARE,
    COMMENDATION_UNITS_IN_PHASE,
    DEFAULT_SEED,
    DEMO_WORKBOOK,
    GRASSROOTS_AWARDS,
    GRASSROOTS_IN_PHASE,
    INDIVIDUAL_REGISTRATIONS,
    PARTICIPATION,
    PHASE,
    QCDC_TARGET,
    ROOT_CODE,
    ROOT_NAME,
    WORKBOOK_CREATED,
    YEARS,
)
from queries.demo.scale import (
    SCALE_AWARD_SHARE,
    SCALE_CHUNK_ROWS,
    SCALE_REGISTRATIONS_PER_UNIT_YEAR,
    SCALE_UNITS_PER_BLOC,
    SCALE_YEARS,
    ScaleProgress,
    write_scale_csvs,
)
from queries.demo.workbook import STT_SHEETS, TITLE_ROWS, build_demo_database, write_demo_workbook

__all__ = [
    "BLOC_AWARDS",
    "COLLECTIVE_REGISTRATIONS",
    "COMMENDATION_SHARE",
    "COMMENDATION_UNITS_IN_PHASE",
    "DEFAULT_SEED",
    "DEMO_WORKBOOK",
    "GRASSROOTS_AWARDS",
    "GRASSROOTS_IN_PHASE",
    "INDIVIDUAL_REGISTRATIONS",
    "PARTICIPATION",
    "PHASE",
    "QCDC_TARGET",
    "ROOT_CODE",
    "ROOT_NAME",
    "SCALE_AWARD_SHARE",
    "SCALE_CHUNK_ROWS",
    "SCALE_REGISTRATIONS_PER_UNIT_YEAR",
    "SCALE_UNITS_PER_BLOC",
    "SCALE_YEARS",
    "STT_SHEETS",
    "TITLE_ROWS",
    "WORKBOOK_CREATED",
    "YEARS",
    "ScaleProgress",
    "build_demo_database",
    "generate_demo",
    "write_demo_workbook",
    "write_scale_csvs",
]
