"""Issue 17 in Chromium: a 5 KB workbook with a cell in XFD1048576 used to abort the whole server
when an importer clicked "Kiểm tra". Now the page shows the message, and the server answers its
health check during and after the read (every other session lives on)."""

from __future__ import annotations

import threading
import time
import urllib.request
from pathlib import Path

import pytest
from support import bombs
from support.browser import require_chromium, running_dashboard
from support.files import write_xlsx

from queries.importer import import_files

pytestmark = pytest.mark.browser

require_chromium()
pytest.importorskip("playwright.sync_api")

TIMEOUT_MS = 60_000


def test_a_hostile_upload_is_a_message_and_the_server_keeps_answering(tmp_path, page):
    db = tmp_path / "dvk.duckdb"
    units = write_xlsx(
        tmp_path / "don_vi.xlsx", {"Đơn vị": [bombs.UNIT_HEADER, ["K", "Khối", None, "Đảng bộ Khối"]]}
    )
    assert import_files(db, [units]).ok
    upload = bombs.far_corner(tmp_path / "goc_xa.xlsx", "row_without_r")
    with running_dashboard(db, tmp_path / "streamlit.log") as dashboard:
        answers: list[int] = []
        done = threading.Event()

        def poll() -> None:  # the health check, every 0.2 s while the page works
            while not done.is_set():
                try:
                    answers.append(
                        urllib.request.urlopen(f"{dashboard.url}/_stcore/health", timeout=5).status
                    )
                except OSError:
                    answers.append(0)
                time.sleep(0.2)

        page.goto(f"{dashboard.url}/nhap-du-lieu")
        page.wait_for_selector('[data-testid="stFileUploaderDropzone"]', timeout=TIMEOUT_MS)
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(upload))
        button = page.get_by_role("button", name="Kiểm tra")
        button.wait_for(timeout=TIMEOUT_MS)
        watcher = threading.Thread(target=poll, daemon=True)
        watcher.start()
        button.click()
        # the problems table is a canvas grid: its cells are in the page for screen readers, hidden
        page.get_by_text("XFD1048576").first.wait_for(state="attached", timeout=TIMEOUT_MS)
        page.wait_for_selector(
            '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=TIMEOUT_MS
        )
        done.set()
        watcher.join()
        page.screenshot(path=str(tmp_path / "hostile_upload.png"), full_page=True)
        assert answers and set(answers) == {200}, answers
        assert dashboard.process.poll() is None, dashboard.log_text()[-3000:]
        assert "Không nhập: phát hiện 1 lỗi" in page.inner_text("body")
        assert page.get_by_text("goc_xa.xlsx").count()  # named by the user's file name
        assert urllib.request.urlopen(f"{dashboard.url}/_stcore/health", timeout=5).status == 200
    assert not list(Path("/tmp").glob("dvk-upload-*")) or all(
        not p.name.startswith(f"dvk-upload-{dashboard.process.pid}-")
        for p in Path("/tmp").glob("dvk-upload-*")
    )
