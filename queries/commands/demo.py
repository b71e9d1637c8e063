"""`dvk demo`: build the demo database from data/dvk_demo.xlsx, or write scale CSVs for benchmarks."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from queries import demo, store

HELP = "Tạo cơ sở dữ liệu mẫu (build the demo database), hoặc dữ liệu lớn để đo hiệu năng với --scale."

TABLE_LABELS = {
    "vi": {"don_vi": "đơn vị", "quy_mo": "dòng quy mô", "dang_ky": "đăng ký", "khen_thuong": "khen thưởng",
           "hoi_nghi": "hội nghị"},
    "en": {"don_vi": "units", "quy_mo": "unit-size rows", "dang_ky": "registrations", "khen_thuong": "awards",
           "hoi_nghi": "conferences"},
}  # fmt: skip


def add_arguments(p: argparse.ArgumentParser) -> None:
    """--seed, --workbook, --regenerate; --scale N --out DIR."""
    p.add_argument("--seed", type=int, metavar="N", help=f"generator seed (default {demo.DEFAULT_SEED})")
    p.add_argument(
        "--workbook",
        metavar="PATH",
        help="demo workbook to import (default data/dvk_demo.xlsx); with --regenerate, where to write it",
    )
    p.add_argument("--regenerate", action="store_true", help="rewrite the workbook from the generator first")
    p.add_argument("--scale", type=int, metavar="N", help="write scale CSVs with N registrations instead")
    p.add_argument("--out", metavar="DIR", help="output folder of --scale")


def _fmt(n: int, lang: str = "vi") -> str:
    return f"{n:,}".replace(",", ".") if lang == "vi" else f"{n:,}"


def _usage(message: str) -> int:
    print(f"dvk demo: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    """Build the demo database (or write scale CSVs); 0 done, 1 failed, 2 usage."""
    vi = args.lang == "vi"
    if args.scale is not None:
        if not args.out:
            return _usage("--scale cần --out DIR" if vi else "--scale needs --out DIR")
        if args.scale < 0:
            return _usage("--scale phải >= 0" if vi else "--scale must be >= 0")
        if args.regenerate or args.workbook:
            return _usage(
                "--scale không dùng chung với --workbook, --regenerate"
                if vi
                else "--scale does not combine with --workbook or --regenerate"
            )
        return _scale(args, vi)
    if args.out:
        return _usage("--out chỉ dùng với --scale" if vi else "--out is for --scale only")
    return _build(args, vi)


def _build(args: argparse.Namespace, vi: bool) -> int:
    db_path = store.resolve_db_path(args.db)
    seed = demo.DEFAULT_SEED if args.seed is None else args.seed
    with tempfile.TemporaryDirectory(prefix="dvk-demo-") as tmp:
        workbook = Path(args.workbook).expanduser() if args.workbook else demo.DEMO_WORKBOOK
        try:
            if args.regenerate:
                demo.write_demo_workbook(workbook, seed=seed)
                print(f"Đã ghi lại {workbook}." if vi else f"Rewrote {workbook}.", file=sys.stderr)
            elif seed != demo.DEFAULT_SEED:
                # Another seed never overwrites the committed workbook: it is generated aside.
                workbook = demo.write_demo_workbook(Path(tmp) / "dvk_demo.xlsx", seed=seed)
            if not workbook.exists():
                print(
                    f"Không tìm thấy {workbook} (dùng --regenerate để tạo)."
                    if vi
                    else f"{workbook} not found (use --regenerate to create it).",
                    file=sys.stderr,
                )
                return 1
            report = demo.build_demo_database(db_path, workbook)
        except OSError as exc:
            print(f"Lỗi: {exc}" if vi else f"Error: {exc}", file=sys.stderr)
            return 1
    if not report.ok:
        for problem in report.problems[:20]:
            print(("Lỗi: " if vi else "Problem: ") + problem.message(args.lang), file=sys.stderr)
        print(report.summary(args.lang), file=sys.stderr)
        return 1
    labels = TABLE_LABELS[args.lang]
    counts = ", ".join(
        f"{_fmt(c.added + c.updated, args.lang)} {labels[name]}" for name, c in report.counts.items()
    )
    print(
        f"Đã tạo cơ sở dữ liệu mẫu {db_path}: {counts} ({demo.YEARS[0]}-{demo.YEARS[-1]})."
        if vi
        else f"Built the demo database {db_path}: {counts} ({demo.YEARS[0]}-{demo.YEARS[-1]})."
    )
    collective, individual = _phase_registrations(db_path)
    first, last = demo.PHASE
    print(
        f"Giai đoạn {first}-{last}: {_fmt(collective)} tập thể và {_fmt(individual)} cá nhân đăng ký thực hiện mô hình."
        if vi
        else f"Phase {first}-{last}: {_fmt(collective, 'en')} collective and {_fmt(individual, 'en')} individual registrations."
    )
    return 0


def _phase_registrations(db_path: Path) -> tuple[int, int]:
    con = store.connect_read_only(db_path)
    try:
        row = (
            store.cursor_on(con)
            .execute(
                "select count(*) filter (where doi_tuong = $collective), count(*) filter (where doi_tuong = $individual)"
                " from dang_ky where nam between $year_from and $year_to",
                {
                    "collective": "Tập thể",
                    "individual": "Cá nhân",
                    "year_from": demo.PHASE[0],
                    "year_to": demo.PHASE[1],
                },
            )
            .fetchall()[0]
        )
    finally:
        con.close()
    return int(row[0]), int(row[1])


def _scale(args: argparse.Namespace, vi: bool) -> int:
    started = time.monotonic()
    seed = demo.DEFAULT_SEED if args.seed is None else args.seed

    def progress(stage: str, done: int, total: int) -> None:
        label = TABLE_LABELS[args.lang].get(stage, stage)
        print(f"{label}: {_fmt(done, args.lang)}/{_fmt(total, args.lang)}", file=sys.stderr, flush=True)

    try:
        paths = demo.write_scale_csvs(args.out, args.scale, seed=seed, progress=progress)
    except OSError as exc:
        print(f"Lỗi: {exc}" if vi else f"Error: {exc}", file=sys.stderr)
        return 1
    seconds = time.monotonic() - started
    for path in paths.values():
        print(path)
    took = f"{seconds:.1f}"
    print(
        f"Đã ghi {len(paths)} tệp CSV ({_fmt(args.scale)} đăng ký) trong {took.replace('.', ',')} giây."
        if vi
        else f"Wrote {len(paths)} CSV files ({_fmt(args.scale, 'en')} registrations) in {took} s.",
        file=sys.stderr,
    )
    return 0
