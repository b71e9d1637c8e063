"""What the dashboard's AppTest tests share: the app's path and its pages, a run that fails on an
exception, and the elements whose text is rendered as markdown."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
# The report pages by name: None is the default page (Tổng quan), the others a switch_page path.
REPORT_PAGES = {
    "overview": None,
    "units": "views/units.py",
    "compare": "views/compare.py",
    "awards": "views/awards.py",
    "quality": "views/quality.py",
    "data": "views/records.py",
}
IMPORT_PAGE = "views/import_data.py"
# Elements whose text Streamlit renders as markdown.
MARKDOWN_KINDS = (
    "title",
    "header",
    "subheader",
    "markdown",
    "caption",
    "info",
    "warning",
    "error",
    "success",
)


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_page(at: AppTest, page: str, params: dict[str, str]) -> AppTest:
    """The app on `page` (a switch_page path) with the URL's `params`, run; fails on an exception."""
    at.query_params.update(params)
    at.run()
    at.switch_page(page)
    return run(at)


def download(at: AppTest, deferred: dict, prefix: str, ext: str) -> bytes:
    """The bytes of the page's download whose file name starts with `prefix` and ends with `ext`
    (`deferred`: the download builders the test captured, by deferred file id)."""
    for button in at.get("download_button"):
        build, name = deferred[button.proto.deferred_file_id]
        if name.startswith(prefix) and name.endswith(ext):
            return build()
    raise AssertionError(f"no download {prefix}*{ext}")
