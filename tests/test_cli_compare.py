"""`dvk compare` says what the dashboard says beside the figures: a period whose results mostly await
scoring is not final (the pending share, in the words of the cards' note), and the filters the
award and conference rows do not take (as `dvk summary` does).

On the bloc of tests/support/builders.py: 2022 holds r3 (Tiêu biểu), r4 (Không đạt) and r5
(Hoàn thành, awaiting its result): 1 of 3 pending, 33,3% > 25% (periods.NOT_FINAL_SHARE), so 2022 is
not final; 2021 holds r1 (Được công nhận) and r2 (Đã đăng ký, not pending): final.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.builders import bloc
from support.commands import run_dvk


@pytest.fixture(scope="module")
def bloc_db(tmp_path_factory) -> Path:
    return bloc().build(tmp_path_factory.mktemp("cli_compare"))


def test_a_period_awaiting_its_results_is_said_not_final(bloc_db, capsys):
    code, out, err = run_dvk(capsys, "compare", "--db", str(bloc_db), "--a", "2022", "--b", "2021")
    assert code == 0, err
    # the note under the dashboard's cards (periods.pending_note), for A only
    assert "A: Kết quả chưa cuối cùng: 33,3% số đăng ký năm 2022 đang chờ đánh giá." in out.splitlines()
    assert not any(line.startswith("B: Kết quả") for line in out.splitlines())
    code, out, _ = run_dvk(
        capsys, "compare", "--db", str(bloc_db), "--a", "2022", "--b", "2021", "--lang", "en"
    )
    assert "A: Results not final: 33.3% of the 2022 registrations await scoring." in out.splitlines()

    code, out, _ = run_dvk(capsys, "compare", "--db", str(bloc_db), "--a", "2022", "--b", "2021", "--json")
    pending = json.loads(out)["pending"]
    assert pending["a"] == {
        "count": 1,  # r5
        "share": round(1 / 3, 6),
        "not_final_years": [2022],
        "note": "kết quả chưa cuối cùng: 33,3% số đăng ký năm 2022 đang chờ đánh giá",
    }
    assert pending["b"] == {"count": 0, "share": 0.0, "not_final_years": [], "note": None}


def test_final_periods_carry_no_note(bloc_db, capsys):
    code, out, _ = run_dvk(capsys, "compare", "--db", str(bloc_db), "--a", "2023", "--b", "2021")
    assert code == 0 and "chưa cuối cùng" not in out
    code, out, _ = run_dvk(capsys, "compare", "--db", str(bloc_db), "--a", "2023", "--b", "2021", "--json")
    assert json.loads(out)["pending"]["a"]["not_final_years"] == []


def test_the_demo_2024_is_not_final(demo_db, capsys):
    """The demo's 2024: 1.139 of its 2.677 registrations await scoring (42,5%), as Tổng quan says."""
    code, out, _ = run_dvk(capsys, "compare", "--db", str(demo_db), "--a", "2024", "--b", "2023", "--json")
    payload = json.loads(out)
    assert payload["pending"]["a"]["count"] == 1139 and payload["pending"]["a"]["not_final_years"] == [2024]
    assert payload["pending"]["a"]["share"] == round(1139 / 2677, 6)
    code, out, _ = run_dvk(capsys, "compare", "--db", str(demo_db), "--a", "2024", "--b", "2023")
    assert "A: Kết quả chưa cuối cùng: 42,5% số đăng ký năm 2024 đang chờ đánh giá." in out


def test_compare_says_which_filters_skip_awards_and_conferences(bloc_db, capsys):
    argv = ["compare", "--db", str(bloc_db), "--a", "2022-2023", "--b", "2021"]
    code, out, _ = run_dvk(capsys, *argv, "--field", "Kinh tế", "--movement", "QCDC")
    assert code == 0
    assert out.strip().endswith("Bộ lọc lĩnh vực, phong trào không áp dụng cho khen thưởng và hội nghị.")
    code, out, _ = run_dvk(capsys, *argv, "--subject", "Cá nhân", "--lang", "en")
    assert out.strip().endswith("The subject filter does not apply to conferences.")
    code, out, _ = run_dvk(capsys, *argv, "--kind", "Mô hình", "--json")
    assert json.loads(out)["filters_not_applied"] == {"khen_thuong": ["kind"], "hoi_nghi": ["kind"]}
    code, out, _ = run_dvk(capsys, *argv, "--json")
    assert json.loads(out)["filters_not_applied"] == {"khen_thuong": [], "hoi_nghi": []}
    code, out, _ = run_dvk(capsys, *argv)
    assert "không áp dụng" not in out
