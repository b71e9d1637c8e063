"""The empty import template: opens, has the instructions and one sheet per table, imports as zero rows."""

from __future__ import annotations

import duckdb
import openpyxl
import pytest
from support.commands import run_command

from queries import template, vocab
from queries.commands import template as template_command
from queries.importer import import_files


@pytest.fixture(scope="module", params=["vi", "en"])
def written(request, tmp_path_factory):
    lang = request.param
    return lang, template.write_template(tmp_path_factory.mktemp(lang) / "mau.xlsx", lang=lang)


def test_sheets_and_headers(written):
    lang, path = written
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == template.INSTRUCTIONS_SHEET[lang]
    data_sheets = [name for name in wb.sheetnames if name in {t.label for t in vocab.TABLES}]
    assert data_sheets == [t.label for t in vocab.TABLES]
    for table in vocab.TABLES:
        ws = wb[table.label]
        assert [c.value for c in ws[1]] == [c.header for c in table.columns]
        assert ws.max_row == 1, "the template has no data rows"
        assert ws.freeze_panes == "A2"
        assert all(c.font.b for c in ws[1])
    # Only the instructions and the hidden lists are extra.
    extra = [ws for ws in wb.worksheets if ws.title not in {t.label for t in vocab.TABLES}]
    assert [ws.sheet_state for ws in extra] == ["visible", "hidden"]


def test_enum_columns_have_dropdowns_with_the_canonical_labels(written):
    _, path = written
    wb = openpyxl.load_workbook(path)
    lists = wb.worksheets[-1]
    for table in vocab.TABLES:
        ws = wb[table.label]
        by_column = {}
        for dv in ws.data_validations.dataValidation:
            by_column[str(dv.sqref).split(":")[0].rstrip("0123456789")] = dv
        for j, col in enumerate(table.columns):
            letter = openpyxl.utils.get_column_letter(j + 1)
            if not col.choices:
                continue
            dv = by_column[letter]
            assert dv.type == "list"
            # The formula points at a column of the lists sheet holding exactly the choices.
            ref = dv.formula1.split("!")[1].replace("$", "")
            values = [c.value for row in lists[ref] for c in row]
            assert tuple(values) == col.choices


def test_date_columns_are_formatted_dd_mm_yyyy(written):
    _, path = written
    wb = openpyxl.load_workbook(path)
    ws = wb[vocab.REGISTRATIONS.label]
    j = vocab.REGISTRATIONS.aliases.index("ngay_dang_ky")
    letter = openpyxl.utils.get_column_letter(j + 1)
    assert ws.column_dimensions[letter].number_format == "dd/mm/yyyy"


def test_instructions_cover_every_column(written):
    lang, path = written
    wb = openpyxl.load_workbook(path)
    ws = wb[template.INSTRUCTIONS_SHEET[lang]]
    first_cells = [row[0] for row in ws.iter_rows(values_only=True)]
    second_cells = [row[1] for row in ws.iter_rows(values_only=True)]
    for table in vocab.TABLES:
        for col in table.columns:
            assert col.header in first_cells
            assert col.alias in second_cells
    text = " ".join(str(v) for row in ws.iter_rows(values_only=True) for v in row if v)
    assert "dd/mm/yyyy" in text
    assert ("Khóa nhập lại" if lang == "vi" else "Re-import key") in text


def test_empty_template_imports_zero_rows(written, tmp_path):
    _, path = written
    db = tmp_path / "dvk.duckdb"
    report = import_files(db, [path])
    assert report.ok, [p.message("en") for p in report.problems]
    assert report.rows_read == {t.name: 0 for t in vocab.TABLES}
    assert all(c.added == 0 and c.updated == 0 for c in report.counts.values())
    with duckdb.connect(str(db), read_only=True) as con:
        for table in vocab.TABLES:
            assert con.execute(f"select count(*) from {table.name}").fetchall()[0][0] == 0  # noqa: S608


def test_template_is_reproducible(tmp_path):
    a = template.write_template(tmp_path / "a.xlsx")
    b = template.write_template(tmp_path / "b.xlsx")
    assert a.read_bytes() == b.read_bytes()


def _run(argv: list[str]) -> int:
    return run_command(template_command, argv)


def test_command_writes_the_template(tmp_path, capsys, monkeypatch):
    out = tmp_path / "sub" / "mau.xlsx"
    assert _run(["--out", str(out), "--lang", "en"]) == 0
    assert out.exists()
    assert str(out) in capsys.readouterr().out
    assert openpyxl.load_workbook(out).sheetnames[0] == "Instructions"
    monkeypatch.chdir(tmp_path)
    assert _run([]) == 0
    assert (tmp_path / template.DEFAULT_NAME).exists()
    assert _run(["--out", str(tmp_path / "mau.csv")]) == 2
