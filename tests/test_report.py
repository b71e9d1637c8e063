"""The phase report (`dvk report`, queries/report): every quoted figure is the engine's (checked against
`dvk summary --json` for the same filters), the Party's format (A4, margins, Times New Roman, the
letterhead, the signing block, header rows repeated), the same bytes for the same report, the
comparison convention (A − B, % of B, percentage points), an office's own template, bad input.

The hand-worked figures are those of tests/support/builders.bloc() over 2021-2023 (its docstring in
test_figures.py draws the bloc): 4 collective and 3 individual registrations; 3 grassroots units
(A, B, E), of which A held a commendation conference (c1) and A and B registered; 10 chi bộ-years of
which 2 met the target (A1 in 2021, A2 in 2022); 3 of 7 registrations recognised (r1, r3, r6);
awards: Cơ sở 1 collective + 1 individual (a1, a2), Đảng ủy Khối 1 collective (a3); 1 nomination
to UBND tỉnh (a4). Baseline 2018-2020: 2 registrations (r8, r9).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Pt

from queries import cli, formatting
from queries.demo import build_demo_database
from queries.figures import Filters
from queries.report import ReportOptions, build_report, report_docx
from tests.support.builders import DataSet, bloc, cursor
from tests.support.phrases import says


@pytest.fixture(scope="module")
def bloc_db(tmp_path_factory) -> Path:
    return bloc().build(tmp_path_factory.mktemp("bloc"))


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "dvk.duckdb"
    assert build_demo_database(path).ok
    return path


def run_report(db: Path, out: Path, *args: str) -> int:
    return cli.main(["--db", str(db), "report", "--from", "2021", "--to", "2023", "--out", str(out), *args])


def summary_json(db: Path, capsys, *args: str) -> dict:
    """What `dvk summary --json` says for the same filters (called in-process)."""
    capsys.readouterr()
    assert cli.main(["--db", str(db), "summary", "--from", "2021", "--to", "2023", "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def body_text(document: docx.document.Document) -> str:
    """Every paragraph of the body outside tables, one per line."""
    return "\n".join(p.text for p in document.paragraphs)


def all_text(document: docx.document.Document) -> str:
    """Paragraphs and table cells."""
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return body_text(document) + "\n" + "\n".join(cells)


@pytest.fixture(scope="module")
def bloc_report(bloc_db, tmp_path_factory) -> docx.document.Document:
    out = tmp_path_factory.mktemp("out") / "bao_cao.docx"
    assert run_report(bloc_db, out, "--compare", "2018-2020", "--place", "Vĩnh Long") == 0
    return docx.Document(str(out))


# --- every figure is the engine's --------------------------------------------------------------------


def test_the_body_quotes_the_hand_worked_figures(bloc_report):
    text = body_text(bloc_report)
    says(
        text,
        "các chi bộ, đảng bộ cơ sở có 4 tập thể và 3 cá nhân đăng ký thực hiện",
        "2/3 tổ chức cơ sở đảng (66,7%) có mô hình đăng ký",
        "Có 1/3 chi bộ, đảng bộ cơ sở (33,3%) tổ chức hội nghị tuyên dương, khen thưởng",
        "cho 1 tập thể và 1 cá nhân",
        "Đảng ủy Khối khen thưởng cho 1 tập thể",
        "đề nghị UBND tỉnh khen thưởng cho 1 cá nhân",
        "Trong 10 lượt chi bộ - năm, có 2 lượt (20,0%) đạt chỉ tiêu",
        "Có 3/7 lượt đăng ký (42,9%) được công nhận",
    )
    assert "năm 2021 có 2 lượt" in text and "năm 2022 có 3 lượt" in text and "năm 2023 có 2 lượt" in text


def test_every_quoted_figure_is_the_summary_commands(bloc_report, bloc_db, capsys):
    s = summary_json(bloc_db, capsys)
    text = body_text(bloc_report)
    fi, fp = formatting.fmt_int, formatting.fmt_pct
    regs = s["registrations"]
    local = s["awards"]["by_level"]["Cơ sở"]
    expected = [
        f"{fi(regs['collective'])} tập thể và {fi(regs['individual'])} cá nhân đăng ký thực hiện",
        f"tổng số {fi(regs['total'])} lượt đăng ký",
        f"{fi(s['units_with_registration'])}/{fi(s['grassroots_units'])} tổ chức cơ sở đảng ({fp(s['coverage_rate'])})",
        f"{fi(s['units_with_conference'])}/{fi(s['grassroots_units'])} chi bộ, đảng bộ cơ sở ({fp(s['conference_rate'])})",
        f"cho {fi(local['collective'])} tập thể và {fi(local['individual'])} cá nhân",
        f"Trong {fi(s['branch_years'])} lượt chi bộ - năm, có {fi(s['branch_years_meeting_target'])} lượt "
        f"({fp(s['target_compliance_rate'])})",
        f"{fi(s['recognised'])}/{fi(regs['total'])} lượt đăng ký ({fp(s['recognition_rate'])})",
        f"{fi(regs['by_result']['Tiêu biểu'])} lượt tiêu biểu",
        f"{fi(regs['by_result']['Không đạt'])} lượt không đạt",
        f"{formatting.fmt_num(s['mean_score'])}/100 điểm",
        f"Tổng số {fi(s['awards']['total'])} lượt khen thưởng",
        f"{fi(regs['by_movement']['Dân vận khéo'])} lượt đăng ký mô hình “Dân vận khéo”",
        f"{fi(regs['by_kind']['Mô hình'])} mô hình và {fi(regs['by_kind']['Điển hình'])} điển hình",
        *(f"năm {y['year']} có {fi(y['registrations'])} lượt" for y in s["by_year"]),
    ]
    for level, split in s["awards"]["by_level"].items():
        if level != "Cơ sở" and (split["collective"] or split["individual"]):
            expected.append(f"{level} khen thưởng cho")
    missing = [e for e in expected if e not in text]
    assert not missing, missing


def test_the_unit_appendix_totals_are_the_scopes(bloc_report, bloc_db, capsys):
    s = summary_json(bloc_db, capsys)
    table = next(t for t in bloc_report.tables if t.rows[0].cells[1].text == "Đơn vị")
    total = [c.text for c in table.rows[-1].cells]
    assert total[1] == "Tổng cộng"
    assert total[2:] == [
        formatting.fmt_int(s["registrations"]["collective"]),
        formatting.fmt_int(s["registrations"]["individual"]),
        formatting.fmt_int(s["registrations"]["total"]),
        formatting.fmt_pct(s["target_compliance_rate"]),
        f"{s['units_with_conference']}/{s['grassroots_units']}",
        formatting.fmt_int(s["recognised"]),
        formatting.fmt_int(s["awards"]["total"]),
    ]
    names = [row.cells[1].text for row in table.rows[1:-1]]
    # the children A, B, E (C ended 2019, D starts 2024), and r7 recorded for K itself
    assert names == ["Đảng bộ A", "Đơn vị B", "Đơn vị E", "Ghi trực tiếp cho đơn vị báo cáo"]
    rows = {row.cells[1].text: [c.text for c in row.cells] for row in table.rows[1:-1]}
    assert rows["Đảng bộ A"][2:] == ["2", "3", "5", "40,0%", "Có", "2", "2"]  # 2 of 5: A1 3 years, A2 2
    assert rows["Đơn vị E"][6] == "Không"


def test_the_award_list_holds_every_award_and_the_nominations_apart(bloc_report):
    award_tables = [t for t in bloc_report.tables if t.rows[0].cells[1].text == "Tên tập thể, cá nhân"]
    assert len(award_tables) == 2  # awards, then nominations
    awards, nominations = award_tables
    assert len(awards.rows) - 1 == 3  # a1, a2, a3 (a4 is a nomination, a5 is of 2020)
    assert awards.rows[1].cells[5].text == "Đảng ủy Khối"  # the highest level first
    nominated = [c.text for c in nominations.rows[1].cells]
    assert (nominated[5], nominated[7]) == ("UBND tỉnh", "2023") and nominated[6].endswith("-QĐ/ĐUK")


def test_the_comparison_is_a_minus_b_with_percent_of_b_and_points_for_rates(bloc_report):
    text = body_text(bloc_report)
    # A = 7 registrations, B = 2 (r8 of 2019, r9 of 2020): +5, +250,0% of B
    assert "So với giai đoạn 2018-2020, lượt đăng ký tăng 5 (+250,0%) (7 so với 2)" in text
    table = next(t for t in bloc_report.tables if t.rows[0].cells[0].text == "Chỉ tiêu")
    rows = {row.cells[0].text: [c.text for c in row.cells[1:]] for row in table.rows[1:]}
    assert rows["Lượt đăng ký"] == ["7", "2", "+5", "+250,0%"]
    # coverage: A 2/3 = 66,7%; B: grassroots units A, B (from 2022: not in B), C (to 2019), E -> A (r9), C (r8)
    # of A, C, E = 66,7%: no change in points
    assert rows["Tỉ lệ TCCSĐ có đăng ký"][:3] == ["66,7%", "66,7%", "0,0 điểm\u00a0%"]


def test_the_assessment_names_the_units_below_the_scopes_rate(bloc_report):
    text = body_text(bloc_report)
    # the scope meets the target in 20,0% of chi bộ-years; B (0 of 2) and E (0 of 3) are below, A (2 of 5) is not
    assert "2 đơn vị có tỉ lệ chi bộ - năm đạt chỉ tiêu 1 DVK + 1 QCDC thấp hơn mức chung (20,0%)" in text
    assert "Đơn vị B (0,0%), Đơn vị E (0,0%)" in text
    assert "Đơn vị E" in text.split("chưa có mô hình đăng ký")[1]
    assert "Quốc phòng - an ninh (0, 0,0%)" in text  # no registration in that field: neglected


def test_the_directions_are_headings_left_to_write(bloc_report):
    text = body_text(bloc_report)
    part = text.split("IV. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI")[1]
    assert "1. Phương hướng" in part and "2. Nhiệm vụ, giải pháp" in part and "3. Kiến nghị, đề xuất" in part
    assert "……" not in part and "....." in part


# --- the Party's format ------------------------------------------------------------------------------


def test_the_page_is_a4_with_the_guidance_margins_and_a_landscape_appendix(bloc_report):
    body, appendix = bloc_report.sections[0], bloc_report.sections[-1]
    assert _mm(body.page_width, body.page_height) == (210, 297)
    assert body.orientation == WD_ORIENT.PORTRAIT
    top, bottom, left, right = _mm(body.top_margin, body.bottom_margin, body.left_margin, body.right_margin)
    assert 20 <= top <= 25 and 20 <= bottom <= 25 and 30 <= left <= 35 and 15 <= right <= 20
    assert appendix.orientation == WD_ORIENT.LANDSCAPE
    assert _mm(appendix.page_width, appendix.page_height) == (297, 210)


def _mm(*lengths) -> tuple[int, ...]:
    """Lengths in whole millimetres (Word stores twentieths of a point)."""
    return tuple(round(length.mm) for length in lengths)


def test_the_font_is_times_new_roman_13_to_14_in_the_body(bloc_report):
    normal = bloc_report.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size == Pt(14)
    body = [p for p in bloc_report.paragraphs if p.text.startswith("Giai đoạn 2021-2023, các chi bộ")]
    assert body, "the registrations paragraph"
    for run in body[0].runs:
        assert run.font.name == "Times New Roman"
        assert Pt(13) <= run.font.size <= Pt(14)
        fonts = run._element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == fonts.get(qn("w:cs")) == "Times New Roman"


def test_the_letterhead_title_and_signing_block(bloc_report):
    head = bloc_report.tables[0]
    left, right = (cell.paragraphs for cell in head.rows[0].cells)
    # K is a root: no superior line, the issuing body comes first, beside the Party's name
    assert [p.text for p in left] == ["ĐẢNG ỦY KHỐI K", "*", "Số\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0-BC/ĐUK"]
    assert left[0].runs[0].bold
    party = right[0]
    assert party.text == "ĐẢNG CỘNG SẢN VIỆT NAM" and party.runs[0].underline and party.runs[0].bold
    date_line = right[-1]
    assert re.fullmatch(r"Vĩnh Long, ngày\s+tháng\s+năm \d{4}", date_line.text)
    assert all(run.italic for run in date_line.runs)
    assert _borderless(head)

    paragraphs = bloc_report.paragraphs
    kind = next(p for p in paragraphs if p.text == "BÁO CÁO")
    assert kind.alignment == 1 and kind.runs[0].bold  # centred
    i = paragraphs.index(kind)
    assert paragraphs[i + 1].text == "kết quả thực hiện phong trào thi đua “Dân vận khéo” giai đoạn 2021-2023"
    headings = [p.text for p in paragraphs if re.match(r"^(I|II|III|IV)\. ", p.text)]
    assert headings == [
        "I. ĐẶC ĐIỂM TÌNH HÌNH",
        "II. KẾT QUẢ THỰC HIỆN",
        "III. ĐÁNH GIÁ CHUNG",
        "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI",
    ]

    sign = next(t for t in bloc_report.tables if "T/M BAN THƯỜNG VỤ" in t.rows[0].cells[1].text)
    recipients, signer = sign.rows[0].cells
    assert recipients.paragraphs[0].text == "Nơi nhận:"
    assert "- Các chi bộ, đảng bộ cơ sở," in recipients.text
    assert [p.text for p in signer.paragraphs if p.text] == ["T/M BAN THƯỜNG VỤ", "BÍ THƯ"]
    assert _borderless(sign)


def _borderless(table) -> bool:
    edges = table._tbl.tblPr.find(qn("w:tblBorders"))
    return edges is not None and all(e.get(qn("w:val")) == "nil" for e in edges)


def test_data_tables_repeat_their_header_row_on_each_page(bloc_report):
    data_tables = [t for t in bloc_report.tables if not _borderless(t)]
    assert len(data_tables) >= 5  # per year, awards, comparison, units, awards list, nominations
    for table in data_tables:
        first = table.rows[0]._tr.trPr
        assert first is not None and first.find(qn("w:tblHeader")) is not None
        assert all(row._tr.trPr.find(qn("w:tblHeader")) is None for row in table.rows[1:])


# --- one file, one set of options ----------------------------------------------------------------------


def test_the_same_report_gives_the_same_bytes(bloc_db):
    with cursor(bloc_db) as cur:
        first = report_docx(cur, Filters(2021, 2023), ReportOptions(compare=(2018, 2020)))
        second = report_docx(cur, Filters(2021, 2023), ReportOptions(compare=(2018, 2020)))
    assert first == second


def test_letterhead_options_reach_the_document(bloc_db, tmp_path):
    out = tmp_path / "r.docx"
    args = ["--superior", "ĐẢNG BỘ TỈNH X", "--issuer", "ĐẢNG ỦY KHỐI Y", "--symbol", "Số 12-BC/ĐUK",
            "--date", "05/02/2024", "--place", "Vĩnh Long", "--signer-title", "PHÓ BÍ THƯ",
            "--on-behalf", "T/M BAN THƯỜNG VỤ", "--signer-name", "Nguyễn Văn A", "--recipient", "- Lưu VP."]  # fmt: skip
    assert run_report(Path(bloc_db), out, *args) == 0
    document = docx.Document(str(out))
    text = all_text(document)
    for part in ("ĐẢNG BỘ TỈNH X", "ĐẢNG ỦY KHỐI Y", "Số 12-BC/ĐUK", "Vĩnh Long, ngày 05 tháng 02 năm 2024",
                 "PHÓ BÍ THƯ", "Nguyễn Văn A", "- Lưu VP.", "(Kèm theo Báo cáo số 12-BC/ĐUK)"):  # fmt: skip
        assert part in text, part
    assert "Các chi bộ, đảng bộ cơ sở," not in text  # the recipients given replace the default
    left = [p.text for p in document.tables[0].rows[0].cells[0].paragraphs]
    assert left == ["ĐẢNG BỘ TỈNH X", "ĐẢNG ỦY KHỐI Y", "*", "Số 12-BC/ĐUK"]  # the superior above


def test_the_default_letterhead_follows_the_scope_unit_and_its_superior(bloc_db):
    with cursor(bloc_db) as cur:
        report = build_report(cur, Filters(2021, 2023, unit="A"), ReportOptions())
    assert (report.superior, report.issuer) == ("ĐẢNG BỘ KHỐI K", "ĐẢNG ỦY A")
    assert report.symbol.endswith("-BC/ĐU") and report.on_behalf == "T/M ĐẢNG ỦY"
    assert report.recipients[0] == "- Đảng bộ Khối K (để báo cáo),"


def test_an_office_template_with_placeholders_is_filled(bloc_db, tmp_path):
    template = docx.Document()
    template.add_paragraph("Mẫu riêng: {{ co_quan_ban_hanh }} / {{ giai_doan }}")
    template.add_paragraph("{{p noi_dung }}")
    template.add_paragraph("{{ chuc_vu }} {{ nguoi_ky }}")
    path = tmp_path / "mau.docx"
    template.save(str(path))
    out = tmp_path / "r.docx"
    assert run_report(bloc_db, out, "--template", str(path), "--signer-name", "Trần B") == 0
    text = body_text(docx.Document(str(out)))
    assert "Mẫu riêng: ĐẢNG ỦY KHỐI K / 2021-2023" in text
    assert "4 tập thể và 3 cá nhân" in text
    assert "BÍ THƯ Trần B" in text


def test_a_bad_template_or_unit_is_rejected_with_a_message(bloc_db, tmp_path, capsys):
    out = tmp_path / "r.docx"
    not_docx = tmp_path / "mau.docx"
    not_docx.write_text("not a word file")
    assert run_report(bloc_db, out, "--template", str(not_docx)) == 1
    assert "Không đọc được mẫu báo cáo" in capsys.readouterr().err
    broken = docx.Document()
    broken.add_paragraph("{{ co_quan_ban_hanh ")
    broken.save(str(not_docx))
    assert run_report(bloc_db, out, "--template", str(not_docx), "--lang", "en") == 1
    assert "Cannot fill the report template" in capsys.readouterr().err
    assert run_report(bloc_db, out, "--unit", "NOPE") == 1
    assert "NOPE" in capsys.readouterr().err
    assert not out.exists()


def test_text_from_the_data_is_escaped_not_markup(tmp_path):
    d = DataSet()
    d.unit("K", cap="Đảng bộ Khối", name="Đảng bộ <w:p/> & {{ x }}")
    d.unit("A", "K", "Chi bộ cơ sở", name="Chi bộ </w:t>")
    d.reg(2023, "A")
    db = d.build(tmp_path)
    out = tmp_path / "r.docx"
    assert cli.main(["--db", str(db), "report", "--from", "2023", "--to", "2023", "--out", str(out)]) == 0
    text = all_text(docx.Document(str(out)))
    assert "ĐẢNG ỦY <W:P/> & {{ X }}" in text
    assert "Chi bộ </w:t>" in text
    with zipfile.ZipFile(out) as z:
        assert b"&lt;W:P/&gt; &amp; {{ X }}" in z.read("word/document.xml")


def test_the_report_in_english(bloc_db, tmp_path):
    out = tmp_path / "r.docx"
    assert run_report(bloc_db, out, "--lang", "en", "--compare", "2018-2020") == 0
    text = body_text(docx.Document(str(out)))
    assert "REPORT" in text and "I. THE ORGANISATION" in text
    assert "registered 4 collectives and 3 individuals" in text
    assert "1 of 3 grassroots party organisations (33.3%) held a commendation conference" in text
    assert "up 5 (+250.0%) (7 against 2)" in text


# --- the demo: the seed's figures ------------------------------------------------------------------------


def test_the_demo_report_says_the_seeds_figures(demo_db, tmp_path):
    out = tmp_path / "bao_cao.docx"
    assert run_report(demo_db, out) == 0
    document = docx.Document(str(out))
    text = body_text(document)
    says(
        text,
        "1.061 tập thể và 5.908 cá nhân",
        "Có 67/89 chi bộ, đảng bộ cơ sở (75,3%) tổ chức hội nghị tuyên dương, khen thưởng",
        "cho 126 tập thể và 156 cá nhân",
        "Đảng ủy Khối khen thưởng cho 61 tập thể và 110 cá nhân",
        "Ban Chỉ đạo tỉnh khen thưởng cho 2 cá nhân",
        "đề nghị UBND tỉnh khen thưởng cho 1 cá nhân",
    )
    assert len(document.tables) >= 5  # letterhead, per year, awards, signature, units, awards list...
    with zipfile.ZipFile(io.BytesIO(out.read_bytes())) as z:
        assert z.testzip() is None
