"""Scale mode for benchmarks: the same five tables for many blocs in many provinces, generated
column-wise with numpy and Polars in bounded chunks, written as CSV."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

import polars as pl

from queries import vocab as v
from queries.demo.calibration import AGENCY, BRANCH_UNITS, COMMITTEES, DEFAULT_SEED, ENTERPRISE, PUBLIC
from queries.demo.names import (
    EXEMPLAR_TITLES,
    FEMALE_GIVEN,
    FEMALE_MIDDLE,
    GENERIC_TITLES,
    MALE_GIVEN,
    MALE_MIDDLE,
    QCDC_EXEMPLAR,
    SECTOR_TITLES,
    SURNAMES,
)

# --- scale mode ------------------------------------------------------------------------------------

SCALE_YEARS = tuple(range(2015, 2025))
# fmt: off
PROVINCES = (
    "An Giang", "Bà Rịa - Vũng Tàu", "Bắc Giang", "Bắc Kạn", "Bạc Liêu", "Bắc Ninh", "Bến Tre", "Bình Định",
    "Bình Dương", "Bình Phước", "Bình Thuận", "Cà Mau", "Cần Thơ", "Cao Bằng", "Đà Nẵng", "Đắk Lắk",
    "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam", "Hà Nội", "Hà Tĩnh",
    "Hải Dương", "Hải Phòng", "Hậu Giang", "Hòa Bình", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum",
    "Lai Châu", "Lâm Đồng", "Lạng Sơn", "Lào Cai", "Long An", "Nam Định", "Nghệ An", "Ninh Bình",
    "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị",
    "Sóc Trăng", "Sơn La", "Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế",
    "Tiền Giang", "TP Hồ Chí Minh", "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
)
# fmt: on
BLOC_NAMES = (
    "Đảng bộ Khối Cơ quan và Doanh nghiệp tỉnh",
    "Đảng bộ Khối Doanh nghiệp tỉnh",
    "Đảng bộ Khối các cơ quan tỉnh",
)
# Calibrated on the demo bloc: about 26 registrations per grassroots unit and year, 90 units a bloc.
SCALE_REGISTRATIONS_PER_UNIT_YEAR = 26
SCALE_UNITS_PER_BLOC = 90
SCALE_AWARD_SHARE = 0.06
SCALE_CHUNK_ROWS = 250_000

ScaleProgress = Callable[[str, int, int], None]


def _scale_titles() -> pl.DataFrame:
    """Every model title with its field, movement and kind, and a draw weight."""
    rows = []
    for movement, by_field in GENERIC_TITLES.items():
        for field_, titles in by_field.items():
            for title in titles:
                rows.append(
                    (title, field_, movement, v.KIND_MODEL, 3.0 if movement == v.MOVEMENT_DVK else 2.0)
                )
    for pairs in SECTOR_TITLES.values():
        for field_, title in pairs:
            rows.append((title, field_, v.MOVEMENT_DVK, v.KIND_MODEL, 1.0))
    for field_, title in (*EXEMPLAR_TITLES, QCDC_EXEMPLAR):
        movement = v.MOVEMENT_QCDC if title == QCDC_EXEMPLAR[1] else v.MOVEMENT_DVK
        rows.append((title, field_, movement, v.KIND_EXEMPLAR, 3.0))
    frame = pl.DataFrame(rows, schema=["title", "field", "movement", "kind", "weight"], orient="row")
    return frame.unique(subset="title", keep="first", maintain_order=True)


def _dmy(expr: pl.Expr) -> pl.Expr:
    return expr.dt.strftime("%d/%m/%Y")


class _ScaleWriter:
    """Appends chunks of one table to its CSV file, header on the first chunk only."""

    def __init__(self, path: Path, table: v.Table):
        self.path, self.table = path, table
        self.handle = open(path, "wb")  # noqa: SIM115 - closed in close()
        self.rows = 0

    def write(self, frame: pl.DataFrame) -> None:
        frame = frame.select([pl.col(c.alias) for c in self.table.columns])
        frame = frame.rename({c.alias: c.header for c in self.table.columns})
        frame.write_csv(self.handle, include_header=self.rows == 0)
        self.rows += frame.height

    def close(self) -> None:
        if self.rows == 0:  # an empty table still gets its header
            pl.DataFrame(schema={c.header: pl.String for c in self.table.columns}).write_csv(self.handle)
        self.handle.close()


def write_scale_csvs(
    out_dir: str | os.PathLike,
    registrations: int,
    seed: int = DEFAULT_SEED,
    *,
    chunk_rows: int = SCALE_CHUNK_ROWS,
    progress: ScaleProgress | None = None,
) -> dict[str, Path]:
    """Write a large synthetic data set as one CSV per table (import-template headers, UTF-8).

    Many blocs in many provinces over 2015-2024, with units, sizes, awards and conferences in
    proportion to `registrations` (the exact number of registration rows). Generated column-wise in
    chunks of `chunk_rows`, so memory stays bounded whatever the size. Returns {table name: path}.
    """
    import numpy as np

    if registrations < 0:
        raise ValueError("registrations must be >= 0")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    paths = {t.name: out / f"{t.name}.csv" for t in v.TABLES}
    writers = {t.name: _ScaleWriter(paths[t.name], t) for t in v.TABLES}
    try:
        units = _scale_units(rng, registrations)
        if progress:
            progress("don_vi", units.height, units.height)
        writers["don_vi"].write(units.with_columns(_dmy(pl.col("hieu_luc_tu")), _dmy(pl.col("hieu_luc_den"))))
        sizes = _scale_sizes(rng, units)
        writers["quy_mo"].write(sizes)
        if progress:
            progress("quy_mo", sizes.height, sizes.height)
        _scale_conferences(rng, units, sizes, writers["hoi_nghi"], progress)
        _scale_registrations(rng, units, sizes, registrations, chunk_rows, writers, progress)
    finally:
        for writer in writers.values():
            writer.close()
    return paths


def _scale_units(rng, registrations: int) -> pl.DataFrame:
    """Blocs (roots) in provinces, each with đảng bộ cơ sở + chi bộ trực thuộc and chi bộ cơ sở."""
    import numpy as np

    n_grassroots = max(4, round(registrations / (len(SCALE_YEARS) * SCALE_REGISTRATIONS_PER_UNIT_YEAR)))
    n_blocs = max(1, -(-n_grassroots // SCALE_UNITS_PER_BLOC))
    n_provinces = min(len(PROVINCES), max(1, -(-n_blocs // 2)))
    bloc = np.arange(n_blocs)
    province = bloc % n_provinces
    rank = bloc // n_provinces  # the k-th bloc of its province
    bloc_codes = [f"T{p + 1:02d}.K{r + 1}" for p, r in zip(province, rank, strict=True)]
    bloc_names = [
        f"{BLOC_NAMES[r % len(BLOC_NAMES)]} {PROVINCES[p]}"
        + (f" (khu vực {r // len(BLOC_NAMES) + 1})" if r >= len(BLOC_NAMES) else "")
        for p, r in zip(province, rank, strict=True)
    ]
    roots = pl.DataFrame(
        {
            "ma_don_vi": bloc_codes,
            "ten_don_vi": bloc_names,
            "ma_cap_tren": pl.Series([None] * n_blocs, dtype=pl.String),
            "cap": v.LEVEL_BLOC,
            "loai_hinh": AGENCY,
            "hieu_luc_tu": pl.Series([date(2008, 10, 1)] * n_blocs),
            "hieu_luc_den": pl.Series([None] * n_blocs, dtype=pl.Date),
            "ma_ke_thua": pl.Series([None] * n_blocs, dtype=pl.String),
            "_sector": 0,
        }
    )

    # Grassroots units: spread over the blocs, about a third đảng bộ cơ sở.
    g_bloc = np.arange(n_grassroots) % n_blocs
    g_rank = np.arange(n_grassroots) // n_blocs
    committee = rng.random(n_grassroots) < 0.36
    catalogue = [(name, kind) for name, kind, _, _ in COMMITTEES] + [
        (name, kind) for name, kind, _ in BRANCH_UNITS
    ]
    org_index = (g_rank + rng.integers(0, len(catalogue), n_grassroots)) % len(catalogue)
    orgs = pl.Series([c[0] for c in catalogue])
    kinds = pl.Series([c[1] for c in catalogue])
    g_codes = pl.Series(bloc_codes).gather(g_bloc) + pl.Series([f".{r + 1:03d}" for r in g_rank])
    start = pl.Series(rng.integers(0, 4000, n_grassroots)).cast(pl.Int64)
    # A few units end in the last year, merged into the next unit of their bloc.
    successor = np.arange(n_grassroots) + n_blocs
    ended = (rng.random(n_grassroots) < 0.02) & (successor < n_grassroots)
    successor = np.minimum(successor, n_grassroots - 1)
    grassroots = pl.DataFrame(
        {
            "ma_don_vi": g_codes,
            "ten_don_vi": pl.Series(np.where(committee, "Đảng bộ ", "Chi bộ ")) + orgs.gather(org_index),
            "ma_cap_tren": pl.Series(bloc_codes).gather(g_bloc),
            "cap": pl.Series(np.where(committee, v.LEVEL_GRASSROOTS_COMMITTEE, v.LEVEL_GRASSROOTS_BRANCH)),
            "loai_hinh": kinds.gather(org_index),
            "_start": start,
            "_ended": ended,
            "_sector": org_index,
        }
    ).with_columns(
        (pl.lit(date(2004, 1, 1)) + pl.duration(days=pl.col("_start"))).alias("hieu_luc_tu"),
        pl.when(pl.col("_ended")).then(pl.lit(date(2024, 6, 30))).alias("hieu_luc_den"),
        pl.when(pl.col("_ended")).then(pl.col("ma_don_vi").gather(pl.Series(successor))).alias("ma_ke_thua"),
    )

    # Branches: 2-8 under each đảng bộ cơ sở.
    n_children = np.where(committee, rng.integers(2, 9, n_grassroots), 0)
    parent = np.repeat(np.arange(n_grassroots), n_children)
    offsets = np.cumsum(n_children) - n_children
    child_rank = np.arange(parent.size) - offsets[parent]
    departments = pl.Series(
        [
            "Văn phòng",
            "Phòng Tổ chức - Hành chính",
            "Phòng Kế hoạch - Tài chính",
            "Phòng Kỹ thuật",
            "Phòng Kinh doanh",
            "Phòng Nghiệp vụ",
            "Thanh tra",
            "Trung tâm Dịch vụ",
            "Chi nhánh khu vực 1",
            "Chi nhánh khu vực 2",
            "Khoa Khám bệnh",
            "Phòng Đào tạo",
        ]
    )
    branches = pl.DataFrame(
        {
            "ma_don_vi": g_codes.gather(parent)
            + pl.Series([f".{r + 1:02d}" for r in child_rank], dtype=pl.String),
            "ten_don_vi": "Chi bộ " + departments.gather(child_rank % departments.len()),
            "ma_cap_tren": g_codes.gather(parent),
            "cap": v.LEVEL_BRANCH,
            "loai_hinh": grassroots["loai_hinh"].gather(parent),
            "hieu_luc_tu": grassroots["hieu_luc_tu"].gather(parent),
            "hieu_luc_den": grassroots["hieu_luc_den"].gather(parent),
            "ma_ke_thua": pl.Series([None] * parent.size, dtype=pl.String),
            "_sector": grassroots["_sector"].gather(parent),
        }
    )
    grassroots = grassroots.drop("_start", "_ended")
    columns = [c.alias for c in v.UNITS.columns] + ["_sector"]
    return pl.concat(
        [roots.select(columns), grassroots.select(columns), branches.select(columns)], how="vertical_relaxed"
    )


def _scale_sizes(rng, units: pl.DataFrame) -> pl.DataFrame:
    """quy_mo for every grassroots unit and branch, every year; a đảng bộ cơ sở is its branches' sum."""
    import numpy as np

    members_of = units.filter(pl.col("cap").is_in(v.BRANCH_LEVELS)).select(
        "ma_don_vi", "ma_cap_tren", "cap", "loai_hinh"
    )
    n = members_of.height
    base = rng.integers(7, 40, n)
    ratio = np.select(
        [members_of["loai_hinh"].to_numpy() == ENTERPRISE, members_of["loai_hinh"].to_numpy() == PUBLIC],
        [rng.uniform(3.0, 7.5, n), rng.uniform(2.4, 4.5, n)],
        rng.uniform(1.5, 2.6, n),
    )
    frames = []
    for k, year in enumerate(SCALE_YEARS):
        members = np.maximum(4, np.round(base * (1 + 0.025 * k) + rng.normal(0, 1.2, n))).astype(np.int64)
        staff = np.maximum(members + 2, np.round(members * ratio + rng.normal(0, 3, n))).astype(np.int64)
        frames.append(
            members_of.select("ma_don_vi", "ma_cap_tren", "cap").with_columns(
                pl.lit(year).alias("nam"),
                pl.Series("so_dang_vien", members),
                pl.Series("so_nguoi_lao_dong", staff),
            )
        )
    branch_sizes = pl.concat(frames)
    committees = (
        branch_sizes.filter(pl.col("cap") == v.LEVEL_BRANCH)
        .group_by("ma_cap_tren", "nam")
        .agg(pl.col("so_dang_vien").sum(), pl.col("so_nguoi_lao_dong").sum())
        .rename({"ma_cap_tren": "ma_don_vi"})
    )
    columns = ["ma_don_vi", "nam", "so_dang_vien", "so_nguoi_lao_dong"]
    return pl.concat([committees.select(columns), branch_sizes.select(columns)]).sort("nam", "ma_don_vi")


def _scale_conferences(rng, units: pl.DataFrame, sizes: pl.DataFrame, writer: _ScaleWriter,
                       progress: ScaleProgress | None) -> None:  # fmt: skip
    """Per year: commendation, mid-year and year-end conferences at grassroots units; study meetings everywhere."""
    import numpy as np

    grassroots = set(v.GRASSROOTS_LEVELS)
    plan = [  # (type, month, day range, share, grassroots only)
        (v.CONFERENCE_COMMENDATION, 12, (1, 20), 0.7, True),
        ("Sơ kết", 7, (1, 28), 0.55, True),
        ("Tổng kết", 12, (21, 30), 0.7, True),
        *[("Học tập, quán triệt", m, (4, 26), 0.3, False) for m in (2, 3, 5, 7, 9, 11)],
    ]
    levels = units.select("ma_don_vi", "cap", "hieu_luc_den")
    for year in SCALE_YEARS:
        year_sizes = sizes.filter(pl.col("nam") == year).join(levels, on="ma_don_vi")
        is_grassroots = year_sizes["cap"].is_in(list(grassroots)).to_numpy()
        n = year_sizes.height
        parts = []
        for kind, month, (d0, d1), share, only_grassroots in plan:
            mask = rng.random(n) < share
            if only_grassroots:
                mask &= is_grassroots
            chosen = year_sizes.filter(pl.Series(mask))
            days = rng.integers(d0, d1 + 1, chosen.height)
            on = pl.date(year, month, pl.lit(pl.Series(days)))
            keep = chosen.select(
                (pl.col("hieu_luc_den").is_null() | (on <= pl.col("hieu_luc_den"))).alias("k")
            )
            chosen, days = chosen.filter(keep["k"]), days[keep["k"].to_numpy()]
            m = chosen.height
            members = np.round(chosen["so_dang_vien"].to_numpy() * rng.uniform(0.86, 1.0, m)).astype(np.int64)
            others = chosen["so_nguoi_lao_dong"].to_numpy() - chosen["so_dang_vien"].to_numpy()
            attendees = members + np.round(others * rng.uniform(0.05, 0.45, m)).astype(np.int64)
            parts.append(
                chosen.select("ma_don_vi", "nam").with_columns(
                    pl.lit(kind).alias("loai_hoi_nghi"),
                    _dmy(pl.date(year, month, pl.lit(pl.Series(days)))).alias("ngay"),
                    pl.Series("so_nguoi_du", attendees),
                    pl.Series("so_dang_vien_du", members),
                )
            )
        writer.write(pl.concat(parts))
    if progress:
        progress("hoi_nghi", writer.rows, writer.rows)


def _scale_registrations(rng, units: pl.DataFrame, sizes: pl.DataFrame, total: int, chunk_rows: int,
                         writers: dict[str, _ScaleWriter], progress: ScaleProgress | None) -> None:  # fmt: skip
    """Registrations (and the awards linked to them) in chunks of at most chunk_rows rows."""
    import numpy as np

    # Registrants: chi bộ weighted by staff, plus their đảng bộ cơ sở now and then.
    chibo = units.filter(pl.col("cap").is_in(v.BRANCH_LEVELS)).select(
        "ma_don_vi", "ten_don_vi", "ma_cap_tren", "cap"
    )
    staff = sizes.filter(pl.col("nam") == SCALE_YEARS[-1]).select("ma_don_vi", "so_nguoi_lao_dong")
    chibo = chibo.join(staff, on="ma_don_vi", how="left", maintain_order="left")
    parent_names = units.select(
        pl.col("ma_don_vi").alias("ma_cap_tren"), pl.col("ten_don_vi").alias("ten_cap_tren")
    )
    chibo = chibo.join(parent_names, on="ma_cap_tren", how="left", maintain_order="left")
    weights = chibo["so_nguoi_lao_dong"].fill_null(20).to_numpy().astype(np.float64)
    cumulative = np.cumsum(weights / weights.sum())
    cumulative[-1] = 1.0
    unit_code, unit_name = chibo["ma_don_vi"], chibo["ten_don_vi"]
    unit_parent = chibo["ma_cap_tren"]
    parent_is_committee = (chibo["cap"] == v.LEVEL_BRANCH).to_numpy()
    parent_name = chibo["ten_cap_tren"]

    titles = _scale_titles()
    title_p = titles["weight"].to_numpy() / titles["weight"].sum()
    surnames = pl.Series([s for s, _ in SURNAMES])
    surname_p = np.array([w for _, w in SURNAMES], dtype=np.float64)
    surname_p /= surname_p.sum()
    middles = pl.Series([m for m, _ in MALE_MIDDLE] + [m for m, _ in FEMALE_MIDDLE])
    middle_w = np.array([w for _, w in MALE_MIDDLE] + [w for _, w in FEMALE_MIDDLE], dtype=np.float64)
    n_male_middle = len(MALE_MIDDLE)
    given = pl.Series(list(MALE_GIVEN) + list(FEMALE_GIVEN))
    male_mid_p = middle_w[:n_male_middle] / middle_w[:n_male_middle].sum()
    female_mid_p = middle_w[n_male_middle:] / middle_w[n_male_middle:].sum()

    year_weights = np.array([1.0 + 0.09 * k for k in range(len(SCALE_YEARS))])
    per_year = (
        rng.multinomial(total, year_weights / year_weights.sum())
        if total
        else np.zeros(len(SCALE_YEARS), int)
    )
    year_edges = np.cumsum(per_year)
    award_seq = 0
    award_levels = np.array(v.AWARD_LEVELS)
    award_level_p = np.array([55, 35, 4, 2, 3, 1], dtype=np.float64)
    award_level_p /= award_level_p.sum()
    suffix = {"Cơ sở": "QĐ/ĐU", "Đảng ủy Khối": "QĐ/ĐUK", "Ban Dân vận Tỉnh ủy": "QĐ/BDVTU",
              "Ban Chỉ đạo tỉnh": "QĐ/BCĐ", "UBND tỉnh": "QĐ-UBND", "Trung ương": "QĐ/BDVTW"}  # fmt: skip

    for start in range(0, total, chunk_rows):
        n = min(chunk_rows, total - start)
        index = np.arange(start, start + n)
        year = np.asarray(SCALE_YEARS)[np.searchsorted(year_edges, index, side="right")]
        unit = np.minimum(np.searchsorted(cumulative, rng.random(n)), len(cumulative) - 1)
        collective = rng.random(n) < 0.153
        # ~3% sit at the đảng bộ cơ sở of a branch instead of the branch itself.
        at_parent = parent_is_committee[unit] & (rng.random(n) < 0.03)
        male = rng.random(n) < 0.5
        middle = np.where(
            male,
            rng.choice(n_male_middle, n, p=male_mid_p),
            n_male_middle + rng.choice(len(FEMALE_MIDDLE), n, p=female_mid_p),
        )
        given_idx = np.where(
            male, rng.integers(0, len(MALE_GIVEN), n), len(MALE_GIVEN) + rng.integers(0, len(FEMALE_GIVEN), n)
        )
        person = (
            surnames.gather(rng.choice(len(SURNAMES), n, p=surname_p))
            + " "
            + middles.gather(middle)
            + " "
            + given.gather(given_idx)
        )
        title = rng.choice(titles.height, n, p=title_p)
        model_slot = rng.integers(1, 40, n)
        score = np.clip(np.round((81 + rng.normal(0, 8, n)) * 2) / 2, 48, 99)
        latest = year == SCALE_YEARS[-1]
        pending = latest & (rng.random(n) < 0.42)
        in_progress = pending & (rng.random(n) < 0.36)
        frame = pl.DataFrame(
            {
                "_seq": index,
                "nam": year,
                "_code": unit_code.gather(unit),
                "_parent": unit_parent.gather(unit),
                "_name": unit_name.gather(unit),
                "_parent_name": parent_name.gather(unit),
                "_at_parent": at_parent,
                "_collective": collective,
                "_person": person,
                "_title": title,
                "_slot": model_slot,
                "_score": score,
                "_pending": pending,
                "_in_progress": in_progress,
                "_day": rng.integers(0, 81, n),
            }
        )
        tt = titles.select(
            pl.col("title").alias("ten_mo_hinh"), pl.col("field").alias("linh_vuc"),
            pl.col("movement").alias("phong_trao"), pl.col("kind").alias("loai"),
        ).with_row_index("_title")  # fmt: skip
        frame = frame.join(
            tt.with_columns(pl.col("_title").cast(pl.Int64)), on="_title", how="left", maintain_order="left"
        )
        ma_don_vi = pl.when(pl.col("_at_parent")).then(pl.col("_parent")).otherwise(pl.col("_code"))
        ten_don_vi = pl.when(pl.col("_at_parent")).then(pl.col("_parent_name")).otherwise(pl.col("_name"))
        score_expr = pl.when(~pl.col("_pending")).then(pl.col("_score"))
        recognised = pl.col("_score") >= v.RECOGNITION_THRESHOLD
        frame = frame.with_columns(
            pl.format("DK{}", (pl.col("_seq") + 1).cast(pl.String).str.zfill(10)).alias("ma_dang_ky"),
            pl.format("MH-{}-{}", ma_don_vi, pl.col("_slot").cast(pl.String).str.zfill(2)).alias("ma_mo_hinh"),
            ma_don_vi.alias("ma_don_vi"),
            pl.when(pl.col("_collective")).then(pl.lit(v.SUBJECT_COLLECTIVE)).otherwise(pl.lit(v.SUBJECT_INDIVIDUAL)).alias("doi_tuong"),
            pl.when(pl.col("_collective")).then(ten_don_vi).otherwise(pl.col("_person")).alias("ten_chu_the"),
            _dmy(pl.date(pl.col("nam"), 1, 10) + pl.duration(days=pl.col("_day"))).alias("ngay_dang_ky"),
            pl.when(pl.col("_in_progress")).then(pl.lit(v.RESULT_IN_PROGRESS))
            .when(pl.col("_pending")).then(pl.lit(v.RESULT_DONE))
            .when(pl.col("_score") >= 93).then(pl.lit(v.RESULT_EXEMPLARY))
            .when(recognised).then(pl.lit(v.RESULT_RECOGNISED))
            .otherwise(pl.lit(v.RESULT_FAILED)).alias("ket_qua"),
            score_expr.alias("diem"),
            pl.when(pl.col("_pending") | ~recognised).then(None)
            .when(pl.col("_score") >= 93).then(pl.lit("Đảng ủy Khối"))
            .otherwise(pl.lit("Cơ sở")).alias("cap_cong_nhan"),
        )  # fmt: skip
        writers["dang_ky"].write(frame)

        # Awards: a share of the recognised registrations of this chunk, one decision number each.
        eligible = frame.filter(pl.col("ket_qua").is_in(v.RECOGNISED_RESULTS))
        take = rng.random(eligible.height) < SCALE_AWARD_SHARE / 0.8
        awarded = eligible.filter(pl.Series(take))
        m = awarded.height
        level = award_levels[rng.choice(len(award_levels), m, p=award_level_p)]
        nominated = rng.random(m) < 0.03
        seq = np.arange(award_seq + 1, award_seq + m + 1)
        award_seq += m
        award = awarded.select("nam", "ma_don_vi", "doi_tuong", "ten_chu_the", "ma_dang_ky").with_columns(
            pl.Series("cap_khen_thuong", level),
            pl.Series("_seq", seq),
            pl.Series("_nominated", nominated),
            pl.Series("_day", rng.integers(1, 28, m)),
        )
        award = award.with_columns(
            pl.format("{}-{}", pl.col("_seq"), pl.col("cap_khen_thuong").replace_strict(suffix, return_dtype=pl.String)).alias("so_quyet_dinh"),
            _dmy(pl.date(pl.col("nam"), 12, pl.col("_day"))).alias("ngay_quyet_dinh"),
            pl.when(pl.col("cap_khen_thuong").is_in(["UBND tỉnh", "Trung ương"])).then(pl.lit("Bằng khen"))
            .when(pl.col("cap_khen_thuong") == "Ban Chỉ đạo tỉnh").then(pl.lit("Biểu dương"))
            .otherwise(pl.lit("Giấy khen")).alias("hinh_thuc"),
            pl.when(pl.col("_nominated")).then(pl.lit(v.STATUS_NOMINATED)).otherwise(pl.lit(v.STATUS_AWARDED)).alias("trang_thai"),
        )  # fmt: skip
        writers["khen_thuong"].write(award)
        if progress:
            progress("dang_ky", start + n, total)
