"""`dvk template [--out PATH]`: write the empty import template workbook."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from queries import template

HELP = "Ghi mẫu nhập liệu Excel trống (write the empty import template); --lang en: hướng dẫn tiếng Anh."


def add_arguments(p: argparse.ArgumentParser) -> None:
    """--out PATH."""
    p.add_argument(
        "--out", metavar="PATH", default=template.DEFAULT_NAME, help=f"default ./{template.DEFAULT_NAME}"
    )


def run(args: argparse.Namespace) -> int:
    """Write the template; 0 done, 1 when it cannot be written."""
    vi = args.lang == "vi"
    out = Path(args.out).expanduser()
    if out.suffix.lower() != ".xlsx":
        print(
            "dvk template: --out phải là tệp .xlsx" if vi else "dvk template: --out must be an .xlsx file",
            file=sys.stderr,
        )
        return 2
    try:
        path = template.write_template(out, lang=args.lang)
    except OSError as exc:
        print(
            f"Lỗi: không ghi được {out}: {exc.strerror or exc}"
            if vi
            else f"Error: cannot write {out}: {exc.strerror or exc}",
            file=sys.stderr,
        )
        return 1
    print(f"Đã ghi mẫu nhập liệu: {path}" if vi else f"Wrote the import template: {path}")
    return 0
