"""`dvk status --year Y [--unit CODE] [--missing-csv PATH] [--json]`: which grassroots units sent their year."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from queries import export, messages, status, store

HELP = "Tình hình nộp số liệu của các tổ chức cơ sở đảng trong một năm (which units sent their figures)."


def add_arguments(p: argparse.ArgumentParser) -> None:
    """--year, --unit, --missing-csv, --json."""
    p.add_argument("--year", type=int, required=True, metavar="YEAR", help="the year")
    p.add_argument("--unit", metavar="CODE", help="unit code (Mã đơn vị): its subtree; default: every root")
    p.add_argument("--missing-csv", metavar="PATH", help="write the units that sent nothing to this CSV")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of lines")


def run(args: argparse.Namespace) -> int:
    """Print the status; 0 done, 1 no database or unknown unit."""
    lang, vi = args.lang, args.lang != "en"
    db_path = store.resolve_db_path(args.db)
    if not db_path.exists():
        print(f"Chưa có cơ sở dữ liệu {db_path}." if vi else f"No database at {db_path}.", file=sys.stderr)
        return 1
    con = store.connect_read_only(db_path)
    try:
        cur = store.cursor_on(con)
        if args.unit is not None:
            found = cur.execute(
                "select count(*) from don_vi where ma_don_vi = $u", {"u": args.unit}
            ).fetchall()[0]
            if not found[0]:
                print(
                    f"Không có đơn vị mã «{args.unit}»." if vi else f"No unit with code «{args.unit}».",
                    file=sys.stderr,
                )
                return 1
        frame = status.submission_status(cur, args.year, args.unit)
    finally:
        con.close()
    missing = status.missing_units(frame)
    if args.missing_csv:
        path = Path(args.missing_csv)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(export.to_csv_bytes(status.labelled(missing, lang), lang))
    if args.json:
        rows = [
            {**r, "last_changed_at": r["last_changed_at"].isoformat(timespec="seconds") if r["last_changed_at"] else None}
            for r in frame.iter_rows(named=True)
        ]  # fmt: skip
        print(json.dumps({"year": args.year, "unit": args.unit, "units": rows}, ensure_ascii=False, indent=2))
        return 0
    n, m = messages.count(frame.height, lang), messages.count(missing.height, lang)
    nothing = messages.count(int(frame.get_column("is_missing").sum()), lang)
    if vi:
        print(
            f"Năm {args.year}: {n} tổ chức cơ sở đảng, {m} chưa có đăng ký, trong đó {nothing} chưa gửi số liệu nào."
        )
        print("Mã đơn vị | Tên đơn vị | Đăng ký | Hội nghị | Khen thưởng | Cập nhật lần cuối")
    else:
        print(
            f"Year {args.year}: {n} grassroots units, {m} without a registration, {nothing} of them sent nothing."
        )
        print("Unit code | Unit name | Registrations | Conferences | Awards | Last changed")
    for r in frame.iter_rows(named=True):
        at = r["last_changed_at"].strftime("%d/%m/%Y %H:%M") if r["last_changed_at"] else "—"
        flag = ""
        if r["is_missing"]:
            flag = "  ← " + ("chưa gửi số liệu nào" if vi else "sent nothing")
        elif not r["n_dang_ky"]:
            flag = "  ← " + ("chưa có đăng ký" if vi else "no registration")
        print(
            f"{r['ma_don_vi']} | {r['ten_don_vi']} | {messages.count(r['n_dang_ky'], lang)} | "
            f"{messages.count(r['n_hoi_nghi'], lang)} | {messages.count(r['n_khen_thuong'], lang)} | {at}{flag}"
        )
    if args.missing_csv:
        print(f"Đã ghi {m} đơn vị vào {args.missing_csv}." if vi else f"Wrote {m} unit(s) to {args.missing_csv}.",
              file=sys.stderr)  # fmt: skip
    return 0
