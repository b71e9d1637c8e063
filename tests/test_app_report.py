"""The Báo cáo page through Streamlit's AppTest: it takes the sidebar's filters, shows the outline as
plain text, lets the leader set the letterhead, and its download is the file `dvk report` writes for
the same filters."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from streamlit.testing.v1 import AppTest
from support.apptest import APP, run

from dashboard.i18n import t
from queries import audit, auth, cli, store

PAGE = "views/report.py"
TIMEOUT = 120


@pytest.fixture
def app(demo_db, monkeypatch) -> AppTest:
    monkeypatch.setenv(store.ENV_DB, str(demo_db))
    return AppTest.from_file(APP, default_timeout=TIMEOUT)


def open_page(at: AppTest, **params: str) -> AppTest:
    for key, value in params.items():
        at.query_params[key] = value
    run(at)
    return run(at.switch_page(PAGE))


def downloaded(at: AppTest, deferred: dict) -> bytes:
    """The .docx the page's download button gives (built as a click would)."""
    for button in at.get("download_button"):
        build, name = deferred[button.proto.deferred_file_id]
        if name.endswith(".docx"):
            return build()
    raise AssertionError("no .docx download on the page")


def document_xml(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("word/document.xml")


def outline(at: AppTest) -> list[str]:
    return [element.value for element in at.text]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_page_runs_and_previews_the_outline_as_text(app, lang):
    open_page(app, lang=lang)
    assert app.title[0].value == t("report.title", lang)
    lines = outline(app)
    if lang == "vi":
        assert "I. ĐẶC ĐIỂM TÌNH HÌNH" in lines
        assert any("1.061 tập thể và 5.908 cá nhân" in line for line in lines)
        assert any("67/89 chi bộ, đảng bộ cơ sở (75,3%)" in line for line in lines)
    else:
        assert "I. THE ORGANISATION" in lines
        assert any("1,061 collectives and 5,908 individuals" in line for line in lines)
    assert not [m for m in app.markdown if "1.061" in m.value or "1,061" in m.value]  # never markdown


def test_the_download_is_the_file_the_command_writes(app, demo_db, deferred, tmp_path):
    open_page(app, **{"from": "2021", "to": "2023", "cmp": "2018-2020"})
    data = downloaded(app, deferred)
    out = tmp_path / "cli.docx"
    assert cli.main(["--db", str(demo_db), "report", "--from", "2021", "--to", "2023",
                     "--compare", "2018-2020", "--out", str(out)]) == 0  # fmt: skip
    assert document_xml(data) == document_xml(out.read_bytes())
    assert data == out.read_bytes()  # fixed zip times: the very same file


def test_the_page_follows_the_sidebar_unit_and_the_letterhead_fields(app, demo_db, deferred, tmp_path):
    open_page(app, **{"from": "2022", "to": "2022", "unit": "DBK.02", "cmp": "none"})
    lines = outline(app)
    assert any(line.startswith("Năm 2022, các chi bộ, đảng bộ cơ sở có") for line in lines)
    issuer = next(w for w in app.text_input if w.label == t("report.issuer", "vi"))
    assert issuer.value == "ĐẢNG ỦY CỤC THUẾ TỈNH"  # from the unit "Đảng bộ Cục Thuế tỉnh"
    superior = next(w for w in app.text_input if w.label == t("report.superior", "vi"))
    # the unit's superior today (it moved from the bloc to the Đảng bộ UBND tỉnh on 01/02/2025)
    assert superior.value == "ĐẢNG BỘ UBND TỈNH"
    name = next(w for w in app.text_input if w.label == t("report.signer_name", "vi"))
    name.set_value("Nguyễn Văn A")
    run(app)
    document = docx.Document(io.BytesIO(downloaded(app, deferred)))
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    assert any("Nguyễn Văn A" in c for c in cells)
    assert any("ĐẢNG ỦY CỤC THUẾ TỈNH" in c for c in cells)

    out = tmp_path / "cli.docx"
    assert cli.main(["--db", str(demo_db), "report", "--from", "2022", "--to", "2022", "--unit", "DBK.02",
                     "--signer-name", "Nguyễn Văn A", "--out", str(out)]) == 0  # fmt: skip
    texts = [p.text for p in document.paragraphs]
    assert texts == [p.text for p in docx.Document(str(out)).paragraphs]


def test_a_scoped_readers_report_holds_only_their_subtree_and_is_recorded(
    demo_db, deferred, tmp_path, monkeypatch
):
    """A viewer of DBK.02 (Đảng bộ Cục Thuế tỉnh): the report is of their unit whatever the URL asks,
    names nothing outside their subtree (not even the bloc above them), and the download is logged."""
    users = tmp_path / "users.toml"
    auth.add_user(users, "lan", "lan-mat-khau-1", "viewer", "DBK.02", "Nguyễn Thị Lan")
    log = tmp_path / "audit.jsonl"
    monkeypatch.setenv(store.ENV_DB, str(demo_db))
    monkeypatch.setenv(auth.ENV_USERS, str(users))
    monkeypatch.setenv(audit.ENV_AUDIT, str(log))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["unit"] = "DBK"  # asks for the root: the scope stays DBK.02
    run(at)
    at.text_input(key="auth_login_name").input("lan")
    at.text_input(key="auth_login_password").input("lan-mat-khau-1")
    next(b for b in at.button if b.label == t("login.submit", "vi")).click()
    run(at)
    run(at.switch_page(PAGE))
    superior = next(w for w in at.text_input if w.label == t("report.superior", "vi"))
    assert superior.value == ""
    [button] = [b for b in at.get("download_button")]
    build, name = deferred[button.proto.deferred_file_id]
    assert "DBK.02" in name
    document = docx.Document(io.BytesIO(build()))
    text = "\n".join(
        [p.text for p in document.paragraphs]
        + [c.text for table in document.tables for row in table.rows for c in row.cells]
    )
    assert "ĐẢNG ỦY CỤC THUẾ TỈNH" in text
    bloc = "Đảng bộ Khối Cơ quan và Doanh nghiệp tỉnh"  # the unit above (DBK): never named
    assert bloc.lower() not in text.lower() and "KHỐI CƠ QUAN" not in text
    [entry] = [e for e in audit.read_log(log) if e["action"] == "download"]
    assert (entry["action"], entry["user"], entry["what"]) == ("download", "lan", name)
    assert entry["filters"]["unit"] == "DBK.02"
