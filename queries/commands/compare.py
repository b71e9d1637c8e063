"""`dvk compare --a 2021-2023 --b 2018-2020 [--unit CODE] [filters] [--json]`: two periods side by side."""

from __future__ import annotations

import argparse
import json

import polars as pl

from queries import figures, labels, periods, shown
from queries.commands.summary import (
    EXIT_OK,
    CommandError,
    add_filter_arguments,
    explain,
    fail,
    filters_from_args,
    filters_not_applied,
    open_cursor,
    unused_filters_note,
)

HELP = "So sánh hai giai đoạn (compare two periods): số liệu A, B và mức tăng giảm."


def period(text: str) -> tuple[int, int]:
    """'2021-2023' -> (2021, 2023); '2022' -> (2022, 2022). Malformed text is a usage error (exit 2)."""
    parsed = periods.parse_period(text)
    if parsed is None:
        raise argparse.ArgumentTypeError(f"expected YEAR or YEAR-YEAR (e.g. 2021-2023), got {text!r}")
    return parsed


def add_arguments(p: argparse.ArgumentParser) -> None:
    """--a PERIOD, --b PERIOD, the filters of `dvk summary` (no --from/--to), --json."""
    p.add_argument("--a", required=True, type=period, metavar="PERIOD", help="period A, e.g. 2021-2023")
    p.add_argument("--b", required=True, type=period, metavar="PERIOD", help="period B, e.g. 2018-2020")
    add_filter_arguments(p, period=False)
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a table")


def render_table(frame, a: figures.Filters, b: figures.Filters, lang: str) -> str:
    """The comparison as a plain-text table."""
    head = ["Chỉ số" if lang != "en" else "Figure", f"A {a.period_label}", f"B {b.period_label}",
            "A - B", "%"]  # fmt: skip
    rows = [
        [
            row["label"],
            shown.text(shown.kind(row["figure"]), row["a"], lang),
            shown.text(shown.kind(row["figure"]), row["b"], lang),
            shown.change_text(shown.kind(row["figure"]), row["change"], lang),
            shown.relative_text(row["change_pct"], lang),
        ]
        for row in frame.iter_rows(named=True)
    ]
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    lines = []
    for k, r in enumerate([head, *rows]):
        cells = [r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:], strict=True)]
        lines.append("  ".join(cells))
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Print periods A and B side by side with the changes (a table, or JSON with --json)."""
    try:
        a = filters_from_args(args, *args.a)
        b = filters_from_args(args, *args.b)
        with open_cursor(args) as cur:
            frame = figures.compare(cur, a, b, lang=args.lang)
            names = [labels.compare_row_name(key, args.lang) for key in frame["figure"]]
            frame = frame.with_columns(pl.Series("label", names, dtype=pl.String))
            reported = periods.reported_years(cur)
            # results still awaiting scoring: the same note as under the dashboard's cards
            summaries = {"a": figures.summary(cur, a), "b": figures.summary(cur, b)}
    except CommandError as exc:
        return fail(str(exc))
    except figures.FiguresError as exc:
        return fail(explain(exc, args.lang))
    sides = {}
    for name, side in (("a", a), ("b", b)):
        years = periods.reported_in(side.years, reported)
        sides[name] = {
            "from": side.year_from,
            "to": side.year_to,
            "reported_years": years,
            "label": periods.coverage_label(side.year_from, side.year_to, years, args.lang),
        }
    notes = {name: periods.pending_note(summaries[name], args.lang) for name in ("a", "b")}
    if args.json:
        payload = {
            "convention": "change = a - b; change_pct = change / b",
            **sides,
            "unit": a.unit,
            "structure": a.structure,
            "filters": {"field": a.field, "subject": a.subject, "movement": a.movement, "kind": a.kind},
            # the award and conference rows do not take these filters (as `dvk summary` says)
            "filters_not_applied": filters_not_applied(a, ("khen_thuong", "hoi_nghi")),
            # registrations awaiting scoring: share of each period, the years not final, the note
            "pending": {name: {**summaries[name]["pending"], "note": notes[name]} for name in ("a", "b")},
            "rows": frame.to_dicts(),
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        vi = args.lang != "en"
        print(
            f"A: {sides['a']['label']}" + ("  (giai đoạn được đánh giá)" if vi else "  (the period judged)")
        )
        print(f"B: {sides['b']['label']}" + ("  (giai đoạn gốc so sánh)" if vi else "  (the baseline)"))
        if not (sides["a"]["reported_years"] and sides["b"]["reported_years"]):
            print(
                "Một giai đoạn chưa có số liệu: không tính mức tăng giảm."
                if vi
                else "A period has no data: no change is computed."
            )
        for name, note in notes.items():
            if note:  # "A: Kết quả chưa cuối cùng: 42,5% số đăng ký năm 2024 đang chờ đánh giá."
                print(f"{name.upper()}: {note[0].upper()}{note[1:]}.")
        print(render_table(frame, a, b, args.lang))
        unused = unused_filters_note(a, ("khen_thuong", "hoi_nghi"), args.lang)
        if unused:
            print(unused)
    return EXIT_OK
