"""The aggregate tables (queries/aggregates.py) give exactly the figures of the base tables.

Every database is built through the real importer, which rebuilds the tables at the end of each
import. Each test computes the figures twice: as the dashboard does (from the aggregate tables)
and from the base tables alone (the engine's path for a database without usable aggregates), and
the two must agree on every frame and every figure: after imports, re-imports that update rows,
on random data (hypothesis), for a database built before the aggregates existed (it keeps
working, then gets them on its next import), and when the tables are stale or cannot be built.
"""

from __future__ import annotations

import contextlib
import random
import shutil
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.budget import by_budget, examples
from support.builders import (
    BLOC,
    BRANCH,
    COLLECTIVE,
    COMMITTEE,
    DVK,
    EXEMPLAR,
    GRASSROOTS_BRANCH,
    INDIVIDUAL,
    QCDC,
    DataSet,
    cursor,
    draw_rows,
)
from support.reorg import reorganised
from support.same import assert_same

from queries import aggregates, figures, named_sql, store, structure, vocab
from queries.figures import Filters
from queries.figures.aggregate import AggregateSource
from queries.figures.base import BaseSource
from queries.figures.source import open_source
from queries.importer import import_files

YEARS = (2019, 2024)


# --- the two paths ---------------------------------------------------------------------------------


def uses_aggregates(db) -> bool:
    with cursor(db) as cur:
        return figures.answers_from(cur) == "aggregates"


def base_tables_only(stack: contextlib.ExitStack) -> None:
    """Until the stack closes the engine computes from the base tables, as for a database without
    aggregates."""
    stack.enter_context(figures.use_source("base"))


def every_figure(db, f: Filters, b: Filters) -> dict[str, object]:
    """Everything the engine answers for one set of filters (and a second period for compare)."""
    with cursor(db) as cur:
        out = {
            "summary": figures.summary(cur, f, with_models=True),
            "summary_without_models": figures.summary(cur, f),
            "by_unit": figures.by_unit(cur, f),
            "trend": figures.trend(cur, f),
            "compare": figures.compare(cur, b, f),
            "compare_en": figures.compare(cur, f, b, lang="en"),
            "awards_breakdown": figures.awards_breakdown(cur, f),
            "awards_by_year": figures.awards_by_year(cur, f),
            "breakdown_by_year": figures.breakdown_by_year(cur, f, "linh_vuc"),
            "unit_tree": figures.unit_tree(cur, f),
            "scores": figures.score_distribution(cur, f),
            "scores_10": figures.score_distribution(cur, f, bin_width=10),
            "compliance_child": figures.compliance_matrix(cur, f, per="child"),
            "compliance_branch": figures.compliance_matrix(cur, f, per="branch"),
            "figures_table": figures.figures_table(cur, f),
        }
        for by in figures.BREAKDOWN_COLUMNS:
            out[f"breakdown_{by}"] = figures.breakdown(cur, f, by)
    return out


def check_both_paths(db, monkeypatch, filters: list[tuple[Filters, Filters]]) -> None:
    assert uses_aggregates(db)
    fast = [every_figure(db, f, b) for f, b in filters]
    with contextlib.ExitStack() as stack:
        base_tables_only(stack)
        assert not uses_aggregates(db)
        slow = [every_figure(db, f, b) for f, b in filters]
    for (f, _), got, want in zip(filters, fast, slow, strict=True):
        assert_same(got, want, str(f))


def filter_sets(codes: list[str], n: int, seed: int) -> list[tuple[Filters, Filters]]:
    """n filter sets over every kind of scope, period and filter, each with a period to compare with."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        y0 = rng.randint(2017, 2024)
        y1 = rng.randint(y0, 2025)
        f = Filters(
            y0,
            y1,
            unit=([None, *codes])[i % (len(codes) + 1)],
            field=rng.choice([None, None, *vocab.FIELDS]),
            subject=rng.choice([None, *vocab.SUBJECTS]),
            movement=rng.choice([None, None, *vocab.MOVEMENTS]),
            kind=rng.choice([None, None, *vocab.KINDS]),
        )
        b0 = rng.randint(2014, 2022)
        out.append((f, f.with_period(b0, rng.randint(b0, 2023))))
    return out


# --- a data set with every feature ------------------------------------------------------------------


def two_blocs() -> DataSet:
    """Two roots; committees with branches, a branch below a branch, a unit dissolved and one
    created in the period, sizes at several levels, models carried over and shared by two units,
    awards and nominations, conferences with attendance."""
    d = DataSet()
    d.unit("K1", cap=BLOC).unit("K2", cap=BLOC)
    d.unit("K1.A", "K1", COMMITTEE).unit("K1.A.1", "K1.A", BRANCH).unit("K1.A.2", "K1.A", BRANCH)
    d.unit("K1.A.2.x", "K1.A.2", BRANCH, start=date(2021, 3, 1))
    d.unit("K1.B", "K1", GRASSROOTS_BRANCH, end=date(2020, 6, 30))
    d.unit("K1.C", "K1", COMMITTEE, start=date(2022, 1, 1))
    d.unit("K1.C.1", "K1.C", BRANCH)
    d.unit("K2.A", "K2", GRASSROOTS_BRANCH).unit("K2.B", "K2", COMMITTEE).unit("K2.B.1", "K2.B", BRANCH)
    codes = [u["ma_don_vi"] for u in d.units]
    rng = random.Random(5)
    scores = [None, 50, 75.5, 80.25, 90, 100, 62.75, 0]

    def drawn(*pools) -> tuple:
        """A year of 2018-2024, then one value of each pool, drawn in this order."""
        return (rng.randint(2018, 2024), *(rng.choice(pool) for pool in pools))

    for i in range(400):
        d.reg(
            *drawn(codes, vocab.SUBJECTS, vocab.FIELDS, vocab.MOVEMENTS, vocab.KINDS, vocab.RESULTS),
            score=rng.choice(scores),
            model=rng.choice([None, f"M{i % 37}", f"M{i % 11}"]),
        )
    for _ in range(60):
        d.award(*drawn(codes, vocab.SUBJECTS, vocab.AWARD_LEVELS, vocab.AWARD_FORMS, vocab.AWARD_STATUSES))
    for _ in range(50):
        d.conf(
            *drawn(codes, vocab.CONFERENCE_TYPES),
            attendees=rng.choice([None, 30, 55]),
            members=rng.choice([None, 0, 12, 40]),
        )
    for code, year in sorted({(rng.choice(codes), rng.randint(2018, 2024)) for _ in range(40)}):
        d.size(code, year, members=rng.choice([0, 8, 25]), staff=rng.choice([None, 0, 30, 120]))
    return d


@pytest.fixture(scope="module")
def blocs_db(tmp_path_factory):
    d = two_blocs()
    return d, d.build(tmp_path_factory.mktemp("aggregates"))


def test_the_import_builds_the_aggregate_tables(blocs_db):
    _, db = blocs_db
    with cursor(db) as cur:
        assert store.schema_version(cur) == store.LATEST_VERSION
        meta = cur.execute("select version, tree_ok, n_dang_ky from agg_meta").fetchall()
        tables = {r[0] for r in cur.execute("select table_name from information_schema.tables").fetchall()}
        positions = cur.execute("select ma_don_vi, pos, last_pos from agg_unit order by pos").fetchall()
    assert meta == [(aggregates.VERSION, True, 400)]
    assert set(aggregates.TABLES) <= tables and not any(t.startswith("agg_stage") for t in tables)
    # tree order: each subtree is the run of positions after its unit
    assert [code for code, _, _ in positions] == sorted(code for code, _, _ in positions)
    assert dict((c, (p, last)) for c, p, last in positions)["K1.A"] == (1, 4)


@pytest.mark.slow
def test_every_figure_equals_the_base_tables(blocs_db, monkeypatch):
    data, db = blocs_db
    codes = [u["ma_don_vi"] for u in data.units]
    # every scope once (the roots and each of the 12 units, with random periods and filters);
    # four times that under DVK_TEST_BUDGET=thorough
    check_both_paths(db, monkeypatch, filter_sets(codes, by_budget(6, 13, 52), seed=1))


def test_an_unknown_unit_is_an_error_on_both_paths(blocs_db, monkeypatch):
    _, db = blocs_db
    with cursor(db) as cur, pytest.raises(figures.UnknownUnitError):
        figures.summary(cur, Filters(2020, 2021, unit="NOPE"))
    with contextlib.ExitStack() as stack:
        base_tables_only(stack)
        with cursor(db) as cur, pytest.raises(figures.UnknownUnitError):
            figures.summary(cur, Filters(2020, 2021, unit="NOPE"))


@pytest.mark.slow
def test_reimports_and_updates_rebuild_the_tables(tmp_path, monkeypatch):
    data = two_blocs()
    db = data.build(tmp_path / "first")
    codes = [u["ma_don_vi"] for u in data.units]
    filters = filter_sets(codes, by_budget(2, 4, 16), seed=2)
    check_both_paths(db, monkeypatch, filters)

    # the same files again: nothing changes
    with cursor(db) as cur:
        before = cur.execute("select fingerprint from agg_meta").fetchall()
    assert import_files(db, data.write_csvs(tmp_path / "again")).ok
    with cursor(db) as cur:
        assert cur.execute("select fingerprint from agg_meta").fetchall() == before

    # updated rows (same keys, other values), a new unit under a branch, new registrations there
    for row in data.registrations[::3]:
        row.update(ket_qua=vocab.RESULT_EXEMPLARY, phong_trao=QCDC, nam=2023, diem=99.5)
    for row in data.sizes[::2]:
        row.update(so_nguoi_lao_dong=77, so_dang_vien=11)
    data.unit("K2.B.1.z", "K2.B.1", BRANCH)
    data.reg(2023, "K2.B.1.z", INDIVIDUAL, movement=DVK, kind=EXEMPLAR, model="M3")
    data.reg(2023, "K2.B.1.z", COLLECTIVE, movement=QCDC, score=12.5)
    report = import_files(db, data.write_csvs(tmp_path / "updated"))
    assert report.ok and report.counts["dang_ky"].updated > 0
    with cursor(db) as cur:
        assert cur.execute("select fingerprint from agg_meta").fetchall() != before
    check_both_paths(
        db,
        monkeypatch,
        filters + filter_sets(["K2.B.1.z", *codes], by_budget(2, 4, 16), seed=3),  # the new unit first
    )


def aggregate_state(db) -> tuple:
    """agg_meta (with the fingerprint of agg_unit, agg_unit_year, agg_top, agg_award) and agg_fact."""
    with cursor(db) as cur:
        meta = cur.execute("select * from agg_meta").fetchall()
        facts = cur.execute("select * from agg_fact order by all").fetchall()
    return meta, facts


def rebuilt_whole(db, folder) -> tuple:
    """aggregate_state() of a copy of the database whose tables are all rebuilt."""
    folder.mkdir()
    copy = shutil.copy(db, folder / "dvk.duckdb")
    with store.write_transaction(copy) as con:
        aggregates.refresh(con)
    return aggregate_state(copy)


@pytest.mark.slow
def test_an_import_rebuilds_only_the_tables_fed_by_what_it_wrote(tmp_path, monkeypatch):
    data = two_blocs()
    db = data.build(tmp_path / "first")
    kept: list[frozenset[str]] = []
    real_kept = aggregates._kept

    def spy(*args):
        out = real_kept(*args)
        kept.append(out[0])
        return out

    monkeypatch.setattr(aggregates, "_kept", spy)

    # awards and conferences only (an award changed, one more; a conference more): the
    # registrations' tables are kept, agg_award and the per unit-year sums are rebuilt
    awards_and_conferences = DataSet()
    awards_and_conferences.awards = [dict(row) for row in data.awards]
    awards_and_conferences.awards[0]["trang_thai"] = vocab.STATUS_NOMINATED
    awards_and_conferences.award(2023, "K2.B.1", COLLECTIVE, vocab.AWARD_LEVELS[-1])
    awards_and_conferences.conf(2024, "K1.A.2.x", attendees=70, members=9)
    assert import_files(db, awards_and_conferences.write_csvs(tmp_path / "awards")).ok
    assert kept == [frozenset({"agg_stage_models", "agg_fact", "agg_unit", "agg_top"})]
    assert aggregate_state(db) == rebuilt_whole(db, tmp_path / "whole1")

    # unit sizes only: they decide agg_fact.staff_depth; only agg_award is kept
    sizes = DataSet()
    sizes.size("K1.A.1", 2021, members=4, staff=90).size("K2", 2019, members=30, staff=None)
    kept.clear()
    assert import_files(db, sizes.write_csvs(tmp_path / "sizes")).ok
    assert kept == [frozenset({"agg_award"})]
    assert aggregate_state(db) == rebuilt_whole(db, tmp_path / "whole2")

    # aggregates that do not match the database (as another program's write leaves them): all rebuilt
    with store.write_transaction(db) as con:
        con.execute("update agg_meta set import_id = -1")
    more = DataSet()
    more.award(2020, "K1.A", INDIVIDUAL, vocab.AWARD_LEVELS[0])
    kept.clear()
    assert import_files(db, more.write_csvs(tmp_path / "more")).ok
    assert kept == [frozenset()]
    assert aggregate_state(db) == rebuilt_whole(db, tmp_path / "whole3")

    codes = [u["ma_don_vi"] for u in data.units]
    check_both_paths(db, monkeypatch, filter_sets(codes, 8, seed=9))


# --- a unit history: the reorganisation of tests/support/reorg.py, both readings --------------------


@pytest.fixture(scope="module")
def reorg_db(tmp_path_factory):
    return reorganised().build(tmp_path_factory.mktemp("reorg"))


@pytest.mark.slow
def test_both_readings_of_a_reorganisation_equal_the_base_tables(reorg_db, monkeypatch):
    codes = sorted({u["ma_don_vi"] for u in reorganised().units})
    filters = [
        (replace(f, structure=reading), replace(b, structure=reading))
        for reading in structure.READINGS
        for f, b in filter_sets(codes, 14, seed=15)
    ]
    check_both_paths(reorg_db, monkeypatch, filters)


def test_the_trees_of_both_readings_hold_each_unit_once_per_place(reorg_db):
    with cursor(reorg_db) as cur:
        as_was = cur.execute(
            "select ma_don_vi, depth, node_from, node_to from agg_unit order by pos"
        ).fetchall()
        current = cur.execute("select ma_don_vi, depth from agg_unit_current order by pos").fetchall()
        facts = cur.execute(
            "select (select count(*) from agg_fact), (select count(*) from agg_fact_current),"
            " (select count(*) from dang_ky)"
        ).fetchall()
    # as it was: CS2 (two rows) is a node under K until 2024 and one under U from 2025 (its row of
    # 01/02/2025 is in force at the end of 2025); every other unit once, even before it started
    y0, y1 = vocab.YEAR_MIN, vocab.YEAR_MAX
    assert as_was == [
        ("T", 0, y0, y1),
        ("K", 1, y0, y1),
        ("A", 2, y0, y1),
        ("B", 2, y0, y1),
        ("CB1", 2, y0, y1),
        ("CB2", 2, y0, y1),
        ("CB4", 2, y0, y1),
        ("CB5", 2, y0, y1),
        ("CS2", 2, y0, 2024),
        ("U", 1, y0, y1),
        ("C", 2, y0, y1),
        ("CB3", 2, y0, y1),
        ("CS2", 2, 2025, y1),
    ]
    # today: the ends of the chains under today's superiors; CB5 (no successor) stays under K
    assert current == [("T", 0), ("K", 1), ("CB5", 2), ("U", 1), ("C", 2), ("CB3", 2), ("CS2", 2)]
    # each of the 18 registrations (2 in 2022, 5 in 2023, 4 in 2024, 4 in 2025, 3 in 2026) once in each reading
    assert facts == [(18, 18, 18)]


def test_a_unit_history_is_answered_from_the_aggregate_tables(reorg_db, tmp_path):
    def source_of(db, unit, reading):
        with cursor(db) as cur, open_source(cur, Filters(2022, 2026, unit=unit, structure=reading)) as src:
            return type(src), src.unit_name

    with cursor(reorg_db) as cur:
        assert structure.has_history(cur, structure.AS_WAS) and structure.has_history(cur, structure.CURRENT)
    for reading in structure.READINGS:
        for unit in (None, "T", "K", "U", "CB3"):
            assert source_of(reorg_db, unit, reading)[0] is AggregateSource, (unit, reading)
    # as it was CS2 is at two places (it moved keeping its code): its scope joins both, from the
    # base tables; on today's structure it is one unit
    assert source_of(reorg_db, "CS2", structure.AS_WAS)[0] is BaseSource
    assert source_of(reorg_db, "CS2", structure.CURRENT)[0] is AggregateSource
    # an ended unit on today's structure is its successor's scope, as the base tables have it
    assert source_of(reorg_db, "CB1", structure.CURRENT) == (AggregateSource, "Đơn vị CB3")
    # stale tables (a registration written by hand): the base tables, in both readings
    stale = shutil.copy(reorg_db, tmp_path / "stale.duckdb")
    with store.write_transaction(stale) as con:
        con.execute(
            "insert into dang_ky (ma_dang_ky, nam, ma_don_vi, doi_tuong, ten_chu_the, ten_mo_hinh, loai,"
            " phong_trao, linh_vuc, ket_qua) select 'X1', 2024, 'CB1', doi_tuong, 'x', 'x', loai,"
            " phong_trao, linh_vuc, ket_qua from dang_ky limit 1"
        )
    for reading in structure.READINGS:
        for unit in (None, "U", "CB1"):
            assert source_of(stale, unit, reading)[0] is BaseSource


@pytest.mark.slow
def test_a_database_from_before_the_aggregates_migrates_on_its_next_import(tmp_path, monkeypatch):
    data = two_blocs()
    built = data.build(tmp_path / "built")
    old = tmp_path / "old" / "dvk.duckdb"
    old.parent.mkdir()
    shutil.copy(built, old)
    # as schema version 1 left it: no agg_meta, no aggregate tables
    with store.write_transaction(old) as con:
        # and without what later migrations added (004: the import desk's tables; 003 rebuilds
        # khen_thuong with its derived key, which it can do again)
        for table in (*aggregates.TABLES, "agg_meta", "lich_su_don_vi", "lich_su", "db_version"):
            con.execute(f"drop table {table}")
        con.execute("delete from schema_version where version > 1")
    with cursor(old) as cur:
        assert store.schema_version(cur) == 1
    assert not uses_aggregates(old)

    codes = [u["ma_don_vi"] for u in data.units]
    filters = filter_sets(codes, 6, seed=4)
    with cursor(old) as cur:  # the figures still come, from the base tables
        before = [figures.summary(cur, f, with_models=True) for f, _ in filters]

    # the next import migrates the database and builds the tables; the figures do not change
    extra = tmp_path / "extra"
    gone = DataSet().unit("K2.C", "K2", GRASSROOTS_BRANCH, start=date(1999, 1, 1), end=date(2000, 1, 1))
    assert import_files(old, gone.write_csvs(extra)).ok  # a unit dissolved long ago: no figure changes
    with cursor(old) as cur:
        assert store.schema_version(cur) == store.LATEST_VERSION
        after = [figures.summary(cur, f, with_models=True) for f, _ in filters]
    assert uses_aggregates(old)
    assert_same(after, before)
    check_both_paths(old, monkeypatch, filters)


@pytest.mark.slow
def test_model_codes_told_apart_by_the_codes_themselves(blocs_db, tmp_path, monkeypatch):
    """The numbering used when two model codes share a hash gives the same figures."""
    data, built = blocs_db
    db = tmp_path / "dvk.duckdb"
    shutil.copy(built, db)
    with store.write_transaction(db) as con:
        aggregates.refresh(con, exact_models=True)
        numbers = con.execute("select min(model), max(model), count(distinct model) from agg_fact").fetchall()
    assert numbers == [(1, 37, 37)]  # M0..M36, in code order
    codes = [u["ma_don_vi"] for u in data.units]
    check_both_paths(db, monkeypatch, filter_sets(codes, 8, seed=6))


def test_a_migration_without_an_import_keeps_to_the_base_tables(tmp_path):
    data = two_blocs()
    db = data.build(tmp_path)
    with store.write_transaction(db) as con:
        con.execute("delete from agg_meta")  # as store.ensure_database leaves a migrated database
    assert not uses_aggregates(db)
    with cursor(db) as cur:
        assert figures.summary(cur, Filters(2018, 2024))["registrations"]["total"] == 400


def test_stale_tables_are_not_used(tmp_path, monkeypatch):
    """A write that skipped the rebuild (here, a registration added by hand) is noticed."""
    data = two_blocs()
    db = data.build(tmp_path)
    with store.write_transaction(db) as con:
        con.execute(
            "insert into dang_ky (ma_dang_ky, nam, ma_don_vi, doi_tuong, ten_chu_the, ten_mo_hinh, loai,"
            " phong_trao, linh_vuc, ket_qua) select 'X1', 2022, 'K1.A.1', doi_tuong, 'x', 'x', loai,"
            " phong_trao, linh_vuc, ket_qua from dang_ky limit 1"
        )
    assert not uses_aggregates(db)
    with cursor(db) as cur:
        assert figures.summary(cur, Filters(2018, 2024))["registrations"]["total"] == 401


def test_a_tree_deeper_than_64_levels_keeps_to_the_base_tables(tmp_path, monkeypatch):
    d = DataSet().unit("U0", cap=BLOC)
    for i in range(1, 70):
        d.unit(f"U{i}", f"U{i - 1}", BRANCH)
    d.reg(2022, "U69").reg(2022, "U3", movement=QCDC).reg(2022, "U40")
    db = d.build(tmp_path)
    with cursor(db) as cur:
        assert cur.execute("select tree_ok from agg_meta").fetchall() == [(False,)]
    assert not uses_aggregates(db)
    with cursor(db) as cur:
        assert figures.summary(cur, Filters(2022, 2022))["registrations"]["total"] == 2  # U69 is cut off
        assert figures.summary(cur, Filters(2022, 2022, unit="U10"))["registrations"]["total"] == 2


def test_an_empty_database_answers(tmp_path):
    db = tmp_path / "dvk.duckdb"
    store.ensure_database(db)
    with cursor(db) as cur:
        s = figures.summary(cur, Filters(2022, 2023))
    assert s["registrations"]["total"] == 0 and s["coverage_rate"] is None


def test_databases_with_other_data_do_not_share_figures(tmp_path):
    """The in-memory tables are kept per content fingerprint: two databases, two answers."""
    one = DataSet().unit("K", cap=BLOC).unit("A", "K").reg(2022, "A")
    two = DataSet().unit("K", cap=BLOC).unit("A", "K").reg(2022, "A").reg(2022, "A", INDIVIDUAL)
    db1, db2 = one.build(tmp_path / "one"), two.build(tmp_path / "two")
    for _ in range(2):
        for db, n in ((db1, 1), (db2, 2)):
            with cursor(db) as cur:
                assert figures.summary(cur, Filters(2022, 2022))["registrations"]["total"] == n


def test_the_combination_bits_match_the_refresh(tmp_path):
    d = DataSet().unit("K", cap=BLOC)
    combos = [
        (f, s, k, m)
        for f in vocab.FIELDS
        for s in vocab.SUBJECTS
        for k in vocab.KINDS
        for m in vocab.MOVEMENTS
    ]
    for i, (f, s, k, m) in enumerate(combos):
        d.unit(f"A{i:02d}", "K").reg(2022, f"A{i:02d}", s, f, m, k)
    db = d.build(tmp_path)
    with cursor(db) as cur:
        masks = dict(
            cur.execute(
                "select u.ma_don_vi, y.reg_mask from agg_unit_year y join agg_unit u using (pos)"
                " where u.depth = 1"
            ).fetchall()
        )
    assert len(combos) == 40
    for i, combo in enumerate(combos):
        assert masks[f"A{i:02d}"] == 1 << aggregates.combination_bit(*combo)


# --- random data ------------------------------------------------------------------------------------


@st.composite
def trees(draw) -> dict:
    """One or two roots, units up to four levels deep, and rows of every table."""
    d = DataSet()
    codes = []
    caps = {}

    def add(code, parent, cap):
        start = draw(st.one_of(st.none(), st.integers(2017, 2024)))
        end = draw(st.one_of(st.none(), st.integers(start or 2017, 2025)))
        d.unit(
            code,
            parent,
            cap,
            start=date(start, 3, 1) if start else None,
            end=date(end, 9, 30) if end else None,
        )
        codes.append(code)
        caps[code] = cap

    for r in range(draw(st.integers(1, 2))):
        add(f"R{r}", None, BLOC)
        for g in range(draw(st.integers(0, 3))):
            cap = draw(st.sampled_from([COMMITTEE, GRASSROOTS_BRANCH]))
            add(f"R{r}.{g}", f"R{r}", cap)
            for b in range(draw(st.integers(0, 2))):
                add(f"R{r}.{g}.{b}", f"R{r}.{g}", BRANCH)
                if draw(st.booleans()):
                    add(f"R{r}.{g}.{b}.x", f"R{r}.{g}.{b}", BRANCH)
    year = st.integers(*YEARS)
    draw_rows(
        draw,
        d,
        codes,
        year,
        registrations=30,
        score=st.one_of(st.none(), st.integers(0, 100), st.sampled_from([12.5, 77.25, 99.75])),
    )
    for code, y in sorted(draw(st.sets(st.tuples(st.sampled_from(codes), year), max_size=10))):
        d.size(
            code,
            y,
            members=draw(st.one_of(st.none(), st.integers(0, 40))),
            staff=draw(st.one_of(st.none(), st.integers(0, 150))),
        )
    filters = []
    for _ in range(3):
        y0, y1 = sorted([draw(year), draw(year)])
        f = Filters(
            y0,
            y1,
            unit=draw(st.one_of(st.none(), st.sampled_from(codes))),
            field=draw(st.one_of(st.none(), st.sampled_from(vocab.FIELDS))),
            subject=draw(st.one_of(st.none(), st.sampled_from(vocab.SUBJECTS))),
            movement=draw(st.one_of(st.none(), st.sampled_from(vocab.MOVEMENTS))),
            kind=draw(st.one_of(st.none(), st.sampled_from(vocab.KINDS))),
        )
        b0, b1 = sorted([draw(year), draw(year)])
        filters.append((f, f.with_period(b0, b1)))
    return {"data": d, "filters": filters}


@pytest.mark.slow
@settings(
    max_examples=examples(5),  # each example imports twice: 20 under DVK_TEST_BUDGET=thorough
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=trees())
def test_random_trees_give_the_same_figures_both_ways(tmp_path_factory, monkeypatch, case):
    db = case["data"].build(tmp_path_factory.mktemp("random_aggregates"))
    check_both_paths(db, monkeypatch, case["filters"])


# --- the status check, once per read-only snapshot -------------------------------------------------


def count_status_checks(monkeypatch) -> list[str]:
    """Every time the engine asks a database whether its aggregate tables are usable."""
    asked: list[str] = []
    load_sql = named_sql.load_sql

    def counting(name):
        if name == "agg_status":
            asked.append(name)
        return load_sql(name)

    monkeypatch.setattr(named_sql, "load_sql", counting)
    return asked


def test_a_read_only_snapshot_is_asked_for_its_aggregate_status_once(tmp_path, monkeypatch):
    """The cursors of one read-only connection share the answer (the file they read cannot change);
    a second connection asks again; a writable connection, which may see writes, asks every time."""
    db = two_blocs().build(tmp_path)
    asked = count_status_checks(monkeypatch)
    con = store.connect_read_only(db)
    try:
        totals = [figures.summary(store.cursor_on(con), Filters(2018, 2024))["registrations"]["total"]]
        figures.by_unit(store.cursor_on(con), Filters(2021, 2023))
        figures.breakdown(store.cursor_on(con), Filters(2022, 2022), "linh_vuc")
        assert len(asked) == 1
        other = store.connect_read_only(db)
        totals.append(figures.summary(store.cursor_on(other), Filters(2018, 2024))["registrations"]["total"])
        assert len(asked) == 2
        other.close()
    finally:
        con.close()
    with store.write_transaction(db) as writable:
        for _ in range(2):
            totals.append(figures.summary(writable, Filters(2018, 2024))["registrations"]["total"])
    assert len(asked) == 4
    assert len(set(totals)) == 1 and totals[0] > 0


def test_a_snapshot_after_an_import_uses_the_new_aggregate_tables(tmp_path):
    """The status is kept per connection, never across them: after an import swaps the file, the
    dashboard's Snapshot opens a new connection, which reads the new tables, not the old ones."""
    data = two_blocs()
    db = data.build(tmp_path)
    snapshot = store.Snapshot(db)
    before = figures.summary(snapshot.cursor(), Filters(2023, 2023))["registrations"]["total"]
    data.reg(2023, "K2.B.1", INDIVIDUAL, movement=DVK).reg(2023, "K2.B.1", COLLECTIVE, movement=QCDC)
    assert import_files(db, data.write_csvs(tmp_path / "more")).ok
    cur = snapshot.cursor()
    assert figures.answers_from(cur) == "aggregates"  # the new file's tables, found usable
    assert figures.summary(cur, Filters(2023, 2023))["registrations"]["total"] == before + 2


def test_a_closed_connection_leaves_no_memo_behind(tmp_path):
    """The dashboard opens a connection per database version: their memos must not pile up."""
    import gc

    db = two_blocs().build(tmp_path)
    con = store.connect_read_only(db)
    cur = store.cursor_on(con)
    figures.summary(cur, Filters(2022, 2022))
    assert "agg_status" in store.snapshot_memo(cur)
    held = len(store._MEMOS)
    cur.close()
    con.close()
    del cur, con
    gc.collect()
    assert len(store._MEMOS) == held - 1


def test_a_snapshot_answers_the_same_base_query_once_and_a_writer_every_time(tmp_path, monkeypatch):
    """On the base tables, a read-only snapshot keeps its scopes and query answers for the next
    request with the same filters (a page makes several); a connection that may write asks again,
    and so does a snapshot opened after an import, which sees the new rows."""
    data = two_blocs()
    db = data.build(tmp_path)
    ran: list[str] = []
    run_sql = named_sql.run_sql

    def counting(cur, name, params):
        ran.append(name)
        return run_sql(cur, name, params)

    monkeypatch.setattr(named_sql, "run_sql", counting)
    f = Filters(2019, 2024, unit="K1")
    with figures.use_source("base"):
        with cursor(db) as cur:
            first = figures.summary(cur, f)
            once = len(ran)
            assert figures.summary(cur, f) == first and len(ran) == once  # nothing asked again
            figures.summary(cur, f.with_period(2020, 2020))
            assert len(ran) > once  # other filters: asked
        with store.write_transaction(db) as writable:
            ran.clear()
            assert figures.summary(writable, f) == first
            figures.summary(writable, f)
            assert len(ran) == 2 * once
        data.reg(2021, "K1.A.1", INDIVIDUAL, movement=DVK)
        assert import_files(db, data.write_csvs(tmp_path / "more")).ok
        with cursor(db) as cur:
            again = figures.summary(cur, f)
    assert again["registrations"]["total"] == first["registrations"]["total"] + 1
