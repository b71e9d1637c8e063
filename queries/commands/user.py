"""`dvk user add|list|remove`: manage the dashboard's users file (argon2id hashes only)."""

from __future__ import annotations

import argparse
import getpass
import sys

from queries import audit, auth
from queries.store import connect_read_only, cursor_on, resolve_db_path

HELP = "Quản lý người dùng đăng nhập bảng điều khiển (manage dashboard users: add, list, remove)."

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2


def _msg(args: argparse.Namespace, vi: str, en: str) -> str:
    return en if args.lang == "en" else vi


def _operator() -> str:
    # The audit log names who ran `dvk user`: the operating-system account.
    try:
        return "cli:" + getpass.getuser()
    except (OSError, KeyError):
        return "cli:?"


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--users",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="tệp người dùng TOML (users file; default: $DVK_USERS or users.toml at the project root)",
    )
    # cli.py adds --db and --lang to `dvk user`; repeating them here lets them follow the action
    # too (`dvk user add lan --db x.duckdb`). SUPPRESS keeps a value given before the action.
    p.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    p.add_argument("--lang", choices=("vi", "en"), default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Register the add/list/remove actions."""
    p.add_argument("--users", metavar="PATH", default=None, help=argparse.SUPPRESS)
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)

    add = actions.add_parser("add", help="thêm người dùng (add a user)", description="Thêm người dùng.")
    add.add_argument("name", help="tên đăng nhập (login name)")
    add.add_argument("--role", required=True, choices=auth.ROLES, help="vai trò (role)")
    scope = add.add_mutually_exclusive_group()
    scope.add_argument(
        "--unit", metavar="CODE", help="mã đơn vị: chỉ thấy đơn vị này và cấp dưới (unit scope)"
    )
    scope.add_argument(
        "--all-units",
        action="store_true",
        help="thấy toàn bộ dữ liệu; bắt buộc ghi rõ với viewer/importer (whole database; explicit for non-admins)",
    )
    add.add_argument("--display-name", metavar="TEXT", help="tên hiển thị (display name)")
    add.add_argument("--email", metavar="EMAIL", help="email cho đăng nhập OIDC (e-mail for OIDC login)")
    add.add_argument(
        "--password-stdin",
        action="store_true",
        help="đọc mật khẩu từ dòng đầu của stdin (read the password from stdin, for scripts)",
    )
    add.add_argument(
        "--replace", action="store_true", help="ghi đè người dùng đã có (overwrite an existing user)"
    )
    _common(add)

    lst = actions.add_parser(
        "list", help="liệt kê người dùng (list users)", description="Liệt kê người dùng."
    )
    _common(lst)

    rm = actions.add_parser("remove", help="xóa người dùng (remove a user)", description="Xóa người dùng.")
    rm.add_argument("name", help="tên đăng nhập (login name)")
    _common(rm)


def _read_password(args: argparse.Namespace) -> str | None:
    if args.password_stdin:
        line = sys.stdin.readline()
        return line.removesuffix("\n").removesuffix("\r")
    first = getpass.getpass(_msg(args, "Mật khẩu: ", "Password: "))
    second = getpass.getpass(_msg(args, "Nhập lại mật khẩu: ", "Repeat the password: "))
    if first != second:
        print(
            _msg(args, "Hai lần nhập mật khẩu không khớp.", "The two passwords do not match."),
            file=sys.stderr,
        )
        return None
    return first


def _unit_problem(args: argparse.Namespace, unit: str) -> str | None:
    db = resolve_db_path(args.db)
    if not db.exists():
        print(
            _msg(
                args,
                f"Chú ý: chưa có cơ sở dữ liệu {db}; mã đơn vị {unit} chưa được kiểm tra.",
                f"Note: no database at {db}; the unit code {unit} was not checked.",
            ),
            file=sys.stderr,
        )
        return None
    con = connect_read_only(db)
    try:
        sql = "select ten_don_vi from don_vi where ma_don_vi = $u"
        found = cursor_on(con).execute(sql, {"u": unit}).fetchall()
    finally:
        con.close()
    if not found:
        return _msg(
            args,
            f"Không có đơn vị mã '{unit}' trong {db}.",
            f"There is no unit with code '{unit}' in {db}.",
        )
    return None


def _add(args: argparse.Namespace, path) -> int:
    unit = auth.normalize_unit(args.unit)
    if unit is None and args.role != auth.ROLE_ADMIN and not args.all_units:
        # A forgotten --unit must not silently grant the whole database.
        print(
            _msg(
                args,
                "Cần --unit MÃ (phạm vi đơn vị) hoặc --all-units (toàn bộ dữ liệu) cho vai trò viewer/importer.",
                "Give --unit CODE (unit scope) or --all-units (whole database) for the viewer/importer roles.",
            ),
            file=sys.stderr,
        )
        return EXIT_USAGE
    if unit is not None:
        problem = _unit_problem(args, unit)
        if problem:
            print(problem, file=sys.stderr)
            return EXIT_REJECTED
    password = _read_password(args)
    if password is None:
        return EXIT_REJECTED
    try:
        user = auth.add_user(
            path,
            args.name,
            password,
            args.role,
            unit,
            args.display_name,
            email=args.email,
            replace=args.replace,
            lang=args.lang,
        )
    except (ValueError, auth.UsersFileError) as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_REJECTED
    audit.record(
        "user_add", _operator(), db_path=args.db, target=user.name, role_given=user.role, unit=user.unit
    )
    scope = user.unit or _msg(args, "toàn bộ dữ liệu", "whole database")
    print(
        _msg(
            args,
            f"Đã lưu người dùng '{user.name}' (vai trò {user.role}, phạm vi {scope}) vào {path}.",
            f"Saved user '{user.name}' (role {user.role}, scope {scope}) to {path}.",
        )
    )
    return EXIT_OK


def _list(args: argparse.Namespace, path) -> int:
    if not path.exists():
        print(
            _msg(
                args,
                f"Chưa có tệp người dùng {path}: bảng điều khiển chạy ở chế độ mở (không cần đăng nhập).",
                f"No users file at {path}: the dashboard runs open (no login).",
            )
        )
        return EXIT_OK
    try:
        users = auth.list_users(path, args.lang)
    except auth.UsersFileError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_REJECTED
    if not users:
        print(_msg(args, f"{path}: chưa có người dùng nào.", f"{path}: no users yet."))
        return EXIT_OK
    all_units = _msg(args, "(toàn bộ)", "(all)")
    rows = [("name", "role", "unit", "display_name", "email")]
    rows += [(u.name, u.role, u.unit or all_units, u.display_name, u.email or "") for u in users]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    for r in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=False)) + "  " + r[-1])
    return EXIT_OK


def _remove(args: argparse.Namespace, path) -> int:
    try:
        removed = auth.remove_user(path, args.name, args.lang)
    except auth.UsersFileError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_REJECTED
    name = auth.normalize_name(args.name)
    if not removed:
        print(
            _msg(args, f"Không có người dùng '{name}' trong {path}.", f"No user '{name}' in {path}."),
            file=sys.stderr,
        )
        return EXIT_REJECTED
    audit.record("user_remove", _operator(), db_path=args.db, target=name)
    print(_msg(args, f"Đã xóa người dùng '{name}'.", f"Removed user '{name}'."))
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    """Dispatch to the chosen action; 0 done, 1 rejected, 2 usage."""
    path = auth.resolve_users_path(args.users)
    return {"add": _add, "list": _list, "remove": _remove}[args.action](args, path)
