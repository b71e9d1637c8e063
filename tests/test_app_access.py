"""Logins and per-unit access in the dashboard (AppTest): open mode, the login gate, scope on every page,
hand-edited links, the import page by role and scope, every download scoped and audited, OIDC.

The users file and the audit log are tmp files named through $DVK_USERS and $DVK_AUDIT.
"""

from __future__ import annotations

import csv
import html
import io
import re
import shutil
import tomllib
from pathlib import Path

import openpyxl
import pytest
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest
from support.apptest import APP, IMPORT_PAGE, MARKDOWN_KINDS, REPORT_PAGES, run
from support.commands import command_args
from support.files import engine
from support.scope import demo_scope

from dashboard import shared
from dashboard.escape import md
from dashboard.i18n import t
from queries import audit, auth, formatting, store
from queries.commands import serve
from queries.figures import Filters

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 60
PERIOD = Filters(2021, 2023)
PASSWORDS = {
    "lan": "lan-mat-khau-1",
    "hung": "hung-mat-khau-1",
    "quantri": "quantri-mat-khau",
    "ma": "ma-mat-khau-1",
}
OIDC_SECRETS = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "only-for-the-tests-" + "x" * 32,
        "client_id": "dvk-tests",
        "client_secret": "not-a-secret",
        "server_metadata_url": "https://login.example.invalid/.well-known/openid-configuration",
    }
}


# --- the database, the units, the users ----------------------------------------------------------------


def _cursor(db: Path):
    return store.Snapshot(db).cursor()


@pytest.fixture(scope="module")
def units(demo_db) -> dict:
    """The scope of the tests: a Đảng bộ cơ sở with branches, a sibling, the root, their names."""
    return demo_scope(demo_db)


@pytest.fixture(scope="module")
def users_file(tmp_path_factory, units) -> Path:
    path = tmp_path_factory.mktemp("users") / "users.toml"
    auth.add_user(
        path, "lan", PASSWORDS["lan"], "viewer", units["scope"], "Nguyễn Thị Lan", email="lan@example.vn"
    )
    auth.add_user(path, "hung", PASSWORDS["hung"], "importer", units["sibling"], "Trần Văn Hùng")
    auth.add_user(path, "quantri", PASSWORDS["quantri"], "admin")
    auth.add_user(path, "ma", PASSWORDS["ma"], "viewer", "KHONG-CON", "Đơn vị đã xóa")
    return path


@pytest.fixture
def audit_log(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "audit.jsonl"
    monkeypatch.setenv(audit.ENV_AUDIT, str(path))
    return path


@pytest.fixture
def env(demo_db, users_file, audit_log, monkeypatch) -> None:
    """The demo database, the users file (logins required) and a private audit log."""
    monkeypatch.setenv(store.ENV_DB, str(demo_db))
    monkeypatch.setenv(auth.ENV_USERS, str(users_file))


@pytest.fixture
def app(env) -> AppTest:
    """The app with logins required, not yet run."""
    return AppTest.from_file(APP, default_timeout=TIMEOUT)


def log_in(at: AppTest, name: str, password: str | None = None) -> AppTest:
    """Fill the login form and submit it (the app must show the login page)."""
    if not at.text_input:
        run(at)
    at.text_input(key="auth_login_name").input(name)
    at.text_input(key="auth_login_password").input(
        PASSWORDS.get(name.lower(), "") if password is None else password
    )
    [submit] = [b for b in at.button if b.label == t("login.submit", "vi")]
    submit.click()
    return run(at)


def open_page(at: AppTest, page: str | None) -> AppTest:
    if page is not None:
        run(at.switch_page(page))
    return at


def metric(at: AppTest, label: str) -> str:
    values = [m.value for m in at.metric if m.label == label]
    assert values, f"no card {label!r} among {[m.label for m in at.metric]}"
    return values[0]


def shown_texts(at: AppTest) -> str:
    """Every text the run sent to the browser that could name a unit (charts and tables included)."""
    parts: list[str] = []
    for kind in MARKDOWN_KINDS:
        parts += [str(e.value) for e in at.get(kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    for box in at.selectbox:
        parts += [str(o) for o in box.options]
    for frame in at.dataframe:
        parts.append(frame.value.to_csv())
    parts += [html.unescape(e.proto.spec) for e in at.get("plotly_chart")]  # names escaped for Plotly
    # Names reach markdown escaped ("Đảng bộ \(A\)"): read as the page shows them.
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", "\n".join(parts))


def assert_no_foreign_name(at: AppTest, units: dict) -> None:
    text = shown_texts(at)
    leaked = sorted(name for name in units["foreign"] if name in text)
    assert leaked == [], leaked


def records(path: Path) -> list[dict]:
    return audit.read_log(path)


# --- open mode ------------------------------------------------------------------------------------------


def test_open_mode_shows_the_notice_and_everything(demo_db, tmp_path, audit_log, monkeypatch):
    monkeypatch.setenv(store.ENV_DB, str(demo_db))
    monkeypatch.setenv(auth.ENV_USERS, str(tmp_path / "no-users.toml"))
    at = run(AppTest.from_file(APP, default_timeout=TIMEOUT))
    assert at.title[0].value == t("overview.title", "vi")
    notice = "Chế độ mở: chưa cấu hình người dùng — ai truy cập cũng xem được toàn bộ dữ liệu"
    assert notice in [i.value for i in at.sidebar.get("alert")] + [i.value for i in at.info]
    assert not at.text_input  # no login form
    expected = engine(demo_db, "summary", PERIOD)["registrations"]["total"]
    assert metric(at, "Lượt đăng ký") == formatting.fmt_int(expected, "vi")
    run(at.switch_page(IMPORT_PAGE))  # open mode: anyone may import
    assert at.title[0].value == t("import.title", "vi")


# --- the login gate ----------------------------------------------------------------------------------


def test_with_users_the_login_page_and_nothing_else(app, units):
    run(app)
    assert [x.value for x in app.title] == [t("login.title", "vi")]
    assert [x.label for x in app.text_input] == [t("login.name", "vi"), t("login.password", "vi")]
    assert not app.metric and not app.dataframe and not app.get("download_button")
    assert not app.get("plotly_chart") and not app.selectbox
    assert units["names"][units["scope"]] not in shown_texts(app)
    assert_no_foreign_name(app, units)
    with pytest.raises(ValueError):  # only the login page is registered
        app.switch_page(REPORT_PAGES["units"])


@pytest.mark.parametrize("name, password", [("lan", "sai-mat-khau"), ("khong-co-ai", "bat-ky-mat-khau")])
def test_a_wrong_password_or_unknown_name_is_refused_and_audited(app, audit_log, name, password):
    log_in(app, name, password)
    assert [e.value for e in app.error] == [t("login.failed", "vi")]  # one message for both cases
    assert app.title[0].value == t("login.title", "vi") and not app.metric
    [entry] = records(audit_log)
    assert (entry["action"], entry["user"], entry["method"]) == ("login_failed", name, "password")
    assert password not in audit_log.read_text()


def test_a_viewer_logs_in_and_out(app, audit_log, units):
    log_in(app, "Lan")  # names are case-insensitive
    assert app.title[0].value == t("overview.title", "vi")
    sidebar = "\n".join(str(e.value) for e in app.sidebar.get("markdown") + app.sidebar.get("caption"))
    assert (
        "Nguyễn Thị Lan" in sidebar
        and "Người xem" in sidebar
        and units["scope"].replace(".", "\\.") in sidebar
    )
    assert "Chế độ mở" not in shown_texts(app)
    [logout] = [b for b in app.button if b.label == t("auth.logout", "vi")]
    logout.click()
    run(app)
    assert app.title[0].value == t("login.title", "vi") and not app.metric
    assert [(e["action"], e["user"]) for e in records(audit_log)] == [("login", "lan"), ("logout", "lan")]
    assert records(audit_log)[0]["scope"] == units["scope"]


def test_a_user_removed_from_the_file_is_logged_out_at_once(
    demo_db, tmp_path, audit_log, monkeypatch, users_file
):
    users = tmp_path / "users.toml"
    shutil.copy(users_file, users)
    monkeypatch.setenv(store.ENV_DB, str(demo_db))
    monkeypatch.setenv(auth.ENV_USERS, str(users))
    at = log_in(AppTest.from_file(APP, default_timeout=TIMEOUT), "lan")
    assert at.metric
    assert auth.remove_user(users, "lan")
    run(at)
    assert at.title[0].value == t("login.title", "vi") and not at.metric


def test_a_user_whose_unit_is_gone_sees_nothing(app):
    log_in(app, "ma")
    assert not app.metric and not app.dataframe
    assert [e.value for e in app.error] == [t("auth.unit_missing", "vi", unit=md("KHONG-CON"), name=md("ma"))]


def _run_with_users_file(text: str, demo_db: Path, tmp_path: Path, monkeypatch) -> tuple[AppTest, Path]:
    """The app on the demo behind a users file holding `text`; the app after its first run, the file."""
    users = tmp_path / "users.toml"
    users.write_text(text, encoding="utf-8")
    monkeypatch.setenv(store.ENV_DB, str(demo_db))
    monkeypatch.setenv(auth.ENV_USERS, str(users))
    return run(AppTest.from_file(APP, default_timeout=TIMEOUT)), users


def test_a_malformed_users_file_stops_the_app(demo_db, tmp_path, monkeypatch, audit_log):
    text = '[users."lan"]\nrole = "viewer"\npassword = "plaintext"\n'
    at, users = _run_with_users_file(text, demo_db, tmp_path, monkeypatch)
    assert at.error and md(users) in at.error[0].value  # the path as text, not markdown
    assert not at.text_input and not at.metric  # neither a login form nor open mode


def test_an_empty_users_file_still_requires_a_login(demo_db, tmp_path, monkeypatch, audit_log):
    at, _ = _run_with_users_file("", demo_db, tmp_path, monkeypatch)
    assert at.title[0].value == t("login.title", "vi") and not at.metric


# --- scope on every page -------------------------------------------------------------------------------


def _check_page(at: AppTest, name: str, db: Path, units: dict) -> None:
    """The page shows the scope unit's figures (the engine's) and no unit outside the subtree."""
    scope = units["scope"]
    f = Filters(2021, 2023, unit=scope)
    s = engine(db, "summary", f)
    assert units["names"][scope] in shown_texts(at)
    if name == "overview":
        assert metric(at, "Lượt đăng ký") == formatting.fmt_int(s["registrations"]["total"], "vi")
        assert metric(at, "Tập thể") == formatting.fmt_int(s["registrations"]["collective"], "vi")
    elif name == "units":
        ranking = at.dataframe[0].value
        expected = engine(db, "by_unit", f)["ten_don_vi"].to_list()
        direct = t("units.direct", "vi", unit=units["names"][scope])  # the unit's own records
        assert sorted(n for n in ranking[t("common.unit", "vi")] if n != direct) == sorted(expected)
    elif name == "compare":
        table = at.dataframe[0].value
        row = table[table["Chỉ số"] == "Lượt đăng ký"].iloc[0]
        assert row["2021-2023"] == formatting.fmt_int(s["registrations"]["total"], "vi")
        before = engine(db, "summary", Filters(2018, 2020, unit=scope))["registrations"]["total"]
        assert row["2018-2020"] == formatting.fmt_int(before, "vi")
    elif name == "awards":
        assert metric(at, t("fig.awards", "vi")) == formatting.fmt_int(s["awards"]["total"], "vi")
    elif name == "quality":
        assert metric(at, t("fig.recognised", "vi")) == formatting.fmt_int(s["recognised"], "vi")
    elif name == "data":
        total = engine(db, "count_records", f, "dang_ky")
        assert formatting.fmt_int(total, "vi") in "\n".join(c.value for c in at.caption)
        shown = at.dataframe[0].value
        assert len(shown) and set(shown[t("col.ma_don_vi", "vi")]) <= units["subtree"]
    assert_no_foreign_name(at, units)
    # the unit picker lists the subtree only
    picker = at.selectbox(key="f_unit")
    assert len(picker.options) == len(units["subtree"])


@pytest.mark.parametrize("name", list(REPORT_PAGES))
def test_a_scoped_viewer_sees_only_their_subtree_on_every_page(app, demo_db, units, name):
    log_in(app, "lan")
    open_page(app, REPORT_PAGES[name])
    _check_page(app, name, demo_db, units)


@pytest.mark.parametrize("which", ["sibling", "root", "injection", "unknown", "sibling_child"])
@pytest.mark.parametrize("name", ["overview", "units", "data"])
def test_a_hand_edited_link_stays_in_scope(app, demo_db, units, name, which):
    unit = {
        "sibling": units["sibling"],
        "root": units["root"],
        "injection": "x' or '1'='1",
        "unknown": "KHONG-CO",
        "sibling_child": sorted(units["sibling_tree"] - {units["sibling"]})[0],
    }[which]
    app.query_params.update({"unit": unit, "from": "2021", "to": "2023"})
    run(app)  # the login page keeps the link
    log_in(app, "lan")
    assert [w.value for w in app.warning] == [
        t("auth.unit_refused", "vi", unit=units["names"][units["scope"]])
    ]
    assert app.session_state["f_unit"] == ""  # the user's own unit
    assert "unit" not in app.query_params  # the URL now says what is shown
    open_page(app, REPORT_PAGES[name])
    _check_page(app, name, demo_db, units)


def test_a_link_to_a_unit_inside_the_scope_opens_it(app, demo_db, units):
    child = sorted(units["subtree"] - {units["scope"]})[0]
    app.query_params["unit"] = child
    log_in(app, "lan")
    assert app.session_state["f_unit"] == child and not app.warning
    expected = engine(demo_db, "summary", Filters(2021, 2023, unit=child))["registrations"]["total"]
    assert metric(app, "Lượt đăng ký") == formatting.fmt_int(expected, "vi")


# --- the data layer itself (shared._call), without the UI ----------------------------------------------


def _data_script(user, unit):
    import streamlit as st

    from dashboard import shared
    from queries.figures import Filters

    if user is not None:
        st.session_state[shared.USER_KEY] = user
    f = Filters(2021, 2023, unit=unit)
    st.text(str(shared.summary(f)["registrations"]["total"]))
    st.text(",".join(sorted(set(shared.all_records_loader(f, "dang_ky")()["ma_don_vi"].to_list()))))
    st.text(",".join(shared.unit_outline()["ma_don_vi"].to_list()))


def _data_app(unit: str | None, user: auth.User | None) -> AppTest:
    return AppTest.from_function(_data_script, args=(user, unit), default_timeout=TIMEOUT)


def test_the_data_layer_enforces_the_scope_before_its_cache(env, demo_db, units, users_file):
    users = auth.load_users(users_file)
    sibling = units["sibling"]
    # The admin asks for the sibling first: its result is cached under the sibling's filters...
    admin = run(_data_app(sibling, users["quantri"]))
    sibling_total = engine(demo_db, "summary", Filters(2021, 2023, unit=sibling))["registrations"]["total"]
    assert admin.text[0].value == str(sibling_total)
    # ...the scoped viewer asking for the same filters gets their own unit, not the cached entry.
    lan = run(_data_app(sibling, users["lan"]))
    own = engine(demo_db, "summary", Filters(2021, 2023, unit=units["scope"]))["registrations"]["total"]
    assert lan.text[0].value == str(own)
    assert set(lan.text[1].value.split(",")) <= units["subtree"]
    assert set(lan.text[2].value.split(",")) == units["subtree"]


def _every_call_script(user, asked, own):
    import streamlit as st

    from dashboard import shared
    from queries.figures import Filters

    st.session_state[shared.USER_KEY] = user

    def calls(unit):
        f = Filters(2021, 2023, unit=unit)
        g = Filters(2018, 2020, unit=unit)
        return {
            "summary": shared.summary(f),
            "trend": shared.trend(f),
            "by_unit": shared.by_unit(f),
            "compare": shared.compare(g, f, "vi"),
            "breakdown": shared.breakdown(f, "linh_vuc"),
            "awards_breakdown": shared.awards_breakdown(f),
            "compliance_matrix": shared.compliance_matrix(f, per="child"),
            "score_distribution": shared.score_distribution(f),
            "unit_tree": shared.unit_tree(f),
            "records": shared.records(f, "dang_ky", 50, 0),
            "count_records": shared.count_records(f, "dang_ky"),
            "loader": shared.all_records_loader(f, "khen_thuong")(),
        }

    got, expected = calls(asked), calls(own)
    for name in got:
        same = (
            got[name] == expected[name]
            if not hasattr(got[name], "equals")
            else got[name].equals(expected[name])
        )
        st.text(f"{name}: {'same' if same else 'DIFFERENT'}")


@pytest.mark.parametrize("which", ["sibling", "root", "injection", "none"])
def test_every_data_call_is_scoped_whatever_unit_is_asked(env, units, users_file, which):
    asked = {"sibling": units["sibling"], "root": units["root"], "injection": "x' or '1'='1", "none": None}[
        which
    ]
    lan = auth.load_users(users_file)["lan"]
    at = run(
        AppTest.from_function(_every_call_script, args=(lan, asked, units["scope"]), default_timeout=TIMEOUT)
    )
    lines = [x.value for x in at.text]
    assert len(lines) == 12 and all(line.endswith(": same") for line in lines), lines


def test_the_data_layer_fails_closed_without_a_user(env):
    at = _data_app(None, None)
    saved = st_config.get_option("client.showErrorDetails")
    st_config.set_option("client.showErrorDetails", "full")  # the app's "none" would hide the type
    try:
        at.run()
    finally:
        st_config.set_option("client.showErrorDetails", saved)
    assert at.exception and "PermissionError" in at.exception[0].value + str(at.exception[0].stack_trace)
    assert not at.text


# --- downloads: scoped and recorded -----------------------------------------------------------------------


def _rows(name: str, data: bytes) -> tuple[list[str], list[list]]:
    """Header and rows of a downloaded CSV, or of the data sheet of a workbook."""
    if name.endswith(".csv"):  # Vietnamese: ";" as Excel on a Vietnamese Windows
        table = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
        return table[0], table[1:]
    sheets = openpyxl.load_workbook(io.BytesIO(data)).worksheets  # the data first, the filters last
    table = [list(r) for r in sheets[0].iter_rows(values_only=True)]
    return [str(h) for h in table[0]], table[1:]


@pytest.mark.parametrize("name", list(REPORT_PAGES))
def test_every_download_is_scoped_and_recorded(app, demo_db, units, audit_log, deferred, name):
    log_in(app, "lan")
    open_page(app, REPORT_PAGES[name])
    buttons = app.get("download_button")
    assert buttons, "the page offers downloads"
    ids = [b.proto.deferred_file_id for b in buttons]
    assert all(ids), "every download is built on click (and recorded then)"
    before = len(records(audit_log))
    for file_id in ids:
        build, file_name = deferred[file_id]
        data = build()
        assert isinstance(data, bytes) and data
        assert units["scope"] in file_name  # the enforced unit is in the name
        header, rows = _rows(file_name, data)
        code = t("common.code", "vi")
        if code in header:  # a table of units or records: every row inside the subtree
            column = header.index(code)
            assert {r[column] for r in rows} <= units["subtree"], file_name
        if file_name.endswith(".xlsx"):  # the filters sheet (last) says which unit
            last = openpyxl.load_workbook(io.BytesIO(data)).worksheets[-1]
            cells = [str(c) for row in last.iter_rows(values_only=True) for c in row if c]
            assert any(units["scope"] in c for c in cells), cells
        text = data.decode("utf-8-sig") if file_name.endswith(".csv") else repr(rows)
        assert not [n for n in units["foreign"] if n in text], file_name
    logged = records(audit_log)[before:]
    assert len(logged) == len(ids)
    for entry in logged:
        assert (entry["action"], entry["user"], entry["scope"]) == ("download", "lan", units["scope"])
        assert entry["filters"]["unit"] in units["subtree"]
        assert entry["what"] in {deferred[i][1] for i in ids}


def test_the_data_page_csv_holds_the_whole_scope(app, demo_db, units, audit_log, deferred):
    app.query_params["unit"] = units["sibling"]  # asked for, refused
    log_in(app, "lan")
    open_page(app, REPORT_PAGES["data"])
    [csv_button] = [b for b in app.get("download_button") if b.proto.label.startswith("Tải toàn bộ")]
    build, file_name = deferred[csv_button.proto.deferred_file_id]
    header, rows = _rows(file_name, build())
    column = header.index("Mã đơn vị")
    assert rows and {r[column] for r in rows} <= units["subtree"]
    assert len(rows) == engine(demo_db, "count_records", Filters(2021, 2023, unit=units["scope"]), "dang_ky")
    [entry] = records(audit_log)[-1:]
    assert entry["what"] == file_name and entry["table"] == "dang_ky"
    assert entry["filters"]["unit"] == units["scope"] and entry["filters"]["year_from"] == 2021


# --- the import page ----------------------------------------------------------------------------------


def test_the_import_page_is_absent_for_a_viewer(app):
    log_in(app, "lan")
    titles = [p.get("page_name") for p in app._registered_pages.values()]
    assert t("page.import", "vi") not in titles and t("page.data", "vi") in titles
    with pytest.raises(ValueError):
        app.switch_page(IMPORT_PAGE)


def test_the_import_page_is_there_for_an_importer_and_an_admin(app):
    log_in(app, "hung")
    run(app.switch_page(IMPORT_PAGE))
    assert app.title[0].value == t("import.title", "vi")
    assert [p.get("page_name") for p in app._registered_pages.values()].count(t("page.import", "vi")) == 1


def _csv(*rows: str) -> bytes:
    header = '"Mã đăng ký","Năm","Mã đơn vị","Đối tượng","Tên tập thể, cá nhân","Tên mô hình","Lĩnh vực"'
    return ("\ufeff" + "\r\n".join([header, *rows]) + "\r\n").encode("utf-8")


@pytest.fixture
def writable(demo_db, users_file, audit_log, tmp_path, monkeypatch) -> tuple[AppTest, Path]:
    db = tmp_path / "dvk.duckdb"
    shutil.copy(demo_db, db)
    monkeypatch.setenv(store.ENV_DB, str(db))
    monkeypatch.setenv(auth.ENV_USERS, str(users_file))
    return AppTest.from_file(APP, default_timeout=TIMEOUT), db


def _upload_and_check(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader(key="uploads").set_value((name, data, "text/csv"))
    run(at)
    [check] = [b for b in at.button if b.label == t("import.check", "vi")]
    check.click()
    return run(at)


def _a_registration_key(db: Path, unit: str) -> str:
    cur = _cursor(db)
    try:
        return cur.execute(
            "select min(ma_dang_ky) from dang_ky where ma_don_vi = $u", {"u": unit}
        ).fetchall()[0][0]
    finally:
        cur.close()


def test_a_scoped_importer_imports_rows_of_their_units_and_it_is_audited(writable, units, audit_log):
    at, db = writable
    unit = units["sibling"]  # hung's unit
    before = engine(db, "summary", Filters(2024, 2024, unit=unit))["registrations"]["total"]
    log_in(at, "hung")
    run(at.switch_page(IMPORT_PAGE))
    _upload_and_check(
        at, "them.csv", _csv(f'"DK-HUNG-1",2024,"{unit}","Tập thể","Chi bộ A","Mô hình A","Kinh tế"')
    )
    assert at.success and not at.error
    [b for b in at.button if b.label == t("import.confirm", "vi")][0].click()
    run(at)
    assert any(t("import.done", "vi") in s.value for s in at.success)
    assert engine(db, "summary", Filters(2024, 2024, unit=unit))["registrations"]["total"] == before + 1
    [entry] = [e for e in records(audit_log) if e["action"] == "import"]
    assert (entry["user"], entry["ok"], entry["what"], entry["written"]) == ("hung", True, ["them.csv"], True)
    assert isinstance(entry["import_id"], int)


@pytest.mark.parametrize("case", ["other_unit", "root", "foreign_key", "new_unit_outside"])
def test_a_scoped_importer_cannot_import_rows_outside_their_scope(writable, units, audit_log, case):
    at, db = writable
    own, other = units["sibling"], units["scope"]  # hung is scoped to the sibling; lan's unit is outside
    if case == "other_unit":
        name, data = (
            "dang_ky.csv",
            _csv(f'"DK-X-1",2024,"{other}","Tập thể","Chi bộ A","Mô hình A","Kinh tế"'),
        )
    elif case == "root":
        name, data = (
            "dang_ky.csv",
            _csv(f'"DK-X-2",2024,"{units["root"]}","Tập thể","B","Mô hình B","Kinh tế"'),
        )
    elif case == "foreign_key":  # the key of another unit's registration, re-labelled as one's own
        key = _a_registration_key(db, other)
        name, data = "dang_ky.csv", _csv(f'"{key}",2021,"{own}","Tập thể","C","Mô hình C","Kinh tế"')
    else:  # a new unit hung would attach under lan's unit
        header = '"Mã đơn vị","Tên đơn vị","Mã đơn vị cấp trên","Cấp"'
        row = f'"MOI-01","Chi bộ mới","{other}","Chi bộ trực thuộc"'
        name, data = "don_vi.csv", ("\ufeff" + header + "\r\n" + row + "\r\n").encode("utf-8")
    counts_before = {tb: engine(db, "count_records", Filters(2018, 2025), tb) for tb in ("dang_ky",)}
    log_in(at, "hung")
    run(at.switch_page(IMPORT_PAGE))
    _upload_and_check(at, name, data)
    assert at.error, "refused"
    message = at.error[0].value
    assert message.startswith("Không nhập")
    assert not [b for b in at.button if b.label == t("import.confirm", "vi")]
    assert {tb: engine(db, "count_records", Filters(2018, 2025), tb) for tb in ("dang_ky",)} == counts_before
    [entry] = [e for e in records(audit_log) if e["action"] == "import"]
    assert (entry["user"], entry["ok"], entry["refused"], entry["dry_run"]) == ("hung", False, "scope", True)


def test_a_scoped_importer_may_add_a_unit_under_their_own(writable, units):
    at, db = writable
    own = units["sibling"]
    header = '"Mã đơn vị","Tên đơn vị","Mã đơn vị cấp trên","Cấp"'
    row = f'"MOI-02","Chi bộ mới của Hùng","{own}","Chi bộ trực thuộc"'
    log_in(at, "hung")
    run(at.switch_page(IMPORT_PAGE))
    _upload_and_check(at, "don_vi.csv", ("\ufeff" + header + "\r\n" + row + "\r\n").encode("utf-8"))
    assert at.success and not at.error, [e.value for e in at.error]


def test_an_upload_over_the_size_limit_is_refused_with_its_name(writable):
    at, _ = writable
    log_in(at, "quantri")
    run(at.switch_page(IMPORT_PAGE))
    saved = st_config.get_option("server.maxUploadSize")
    st_config.set_option("server.maxUploadSize", 1)
    try:
        at.file_uploader(key="uploads").set_value(
            ("qua_lon.csv", _csv() + b"x" * (1024 * 1024 + 10), "text/csv")
        )
        run(at)
    finally:
        st_config.set_option("server.maxUploadSize", saved)
    assert any("qua\\_lon\\.csv" in e.value and "1 MB" in e.value for e in at.error), [
        e.value for e in at.error
    ]
    assert not [b for b in at.button if b.label == t("import.check", "vi")]


def test_the_serve_command_and_the_config_keep_xsrf_on_limit_uploads_and_exports():
    conf = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    server = conf.get("server", {})
    assert server.get("enableXsrfProtection", True) is True
    assert server.get("enableCORS", True) is True  # CORS off would make Streamlit drop XSRF protection
    assert 0 < server["maxUploadSize"] <= 200
    options = serve.STREAMLIT_OPTIONS
    assert options.get("server.enableXsrfProtection", "true") == "true"
    assert options.get("server.enableCORS", "true") == "true"
    assert int(options["server.maxUploadSize"]) == server["maxUploadSize"]
    # every download goes through the app's recorded buttons: no built-in CSV export of tables
    assert conf["client"]["disableDataExport"] is True and options["client.disableDataExport"] == "true"
    cmd = " ".join(serve.command(_serve_args(), Path("x.duckdb"))[0]).lower()
    assert not re.search(r"xsrf\S*\s+false", cmd) and not re.search(r"cors\S*\s+false", cmd)


def _serve_args():
    return command_args(serve, [])


def test_no_secret_is_committed():
    assert not (ROOT / ".streamlit" / "secrets.toml").exists() or _ignored(".streamlit/secrets.toml")
    assert not (ROOT / "users.toml").exists() or _ignored("users.toml")


def _ignored(path: str) -> bool:
    import subprocess

    return subprocess.run(["git", "check-ignore", "-q", path], cwd=ROOT).returncode == 0


# --- OIDC (st.login) -----------------------------------------------------------------------------------


def test_oidc_offers_its_login_button(app):
    app.secrets = OIDC_SECRETS
    app.user = {"is_logged_in": False}
    run(app)
    assert t("login.oidc", "vi") in [b.label for b in app.button]


def test_an_oidc_identity_maps_to_its_user_by_email(app, demo_db, units, audit_log):
    app.secrets = OIDC_SECRETS
    app.user = {"is_logged_in": True, "email": "LAN@example.vn", "email_verified": True}
    run(app)
    run(app)
    expected = engine(demo_db, "summary", Filters(2021, 2023, unit=units["scope"]))["registrations"]["total"]
    assert metric(app, "Lượt đăng ký") == formatting.fmt_int(expected, "vi")
    assert [(e["action"], e["user"], e["method"]) for e in records(audit_log)] == [("login", "lan", "oidc")]


@pytest.mark.parametrize(
    "claims", [{"email": "ai.do@example.vn"}, {"email": "lan@example.vn", "email_verified": False}]
)
def test_an_unknown_or_unverified_oidc_identity_is_refused(app, audit_log, claims):
    app.secrets = OIDC_SECRETS
    app.user = {"is_logged_in": True, **claims}
    run(app)
    assert app.title[0].value == t("login.title", "vi") and not app.metric
    assert app.error and md(claims["email"]) in app.error[0].value
    assert t("auth.logout", "vi") in [b.label for b in app.button]
    [entry] = records(audit_log)
    assert (entry["action"], entry["user"], entry["method"]) == ("login_failed", claims["email"], "oidc")


def test_dvk_serve_passes_the_users_file_and_warns_in_open_mode(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv(auth.ENV_USERS, raising=False)
    db = tmp_path / "given.duckdb"
    db.write_bytes(b"")
    args = _serve_args()
    args.users = str(tmp_path / "users.toml")
    _, env = serve.command(args, db)
    assert env[auth.ENV_USERS] == str((tmp_path / "users.toml").resolve())
    monkeypatch.setattr(serve.os, "execve", lambda *a: None)
    monkeypatch.setattr(serve.os, "chdir", lambda path: None)
    args.db = str(db)
    serve.run(args)
    assert "Chế độ mở" in capsys.readouterr().err  # no such file yet: open mode, said at the start
    auth.add_user(tmp_path / "users.toml", "lan", PASSWORDS["lan"], "viewer", "DBK.01")
    serve.run(args)
    assert "Chế độ mở" not in capsys.readouterr().err


def test_the_import_page_itself_refuses_a_viewer(env, users_file):
    # The page checks the role again: as if its URL were reached without the navigation.
    at = AppTest.from_file(str(ROOT / "dashboard" / "views" / "import_data.py"), default_timeout=TIMEOUT)
    at.session_state[shared.USER_KEY] = auth.load_users(users_file)["lan"]
    run(at)
    assert at.error and "không có quyền nhập dữ liệu" in at.error[0].value
    assert not at.get("file_uploader") and not at.get("download_button")


def test_the_template_download_is_recorded_too(app, audit_log, deferred):
    log_in(app, "hung")
    run(app.switch_page(IMPORT_PAGE))
    # the page also offers the submission status's follow-up list: the template is the .xlsx one
    [(build, file_name)] = [
        deferred[b.proto.deferred_file_id]
        for b in app.get("download_button")
        if deferred[b.proto.deferred_file_id][1].endswith(".xlsx")
    ]
    assert build().startswith(b"PK")  # a workbook
    [entry] = [e for e in records(audit_log) if e["action"] == "download"]
    assert (entry["user"], entry["what"], entry["table"]) == ("hung", file_name, "template")
