"""`dvk summary`, `dvk compare`, `dvk export` through queries.cli.main, and the golden demo figures.

The demo database is built once per test session from data/dvk_demo.xlsx by the real demo builder
(which goes through the real importer). Its 2021-2023 summary must give the seed figures of
DOMAIN.md section 5 and equal tests/golden/summary_2021_2023.json; regenerate that file with
UPDATE_GOLDEN=1 after checking the new figures by eye.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import openpyxl
import pytest
from support.builders import bloc
from support.commands import run_dvk

from queries import vocab
from queries.cli import main

GOLDEN = Path(__file__).parent / "golden" / "summary_2021_2023.json"


@pytest.fixture(scope="module")
def bloc_db(tmp_path_factory) -> Path:
    return bloc().build(tmp_path_factory.mktemp("cli"))


# --- golden: the seed figures on the demo database -----------------------------------------------


def test_demo_summary_gives_the_seed_figures(demo_db, capsys):
    code, out, err = run_dvk(
        capsys, "summary", "--db", str(demo_db), "--from", "2021", "--to", "2023", "--json"
    )
    assert code == 0, err
    s = json.loads(out)  # exactly one JSON object
    assert (s["from"], s["to"], s["unit"]) == (2021, 2023, None)
    # "1.061 tập thể và 5.908 cá nhân đăng ký thực hiện", growing every year
    assert (s["registrations"]["collective"], s["registrations"]["individual"]) == (1061, 5908)
    years = [y["registrations"] for y in s["by_year"]]
    assert years == sorted(years) and len(set(years)) == 3
    # "67/89 chi bộ, đảng bộ cơ sở tổ chức hội nghị tuyên dương, khen thưởng"
    assert (s["units_with_conference"], s["grassroots_units"]) == (67, 89)
    assert s["conference_rate"] == round(67 / 89, 6)
    # "... cho 126 tập thể và 156 cá nhân"; the bloc committee: 61 and 110
    assert s["awards"]["by_level"]["Cơ sở"] == {"collective": 126, "individual": 156}
    assert s["awards"]["by_level"]["Đảng ủy Khối"] == {"collective": 61, "individual": 110}
    # 1 individual nominated to UBND tỉnh; 2 individuals commended by the provincial steering committee
    assert s["nominations"]["by_level"]["UBND tỉnh"] == {"collective": 0, "individual": 1}
    assert s["awards"]["by_level"]["Ban Chỉ đạo tỉnh"] == {"collective": 0, "individual": 2}
    # the documented key set, zero-filled over every canonical label
    assert list(s["registrations"]["by_field"]) == list(vocab.FIELDS)
    assert list(s["registrations"]["by_movement"]) == list(vocab.MOVEMENTS)
    assert list(s["registrations"]["by_kind"]) == list(vocab.KINDS)
    assert list(s["awards"]["by_level"]) == list(vocab.AWARD_LEVELS)
    assert list(s["nominations"]["by_level"]) == list(vocab.AWARD_LEVELS)
    for key in ("coverage_rate", "conference_rate", "target_compliance_rate", "recognition_rate"):
        assert 0 <= s[key] <= 1


def test_demo_summary_equals_the_golden_file(demo_db, capsys):
    code, out, _ = run_dvk(
        capsys, "summary", "--db", str(demo_db), "--from", "2021", "--to", "2023", "--json"
    )
    assert code == 0
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(out, encoding="utf-8")
    assert json.loads(out) == json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_demo_narrative(demo_db, capsys):
    code, out, _ = run_dvk(capsys, "summary", "--db", str(demo_db), "--from", "2021", "--to", "2023")
    assert code == 0
    assert out.startswith(
        "Giai đoạn 2021-2023, các chi bộ, đảng bộ cơ sở có 1.061 tập thể và 5.908 cá nhân đăng ký thực hiện"
        ' mô hình "Dân vận khéo"; có 67/89 chi bộ, đảng bộ cơ sở (75,3%) tổ chức hội nghị tuyên dương,'
        " khen thưởng cho 126 tập thể và 156 cá nhân; Đảng ủy Khối khen thưởng 61 tập thể và 110 cá nhân;"
    )
    code, out, _ = run_dvk(
        capsys, "summary", "--db", str(demo_db), "--from", "2022", "--to", "2022", "--lang", "en"
    )
    assert code == 0 and out.startswith("In 2022, ")


# --- summary -----------------------------------------------------------------------------------------


def test_summary_json_with_filters(bloc_db, capsys):
    code, out, _ = run_dvk(
        capsys, "summary", "--db", str(bloc_db), "--from", "2021", "--to", "2023", "--unit", "A",
        "--field", "kinh te", "--json",
    )  # fmt: skip
    assert code == 0
    s = json.loads(out)
    assert s["unit"] == "A" and s["filters"]["field"] == "Kinh tế"
    assert s["registrations"]["total"] == 2  # r1 r3 (see test_figures)


def test_unknown_unit_is_rejected(bloc_db, capsys):
    code, out, err = run_dvk(
        capsys, "summary", "--db", str(bloc_db), "--from", "2021", "--to", "2023", "--unit", "NOPE"
    )
    assert code == 1 and out == ""
    assert "NOPE" in err
    code, _, err = run_dvk(
        capsys,
        "summary",
        "--db",
        str(bloc_db),
        "--from",
        "2021",
        "--to",
        "2023",
        "--unit",
        "X",
        "--lang",
        "en",
    )
    assert code == 1 and "No unit with code «X»" in err


def test_bad_year_range_is_rejected(bloc_db, capsys):
    code, _, err = run_dvk(capsys, "summary", "--db", str(bloc_db), "--from", "2023", "--to", "2021")
    assert code == 1 and "2023" in err and "2021" in err
    code, _, err = run_dvk(
        capsys, "summary", "--db", str(bloc_db), "--from", "1200", "--to", "2021", "--lang", "en"
    )
    assert code == 1 and "1200" in err


def test_bad_filter_label_is_rejected(bloc_db, capsys):
    code, _, err = run_dvk(
        capsys, "summary", "--db", str(bloc_db), "--from", "2021", "--to", "2023", "--movement", "xyz"
    )
    assert code == 1 and "xyz" in err and "QCDC" in err


def test_malformed_arguments_are_usage_errors(bloc_db, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["summary", "--db", str(bloc_db), "--from", "twenty", "--to", "2023"])
    assert exit_info.value.code == 2
    with pytest.raises(SystemExit) as exit_info:
        main(["compare", "--db", str(bloc_db), "--a", "2021-20x", "--b", "2018-2020"])
    assert exit_info.value.code == 2
    capsys.readouterr()


def test_missing_database_tells_how_to_create_one(tmp_path, capsys):
    missing = tmp_path / "none.duckdb"
    code, _, err = run_dvk(capsys, "summary", "--db", str(missing), "--from", "2021", "--to", "2023")
    assert code == 1 and "dvk demo" in err and "dvk import" in err
    for argv in (
        ["compare", "--a", "2021-2023", "--b", "2018-2020"],
        ["export", "--what", "dang_ky", "--format", "csv", "--from", "2021", "--to", "2023"],
    ):
        code, _, err = run_dvk(capsys, argv[0], "--db", str(missing), *argv[1:])
        assert code == 1 and "dvk demo" in err
    assert not missing.exists()


# --- compare -------------------------------------------------------------------------------------------


def test_compare_table_and_json(bloc_db, capsys):
    # A so với B: A = 2022-2023 (r3..r7), the period judged; B = 2021 (r1 r2), the baseline
    code, out, _ = run_dvk(capsys, "compare", "--db", str(bloc_db), "--a", "2022-2023", "--b", "2021")
    assert code == 0
    lines = out.splitlines()
    head = next(line for line in lines if line.startswith("Chỉ số "))  # a figure, not a target
    assert "A 2022-2023" in head and "B 2021" in head and "A - B" in head
    registrations = next(line for line in lines if line.startswith("Lượt đăng ký "))
    assert registrations.split()[-4:] == ["5", "2", "+3", "+150,0%"]
    recognition = next(line for line in lines if line.startswith("Tỉ lệ được công nhận "))
    assert recognition.split()[-6:] == ["40,0%", "50,0%", "-10,0", "điểm", "%", "–"]  # points; no % of a rate
    code, out, _ = run_dvk(
        capsys, "compare", "--db", str(bloc_db), "--a", "2022-2023", "--b", "2021", "--json"
    )
    payload = json.loads(out)
    assert payload["a"] == {"from": 2022, "to": 2023, "reported_years": [2022, 2023], "label": "2022-2023"}
    assert payload["b"] == {"from": 2021, "to": 2021, "reported_years": [2021], "label": "2021"}
    rows = {r["figure"]: r for r in payload["rows"]}
    assert rows["registrations"]["change"] == 3 and rows["registrations"]["change_pct"] == 1.5


def test_compare_against_a_period_without_data(bloc_db, capsys):
    # the bloc has registrations 2019-2023 only: 2010-2012 has no data, so no change at all
    code, out, _ = run_dvk(
        capsys, "compare", "--db", str(bloc_db), "--a", "2021-2023", "--b", "2010-2012", "--json"
    )
    assert code == 0
    payload = json.loads(out)
    assert payload["b"]["reported_years"] == [] and payload["b"]["label"] == "2010-2012, chưa có số liệu"
    assert all(r["change"] is None and r["change_pct"] is None for r in payload["rows"])
    code, out, _ = run_dvk(capsys, "compare", "--db", str(bloc_db), "--a", "2021-2023", "--b", "2010-2012")
    assert "không tính mức tăng giảm" in out and "-100" not in out and "+100" not in out


def test_summary_and_export_say_which_filters_do_not_apply(bloc_db, tmp_path, capsys):
    code, out, _ = run_dvk(
        capsys, "summary", "--db", str(bloc_db), "--from", "2021", "--to", "2023", "--field", "Kinh tế",
        "--movement", "QCDC",
    )  # fmt: skip
    assert code == 0
    assert out.strip().endswith("Bộ lọc lĩnh vực, phong trào không áp dụng cho khen thưởng và hội nghị.")
    code, out, _ = run_dvk(capsys, "summary", "--db", str(bloc_db), "--from", "2021", "--to", "2023", "--json",
                       "--subject", "Cá nhân")  # fmt: skip
    assert json.loads(out)["filters_not_applied"] == {"khen_thuong": [], "hoi_nghi": ["subject"]}
    code, _, err = run_dvk(
        capsys, "export", "--db", str(bloc_db), "--what", "khen_thuong", "--format", "csv", "--from", "2021",
        "--to", "2023", "--kind", "Mô hình", "--lang", "en", "--out", str(tmp_path / "k.csv"),
    )  # fmt: skip
    assert code == 0 and "The kind filter does not apply to awards." in err
    code, _, err = run_dvk(
        capsys, "export", "--db", str(bloc_db), "--what", "dang_ky", "--format", "csv", "--from", "2021",
        "--to", "2023", "--kind", "Mô hình", "--out", str(tmp_path / "d.csv"),
    )  # fmt: skip
    assert code == 0 and "không áp dụng" not in err


# --- export --------------------------------------------------------------------------------------------


def test_export_records_csv(bloc_db, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = run_dvk(
        capsys, "export", "--db", str(bloc_db), "--what", "dang_ky", "--format", "csv", "--from", "2021",
        "--to", "2023", "--unit", "A",
    )  # fmt: skip
    assert code == 0, err
    path = tmp_path / "dang_ky_2021-2023_A.csv"
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Mã đăng ký;Mã mô hình;Năm;Mã đơn vị")  # Vietnamese Excel's list separator
    assert len(lines) == 1 + 5  # r1..r5


def test_export_figures_xlsx(bloc_db, tmp_path, capsys):
    out = tmp_path / "out" / "figures.xlsx"
    code, _, err = run_dvk(
        capsys, "export", "--db", str(bloc_db), "--what", "figures", "--format", "xlsx", "--from", "2021",
        "--to", "2023", "--out", str(out), "--lang", "en",
    )  # fmt: skip
    assert code == 0, err
    wb = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))
    assert wb.sheetnames[0] == "Figures" and wb.active.title == "Figures"  # opens on the data
    assert wb.sheetnames[-1] == "Export filters"
    figures_sheet = wb["Figures"]
    # headed by the label catalogue (issue 14), the engine's key kept in the last column
    assert [c.value for c in figures_sheet[1]] == [
        "Figure",
        "2021",
        "2022",
        "2023",
        "2021-2023",
        "Figure key",
    ]
    rows = {r[-1].value: r for r in figures_sheet.iter_rows(min_row=2)}
    registrations = rows["registrations"]
    assert registrations[0].value == "Registrations" and registrations[4].value == 7
    assert registrations[4].number_format == "#,##0"
    # a rate as the page shows it: r1 r3 r6 recognised of r1..r7 = 42,9%, not 0.428571
    recognition = rows["recognition_rate"]
    assert recognition[0].value == "Recognition rate (%)"
    assert (recognition[4].value, recognition[4].number_format) == (42.9, '#,##0.0"%"')
    assert wb.sheetnames[1:-1] == ["By unit", "By field", "Fields by year", "Fields by unit", "Awards"]
    per_year = [r for r in wb["Fields by year"].iter_rows(values_only=True)]
    assert per_year[0][:3] == ("Year", "Field", "Registrations") and len(per_year) == 1 + 3 * 5
    assert sum(r[2] for r in per_year[1:]) == 7  # r1..r7, every year and field


def test_export_to_stdout(bloc_db, capsysbinary):
    code = main(["export", "--db", str(bloc_db), "--what", "hoi_nghi", "--format", "csv", "--from", "2021",
                 "--to", "2023", "--out", "-"])  # fmt: skip
    out = capsysbinary.readouterr().out
    assert code == 0
    assert out.startswith(b"\xef\xbb\xbf") and len(out.decode("utf-8-sig").splitlines()) == 1 + 5
