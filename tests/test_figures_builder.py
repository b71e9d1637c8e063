"""Small databases for the figures tests, built through the REAL importer from CSV files.

`DataSet` collects rows (dicts keyed by template aliases, Python values), writes one CSV per table
named by the table alias with the template's Vietnamese headers (dates dd/mm/yyyy), imports them
with `queries.importer.import_files` and fails loudly if the importer rejects anything.
The tests at the bottom check the builder itself.
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
from queries.importer import import_files

COLLECTIVE, INDIVIDUAL = vocab.SUBJECTS
DVK, QCDC = vocab.MOVEMENTS
MODEL, EXEMPLAR = vocab.KINDS
ECONOMY, SOCIETY, SECURITY, POLITICS, OTHER = vocab.FIELDS
BLOC, COMMITTEE, GRASSROOTS_BRANCH, BRANCH = vocab.UNIT_LEVELS
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

    def unit(self, code, parent=None, cap=COMMITTEE, start=None, end=None, name=None) -> DataSet:
        self.units.append(
            {
                "ma_don_vi": code,
                "ten_don_vi": name or f"Đơn vị {code}",
                "ma_cap_tren": parent,
                "cap": cap,
                "hieu_luc_tu": start,
                "hieu_luc_den": end,
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


# --- the builder itself ------------------------------------------------------------------------


def test_builder_imports_every_table(tmp_path):
    data = (
        DataSet()
        .unit("K", cap=BLOC)
        .unit("A", "K", end=date(2022, 6, 30))
        .size("A", 2022, members=10, staff=40)
        .reg(2022, "A", score=75.5)
        .award(2022, "A", INDIVIDUAL, "Cơ sở")
        .conf(2022, "A", attendees=9, members=7)
    )
    db = data.build(tmp_path)
    with cursor(db) as cur:
        counts = {
            t.name: cur.execute(f"select count(*) from {t.name}").fetchall()[0][0] for t in vocab.TABLES
        }
        end, score = cur.execute(
            "select hieu_luc_den, (select diem from dang_ky) from don_vi where ma_don_vi = 'A'"
        ).fetchall()[0]
    assert counts == {"don_vi": 2, "quy_mo": 1, "dang_ky": 1, "khen_thuong": 1, "hoi_nghi": 1}
    assert end == date(2022, 6, 30)
    assert score == 75.5


def draw_rows(draw, d: DataSet, codes: list[str], year, *, registrations: int, score) -> None:
    """Random registrations (up to `registrations`, scores from the `score` strategy), awards and
    conferences of the units `codes` in years from the `year` strategy, added to `d` (hypothesis)."""
    for _ in range(draw(st.integers(0, registrations))):
        d.reg(
            draw(year),
            draw(st.sampled_from(codes)),
            draw(st.sampled_from(vocab.SUBJECTS)),
            draw(st.sampled_from(vocab.FIELDS)),
            draw(st.sampled_from(vocab.MOVEMENTS)),
            draw(st.sampled_from(vocab.KINDS)),
            draw(st.sampled_from(vocab.RESULTS)),
            score=draw(score),
            model=draw(st.one_of(st.none(), st.sampled_from(["M1", "M2", "M3", "M4"]))),
        )
    for _ in range(draw(st.integers(0, 8))):
        d.award(
            draw(year),
            draw(st.sampled_from(codes)),
            draw(st.sampled_from(vocab.SUBJECTS)),
            draw(st.sampled_from(vocab.AWARD_LEVELS)),
            draw(st.sampled_from(vocab.AWARD_FORMS)),
            draw(st.sampled_from(vocab.AWARD_STATUSES)),
        )
    for _ in range(draw(st.integers(0, 8))):
        d.conf(
            draw(year),
            draw(st.sampled_from(codes)),
            draw(st.sampled_from(vocab.CONFERENCE_TYPES)),
            attendees=draw(st.one_of(st.none(), st.integers(0, 80))),
            members=draw(st.one_of(st.none(), st.integers(0, 60))),
        )
