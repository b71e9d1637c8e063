"""`dvk report --from 2021 --to 2023 [--unit CODE] [--compare 2018-2020] [--template FILE.docx] --out F.docx`:
the phase report as a Word document in the Party's format (Hướng dẫn 36-HD/VPTW)."""

from __future__ import annotations

import argparse
import zipfile
from datetime import date, datetime
from pathlib import Path

import jinja2

from queries import figures
from queries.commands.compare import period
from queries.commands.summary import (
    EXIT_OK,
    CommandError,
    _msg,
    add_filter_arguments,
    explain,
    fail,
    filters_from_args,
    open_cursor,
)
from queries.report import ReportOptions, report_docx
from queries.report.render import PLACEHOLDERS

HELP = "Báo cáo kết quả phong trào theo thể thức văn bản của Đảng, tệp Word (the phase report as .docx)."

EPILOG = (
    "Mặc định (defaults): cơ quan ban hành và cấp trên lấy từ đơn vị báo cáo và đơn vị cấp trên của nó; "
    "số, ký hiệu «Số      -BC/ĐUK»; ngày, tháng để trống cho văn phòng điền.\n"
    "--template: một tệp .docx của cơ quan với các chỗ điền (placeholders, docxtpl/Jinja):\n"
    + "\n".join(f"  {{{{ {name} }}}}  {meaning}" for name, meaning in PLACEHOLDERS.items())
)


def _day(text: str) -> date:
    try:
        return datetime.strptime(text.strip(), "%d/%m/%Y").date()
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected a date dd/mm/yyyy, got {text!r}") from exc


def add_arguments(p: argparse.ArgumentParser) -> None:
    """--from/--to and the filters of `dvk summary`, --compare, --out, --template, the letterhead."""
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    p.epilog = EPILOG
    add_filter_arguments(p)
    p.add_argument("--compare", type=period, metavar="PERIOD", help="baseline period B, e.g. 2018-2020")
    p.add_argument("--out", metavar="PATH", help="output .docx (default: bao_cao_<from>_<to>.docx)")
    p.add_argument("--template", metavar="FILE.docx", help="the office's own template with placeholders")
    letterhead = p.add_argument_group("thể thức (letterhead and signature)")
    letterhead.add_argument(
        "--superior", metavar="TEXT", help="cơ quan cấp trên (default: the unit's superior)"
    )
    letterhead.add_argument(
        "--issuer", metavar="TEXT", help="cơ quan ban hành (default: from the unit's name)"
    )
    letterhead.add_argument("--symbol", metavar="TEXT", help="số, ký hiệu (default: «Số      -BC/ĐUK»)")
    letterhead.add_argument("--place", metavar="TEXT", help="địa danh before the date")
    letterhead.add_argument("--date", type=_day, metavar="DD/MM/YYYY", help="ngày ký (default: left blank)")
    letterhead.add_argument(
        "--on-behalf", metavar="TEXT", help="thẩm quyền ký (default: «T/M BAN THƯỜNG VỤ»)"
    )
    letterhead.add_argument("--signer-title", metavar="TEXT", help="chức vụ người ký (default: «BÍ THƯ»)")
    letterhead.add_argument("--signer-name", metavar="TEXT", help="họ tên người ký")
    letterhead.add_argument(
        "--recipient", action="append", metavar="TEXT", help="a line under «Nơi nhận:» (repeat the option)"
    )


def options_from_args(args: argparse.Namespace) -> ReportOptions:
    """The report options these arguments ask for (None = the default from the unit)."""
    return ReportOptions(
        lang=args.lang,
        compare=args.compare,
        superior=args.superior,
        issuer=args.issuer,
        symbol=args.symbol,
        place=args.place,
        day=args.date,
        on_behalf=args.on_behalf,
        signer_title=args.signer_title,
        signer_name=args.signer_name,
        recipients=tuple(args.recipient) if args.recipient else None,
    )


def _template(args: argparse.Namespace) -> bytes | None:
    if not args.template:
        return None
    path = Path(args.template)
    try:
        data = path.read_bytes()
        zipfile.ZipFile(path).getinfo("word/document.xml")
    except (OSError, zipfile.BadZipFile, KeyError) as exc:
        raise CommandError(
            _msg(
                args.lang,
                f"Không đọc được mẫu báo cáo {path}: cần một tệp Word .docx ({exc}).",
                f"Cannot read the report template {path}: a Word .docx file is needed ({exc}).",
            )
        ) from exc
    return data


def run(args: argparse.Namespace) -> int:
    """Write the report; print where it went."""
    try:
        f = filters_from_args(args, args.year_from, args.year_to)
        if args.compare:
            filters_from_args(args, *args.compare)  # the same checks for the baseline's years
        template = _template(args)
        with open_cursor(args) as cur:
            data = report_docx(cur, f, options_from_args(args), template)
    except CommandError as exc:
        return fail(str(exc))
    except figures.FiguresError as exc:
        return fail(explain(exc, args.lang))
    except (jinja2.TemplateError, ValueError) as exc:  # a template docxtpl cannot fill
        if not args.template:
            raise
        return fail(
            _msg(
                args.lang,
                f"Không điền được mẫu báo cáo {args.template}: {exc}",
                f"Cannot fill the report template {args.template}: {exc}",
            )
        )
    out = Path(args.out or f"bao_cao_{f.year_from}_{f.year_to}.docx")
    try:
        out.write_bytes(data)
    except OSError as exc:
        return fail(_msg(args.lang, f"Không ghi được {out}: {exc}", f"Cannot write {out}: {exc}"))
    print(_msg(args.lang, f"Đã ghi báo cáo: {out}", f"Report written: {out}"))
    return EXIT_OK
