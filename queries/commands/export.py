"""`dvk export --what dang_ky|khen_thuong|hoi_nghi|figures --format csv|xlsx [--out PATH] [filters]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import polars as pl

from queries import export, figures, labels, shown
from queries.commands.summary import (
    EXIT_OK,
    CommandError,
    add_filter_arguments,
    explain,
    fail,
    filters_from_args,
    open_cursor,
    unused_filters_note,
)

HELP = "Xuất bản ghi hoặc bảng số liệu ra CSV/XLSX (export filtered records or the figures table)."

WHAT = ("dang_ky", "khen_thuong", "hoi_nghi", "figures")


def add_arguments(p: argparse.ArgumentParser) -> None:
    """--what, --format, --out, and the filters of `dvk summary`."""
    p.add_argument("--what", required=True, choices=WHAT, help="records of a table, or the figures table")
    p.add_argument("--format", required=True, choices=("csv", "xlsx"), dest="fmt", help="file format")
    p.add_argument("--out", metavar="PATH", help="output file (default: a name from the filters; - = stdout)")
    add_filter_arguments(p)


def as_shown(table: pl.DataFrame, lang: str = "vi") -> pl.DataFrame:
    """The figures table as the pages show it (queries.shown): a rate as its percentage to one
    decimal, its name marked "(%)" (the workbook gives it a percent format); counts whole; other
    numbers to one decimal. Names and headers from the label catalogue; the last column holds the
    engine's key of each figure."""
    kinds = [shown.kind(key) for key in table["figure"]]
    names = [
        shown.download_name(labels.figure_name(key, lang), k)
        for key, k in zip(table["figure"], kinds, strict=True)
    ]
    values = [c for c in table.columns if c not in ("figure", "label")]
    columns = {c: [shown.number(k, v) for k, v in zip(kinds, table[c], strict=True)] for c in values}
    figure, key = labels.header("figure", lang), labels.header("figure_key", lang)
    return pl.DataFrame(
        {figure: names, **columns, key: table["figure"].to_list()},
        schema={figure: pl.String, **{c: pl.Float64 for c in values}, key: pl.String},
    )


def build(cur, what: str, fmt: str, f: figures.Filters, lang: str) -> tuple[bytes, int]:
    """The file's bytes and how many data rows went into its main sheet."""
    names = {key: labels.sheet_name(key, lang) for key in labels.SHEETS}
    if what == "figures":
        main = as_shown(figures.figures_table(cur, f, lang), lang)
        sheets = {names["figures"]: main}
        if fmt == "xlsx":  # every sheet as the pages show it: named columns, rates in percent
            extra = {
                "by_unit": figures.by_unit(cur, f),
                "by_field": figures.breakdown(cur, f, "linh_vuc"),
                "by_field_year": figures.breakdown_by_year(cur, f, "linh_vuc"),
                "by_field_child": figures.breakdown_by_child(cur, f, "linh_vuc"),
                "awards": figures.awards_breakdown(cur, f).filter(pl.col("n_awards") > 0),
            }
            sheets |= {names[key]: shown.download_frame(frame, lang) for key, frame in extra.items()}
    else:
        main = figures.records(cur, f, what)
        sheets = {names[what]: main}
    if fmt == "csv":
        return export.to_csv_bytes(main, lang), main.height
    return export.to_xlsx_bytes(sheets, export.filters_description(f, lang), lang), main.height


def run(args: argparse.Namespace) -> int:
    """Write the export file; exit 1 on bad filters or a missing database."""
    try:
        f = filters_from_args(args, args.year_from, args.year_to)
        with open_cursor(args) as cur:
            data, rows = build(cur, args.what, args.fmt, f, args.lang)
    except CommandError as exc:
        return fail(str(exc))
    except figures.FiguresError as exc:
        return fail(explain(exc, args.lang))
    tables = {"figures": ("khen_thuong", "hoi_nghi")}.get(args.what, (args.what,))
    note = unused_filters_note(f, tables, args.lang)
    if note:
        print(note, file=sys.stderr)
    if args.out == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return EXIT_OK
    out = Path(args.out) if args.out else Path(export.export_filename(args.what, f, args.fmt))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    vi = args.lang != "en"
    print(f"Đã ghi {rows} dòng vào {out}." if vi else f"Wrote {rows} rows to {out}.", file=sys.stderr)
    return EXIT_OK
