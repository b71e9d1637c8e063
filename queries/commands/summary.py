"""`dvk summary --from YEAR --to YEAR [--unit CODE] [filters] [--json]`: the headline figures of a scope.

Also holds what `dvk compare` and `dvk export` share: the filter options and opening the database.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Iterator

import duckdb

from queries import figures, store, structure, vocab
from queries.narrative import narrative

HELP = "Số liệu tổng hợp của một đơn vị trong một giai đoạn (headline figures of a scope and period)."

EXIT_OK, EXIT_REJECTED = 0, 1


def _msg(lang: str, vi: str, en: str) -> str:
    return en if lang == "en" else vi


def add_filter_arguments(p: argparse.ArgumentParser, *, period: bool = True) -> None:
    """--from/--to (when period), --unit, --field, --subject, --movement, --kind, --structure."""
    if period:
        p.add_argument("--from", dest="year_from", type=int, required=True, metavar="YEAR", help="first year")
        p.add_argument("--to", dest="year_to", type=int, required=True, metavar="YEAR", help="last year")
    p.add_argument("--unit", metavar="CODE", help="unit code (Mã đơn vị); default: the root(s)")
    p.add_argument("--field", metavar="LABEL", help=f"lĩnh vực: {' / '.join(vocab.FIELDS)}")
    p.add_argument("--subject", metavar="LABEL", help=f"đối tượng: {' / '.join(vocab.SUBJECTS)}")
    p.add_argument("--movement", metavar="LABEL", help=f"phong trào: {' / '.join(vocab.MOVEMENTS)}")
    p.add_argument("--kind", metavar="LABEL", help=f"loại: {' / '.join(vocab.KINDS)}")
    p.add_argument(
        "--structure",
        choices=structure.READINGS,
        default=structure.AS_WAS,
        help="cơ cấu tổ chức: as-was = tại thời điểm (each record under the superiors of its year, the"
        " default); current = theo cơ cấu hiện nay (records of merged units under today's units)",
    )


def add_arguments(p: argparse.ArgumentParser) -> None:
    """--from, --to, --unit, --field, --subject, --movement, --kind, --json."""
    add_filter_arguments(p)
    p.add_argument("--json", action="store_true", help="print one JSON object instead of sentences")


_FILTER_NAMES = {
    "field": ("linh_vuc", "lĩnh vực", "field"),
    "subject": ("doi_tuong", "đối tượng", "subject"),
    "movement": ("phong_trao", "phong trào", "movement"),
    "kind": ("loai", "loại", "kind"),
}


def filters_from_args(args: argparse.Namespace, year_from: int, year_to: int) -> figures.Filters:
    """The Filters these options ask for; CommandError (in the user's language) when they are invalid."""
    lang = args.lang
    for year in (year_from, year_to):
        if not vocab.YEAR_MIN <= year <= vocab.YEAR_MAX:
            raise CommandError(
                _msg(
                    lang,
                    f"Năm {year} không hợp lệ — năm phải từ {vocab.YEAR_MIN} đến {vocab.YEAR_MAX}.",
                    f"Year {year} is not valid — years run from {vocab.YEAR_MIN} to {vocab.YEAR_MAX}.",
                )
            )
    if year_from > year_to:
        raise CommandError(
            _msg(
                lang,
                f"Giai đoạn không hợp lệ: năm đầu {year_from} sau năm cuối {year_to}.",
                f"Invalid period: the first year {year_from} is after the last year {year_to}.",
            )
        )
    for option, (alias, name_vi, name_en) in _FILTER_NAMES.items():
        raw = getattr(args, option, None)
        column = vocab.REGISTRATIONS.column(alias)
        if raw and raw.strip() and vocab.canonical_choice(column, raw) is None:
            assert column.choices is not None  # every filter column has a list of values
            choices = " / ".join(column.choices)
            raise CommandError(
                _msg(
                    lang,
                    f"Giá trị «{raw}» của {name_vi} (--{option}) không hợp lệ; chọn một trong: {choices}.",
                    f"«{raw}» is not a valid {name_en} (--{option}); choose one of: {choices}.",
                )
            )
    return figures.Filters(
        year_from=year_from,
        year_to=year_to,
        unit=args.unit,
        field=args.field,
        subject=args.subject,
        movement=args.movement,
        kind=args.kind,
        structure=getattr(args, "structure", structure.AS_WAS),
    )


# Which filters each table takes (as the pages say): awards have a subject but no field, movement or
# kind; conferences take only the unit and the period.
APPLIES = {
    "dang_ky": ("field", "subject", "movement", "kind"),
    "khen_thuong": ("subject",),
    "hoi_nghi": (),
}


def filters_not_applied(f: figures.Filters, tables: tuple[str, ...]) -> dict[str, list[str]]:
    """Per table, the chosen filters it does not take ({"hoi_nghi": ["subject"], ...})."""
    return {
        table: [o for o in _FILTER_NAMES if getattr(f, o) and o not in APPLIES[table]] for table in tables
    }


def unused_filters_note(f: figures.Filters, tables: tuple[str, ...], lang: str) -> str | None:
    """ "Bộ lọc lĩnh vực, phong trào không áp dụng cho khen thưởng và hội nghị." for the chosen
    filters that some of `tables` do not take; None when every chosen filter applies."""
    vi = lang != "en"
    table_names = {
        "khen_thuong": ("khen thưởng", "awards"),
        "hoi_nghi": ("hội nghị", "conferences"),
        "dang_ky": ("đăng ký", "registrations"),
    }
    chosen = [option for option in _FILTER_NAMES if getattr(f, option)]
    ignored = [o for o in chosen if any(o not in APPLIES[t] for t in tables)]
    if not ignored:
        return None
    where = [table_names[t][0 if vi else 1] for t in tables if any(o not in APPLIES[t] for o in ignored)]
    names = ", ".join(_FILTER_NAMES[o][1 if vi else 2] for o in ignored)
    if vi:
        return f"Bộ lọc {names} không áp dụng cho {' và '.join(where)}."
    return f"The {names} filter{'s' if len(ignored) > 1 else ''} do{'' if len(ignored) > 1 else 'es'} not apply to {' and '.join(where)}."


class CommandError(Exception):
    """A message for the user; the command exits with EXIT_REJECTED."""


@contextlib.contextmanager
def open_cursor(args: argparse.Namespace) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only cursor on the database, or CommandError telling how to create one."""
    path = store.resolve_db_path(args.db)
    if not path.exists():
        raise CommandError(
            _msg(
                args.lang,
                f"Chưa có cơ sở dữ liệu tại {path}. Hãy chạy `dvk demo` (dữ liệu mẫu) hoặc `dvk import TỆP...`.",
                f"No database at {path}. Run `dvk demo` (demo data) or `dvk import FILE...` first.",
            )
        )
    try:
        con = store.connect_read_only(path)
    except duckdb.Error as exc:
        raise CommandError(
            _msg(
                args.lang,
                f"Không mở được cơ sở dữ liệu {path}: {exc}",
                f"Cannot open the database {path}: {exc}",
            )
        ) from exc
    try:
        if store.schema_version(con) < 1:
            raise CommandError(
                _msg(
                    args.lang,
                    f"{path} chưa có dữ liệu DVK. Hãy chạy `dvk demo` hoặc `dvk import TỆP...`.",
                    f"{path} holds no DVK data. Run `dvk demo` or `dvk import FILE...` first.",
                )
            )
        cur = store.cursor_on(con)
        try:
            yield cur
        finally:
            cur.close()
    finally:
        con.close()


def explain(exc: Exception, lang: str) -> str:
    """A user-facing sentence for an engine error."""
    if isinstance(exc, figures.UnknownUnitError):
        return _msg(
            lang, f"Không có đơn vị mã «{exc.code}» trong cơ sở dữ liệu.", f"No unit with code «{exc.code}»."
        )
    if isinstance(exc, figures.FiguresError):
        return _msg(lang, f"Bộ lọc không hợp lệ: {exc}", f"Invalid filters: {exc}")
    return str(exc)


def fail(message: str) -> int:
    """Print the message on stderr and return EXIT_REJECTED."""
    print(message, file=sys.stderr)
    return EXIT_REJECTED


def run(args: argparse.Namespace) -> int:
    """Print the narrative of the figures (or one JSON object with --json)."""
    try:
        f = filters_from_args(args, args.year_from, args.year_to)
        with open_cursor(args) as cur:
            result = figures.summary(cur, f, with_models=True)
    except CommandError as exc:
        return fail(str(exc))
    except figures.FiguresError as exc:
        return fail(explain(exc, args.lang))
    note = unused_filters_note(f, ("khen_thuong", "hoi_nghi"), args.lang)
    if args.json:
        not_applied = filters_not_applied(f, ("khen_thuong", "hoi_nghi"))
        print(json.dumps({**result, "filters_not_applied": not_applied}, ensure_ascii=False, indent=2))
    else:
        print(narrative(result, args.lang))
        if note:
            print(note)
    return EXIT_OK
