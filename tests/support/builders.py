"""Small databases for the figures tests, built through the REAL importer from CSV files.

`DataSet` collects rows (dicts keyed by template aliases, Python values), writes one CSV per table
named by the table alias with the template's Vietnamese headers (dates dd/mm/yyyy), imports them
with `queries.importer.import_files` and fails loudly if the importer rejects anything.
tests/test_builders.py checks the builder itself.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import duckdb
from hypothesis import strategies as st

from queries import store, vocab
from queries.figures import Filters
from queries.importer import import_files

COLLECTIVE, INDIVIDUAL = vocab.SUBJECTS
DVK, QCDC = vocab.MOVEMENTS
MODEL, EXEMPLAR = vocab.KINDS
ECONOMY, SOCIETY, SECURITY, POLITICS, OTHER = vocab.FIELDS
BLOC, COMMITTEE, GRASSROOTS_BRANCH, BRANCH = (
    vocab.LEVEL_BLOC,
    vocab.LEVEL_GRASSROOTS_COMMITTEE,
    vocab.LEVEL_GRASSROOTS_BRANCH,
    vocab.LEVEL_BRANCH,
)
PROVINCE, UPPER_COMMITTEE = vocab.LEVEL_PROVINCE, vocab.LEVEL_UPPER_COMMITTEE
COMMENDATION = vocab.CONFERENCE_COMMENDATION


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value)


@dataclass
class DataSet:
    """Rows of the five tables; add with unit()/size()/reg()/award()/conf(), then build()."""

    units: list[dict] = field(default_factory=list)
    sizes: list[dict] = field(default_factory=list)
    registrations: list[dict] = field(default_factory=list)
    awards: list[dict] = field(default_factory=list)
    conferences: list[dict] = field(default_factory=list)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def unit(
        self, code, parent=None, cap=COMMITTEE, start=None, end=None, name=None, successor=None
    ) -> DataSet:
        """A unit, or one period of a unit's history (the same code again with other dates)."""
        self.units.append(
            {
                "ma_don_vi": code,
                "ten_don_vi": name or f"Đơn vị {code}",
                "ma_cap_tren": parent,
                "cap": cap,
                "hieu_luc_tu": start,
                "hieu_luc_den": end,
                "ma_ke_thua": successor,
            }
        )
        return self

    def size(self, code, year, members=None, staff=None) -> DataSet:
        self.sizes.append(
            {"ma_don_vi": code, "nam": year, "so_dang_vien": members, "so_nguoi_lao_dong": staff}
        )
        return self

    def reg(
        self,
        year,
        code,
        subject=COLLECTIVE,
        field=ECONOMY,
        movement=DVK,
        kind=MODEL,
        result=vocab.RESULT_REGISTERED,
        score=None,
        model=None,
        key=None,
    ) -> DataSet:
        n = next(self._ids)
        self.registrations.append(
            {
                "ma_dang_ky": key or f"DK{n:05d}",
                "ma_mo_hinh": model,
                "nam": year,
                "ma_don_vi": code,
                "doi_tuong": subject,
                "ten_chu_the": f"Chủ thể {n}",
                "ten_mo_hinh": f"Mô hình {n}",
                "loai": kind,
                "phong_trao": movement,
                "linh_vuc": field,
                "ket_qua": result,
                "diem": score,
            }
        )
        return self

    def award(self, year, code, subject, level, form="Giấy khen", status=vocab.STATUS_AWARDED) -> DataSet:
        n = next(self._ids)
        self.awards.append(
            {
                "so_quyet_dinh": f"{n}-QĐ/ĐUK",
                "nam": year,
                "ma_don_vi": code,
                "doi_tuong": subject,
                "ten_chu_the": f"Người được khen {n}",
                "hinh_thuc": form,
                "cap_khen_thuong": level,
                "trang_thai": status,
            }
        )
        return self

    def conf(self, year, code, kind=COMMENDATION, day=None, attendees=None, members=None) -> DataSet:
        n = next(self._ids)
        self.conferences.append(
            {
                "ma_don_vi": code,
                "nam": year,
                "loai_hoi_nghi": kind,
                # the date is part of the conference key: distinct by default
                "ngay": day or date(year, 1, 1) + timedelta(days=n % 365),
                "so_nguoi_du": attendees,
                "so_dang_vien_du": members,
            }
        )
        return self

    def write_csvs(self, folder: Path) -> list[Path]:
        """One CSV per non-empty table: <alias>.csv with the template's headers."""
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for table, rows in (
            (vocab.UNITS, self.units),
            (vocab.UNIT_SIZES, self.sizes),
            (vocab.REGISTRATIONS, self.registrations),
            (vocab.AWARDS, self.awards),
            (vocab.CONFERENCES, self.conferences),
        ):
            if not rows:
                continue
            columns = [c for c in table.columns if any(c.alias in row for row in rows)]
            path = folder / f"{table.name}.csv"
            with open(path, "w", encoding="utf-8", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow([c.header for c in columns])
                for row in rows:
                    writer.writerow([_cell(row.get(c.alias)) for c in columns])
            paths.append(path)
        return paths

    def build(self, folder: Path) -> Path:
        """Import the CSVs into folder/dvk.duckdb through the real importer; the database path."""
        db = folder / "dvk.duckdb"
        report = import_files(db, self.write_csvs(folder / "csv"))
        assert report.ok, "\n".join(p.message("en") for p in report.problems)
        return db


@contextmanager
def cursor(db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only cursor on the database, as the dashboard and the CLI get one."""
    con = store.connect_read_only(db)
    cur = store.cursor_on(con)
    try:
        yield cur
    finally:
        cur.close()
        con.close()


def draw_rows(draw, d: DataSet, codes: list[str], year, *, registrations: int, score) -> None:
    """Random registrations (up to `registrations`, scores from the `score` strategy), awards and
    conferences of the units `codes` in years from the `year` strategy, added to `d` (hypothesis)."""

    def pick(*choices) -> list:
        """One value drawn from each of the choices, in order."""
        return [draw(st.sampled_from(c)) for c in choices]

    for _ in range(draw(st.integers(0, registrations))):
        d.reg(
            draw(year),
            *pick(codes, vocab.SUBJECTS, vocab.FIELDS, vocab.MOVEMENTS, vocab.KINDS, vocab.RESULTS),
            score=draw(score),
            model=draw(st.one_of(st.none(), st.sampled_from(["M1", "M2", "M3", "M4"]))),
        )
    for _ in range(draw(st.integers(0, 8))):
        d.award(
            draw(year),
            *pick(codes, vocab.SUBJECTS, vocab.AWARD_LEVELS, vocab.AWARD_FORMS, vocab.AWARD_STATUSES),
        )
    for _ in range(draw(st.integers(0, 8))):
        d.conf(
            draw(year),
            *pick(codes, vocab.CONFERENCE_TYPES),
            attendees=draw(st.one_of(st.none(), st.integers(0, 80))),
            members=draw(st.one_of(st.none(), st.integers(0, 60))),
        )


# --- the hand-worked bloc of tests/test_figures.py (its docstring draws it) ----------------------

PERIOD = Filters(2021, 2023)


def bloc() -> DataSet:
    d = DataSet()
    d.unit("K", cap=BLOC, name="Đảng bộ Khối K")
    d.unit("A", "K", COMMITTEE, name="Đảng bộ A")
    d.unit("A1", "A", BRANCH)
    d.unit("A2", "A", BRANCH, end=date(2022, 6, 30))
    d.unit("B", "K", GRASSROOTS_BRANCH, start=date(2022, 1, 1))
    d.unit("C", "K", GRASSROOTS_BRANCH, start=date(2005, 1, 1), end=date(2019, 12, 31))
    d.unit("D", "K", COMMITTEE, start=date(2024, 3, 1))
    d.unit("E", "K", GRASSROOTS_BRANCH)

    d.reg(2021, "A1", COLLECTIVE, ECONOMY, DVK, result=vocab.RESULT_RECOGNISED, score=80, model="M1")  # r1
    d.reg(2021, "A1", INDIVIDUAL, POLITICS, QCDC, model="M2")  # r2
    d.reg(2022, "A1", COLLECTIVE, ECONOMY, DVK, result=vocab.RESULT_EXEMPLARY, score=95, model="M1")  # r3
    d.reg(2022, "A2", INDIVIDUAL, SOCIETY, DVK, result=vocab.RESULT_FAILED, score=50)  # r4
    d.reg(2022, "A2", INDIVIDUAL, SOCIETY, QCDC, result=vocab.RESULT_DONE)  # r5
    d.reg(2023, "B", COLLECTIVE, ECONOMY, QCDC, EXEMPLAR, vocab.RESULT_RECOGNISED, score=76)  # r6
    d.reg(2023, "K", COLLECTIVE, OTHER, DVK)  # r7
    d.reg(2019, "C", COLLECTIVE, ECONOMY, DVK, model="M3")  # r8
    d.reg(2020, "A1", INDIVIDUAL, ECONOMY, DVK, model="M2")  # r9

    d.award(2022, "A1", COLLECTIVE, "Cơ sở")  # a1
    d.award(2022, "A2", INDIVIDUAL, "Cơ sở")  # a2
    d.award(2023, "B", COLLECTIVE, "Đảng ủy Khối", form="Bằng khen")  # a3
    d.award(2023, "K", INDIVIDUAL, "UBND tỉnh", form="Bằng khen", status=vocab.STATUS_NOMINATED)  # a4
    d.award(2020, "A1", INDIVIDUAL, "Cơ sở")  # a5, outside the period

    d.conf(2022, "A1", attendees=30, members=6)  # c1 commendation, in A's subtree
    d.conf(2023, "E", "Học tập, quán triệt", attendees=40, members=25)  # c2 not a commendation
    d.conf(2020, "B", attendees=10)  # c3 commendation, outside the period
    d.conf(2023, "K", attendees=100)  # c4 commendation by the root, not a grassroots unit
    d.conf(2022, "A", "Sơ kết", attendees=50, members=16)  # c5
    d.conf(2023, "B", "Tổng kết", attendees=20, members=12)  # c6 (B has only 10 members: capped)

    d.size("A", 2022, members=20, staff=100)
    d.size("A1", 2022, members=8, staff=30)  # under A, which reported 2022 too: not counted twice
    d.size("A1", 2021, members=6, staff=25)  # A did not report 2021: A1 counts
    d.size("B", 2023, members=10, staff=50)
    return d


def hostile_names(beacon: str) -> dict[str, str]:
    """Unit code -> a name holding markdown, HTML and links; `beacon` is an http://host:port URL
    whose requests a browser test watches (an image a rendered name would fetch)."""
    return {
        "K": f"![b]({beacon}/beacon.png) [site](http://evil.example/)",
        "A": f'<a href="https://evil.example/">x</a> <img src="{beacon}/img.png">',
        "A1": "<b>A1</b> [x](javascript:alert(1)) <br> %{x}",
        "B": "**đậm** www.evil.example http://evil.example/b mail@evil.example",
        "E": f":red[đỏ] $x^2$ ![c]({beacon}/c.png) # tiêu đề",
    }


def hostile_bloc(beacon: str) -> DataSet:
    """`bloc()` with the names of `hostile_names` for its units, and such names for every model and
    person (registrations and awards)."""
    d = bloc()
    names = hostile_names(beacon)
    for row in d.units:
        row["ten_don_vi"] = names.get(row["ma_don_vi"], row["ten_don_vi"])
    for i, row in enumerate(d.registrations):
        row["ten_mo_hinh"] = f"[mô hình {i}]({beacon}/m{i}.png) <a href='https://evil.example/'>m</a>"
        row["ten_chu_the"] = f"![p{i}]({beacon}/p{i}.png)"
    for i, row in enumerate(d.awards):
        row["ten_chu_the"] = f"<img src='{beacon}/a{i}.png'> **{i}**"
    return d
