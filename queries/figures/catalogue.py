"""The figure catalogue: every scalar figure's key and kind, and the columns figures break down by."""

from __future__ import annotations

from dataclasses import dataclass

from queries import vocab

# --- the figure catalogue ------------------------------------------------------------------------

COUNT, RATE, NUMBER = "count", "rate", "number"


@dataclass(frozen=True)
class Figure:
    """One scalar figure: its column name, labels and how it is written."""

    key: str
    label_vi: str
    label_en: str
    kind: str = COUNT

    def label(self, lang: str = "vi") -> str:
        """The label in this language."""
        return self.label_en if lang == "en" else self.label_vi


FIGURES: tuple[Figure, ...] = (
    Figure("registrations", "Lượt đăng ký", "Registrations"),
    Figure("collective", "Tập thể đăng ký", "Collective registrations"),
    Figure("individual", "Cá nhân đăng ký", "Individual registrations"),
    Figure("models", "Số mô hình (theo mã)", "Distinct models"),
    Figure("models_carried_over", "Mô hình chuyển tiếp", "Models carried over"),
    Figure("models_new", "Mô hình mới", "New models"),
    Figure("grassroots_units", "Tổ chức cơ sở đảng", "Grassroots units"),
    Figure("units_with_registration", "TCCSĐ có đăng ký", "Grassroots units with registrations"),
    Figure("coverage_rate", "Tỉ lệ TCCSĐ có đăng ký", "Coverage rate", RATE),
    Figure(
        "units_with_conference", "TCCSĐ tổ chức hội nghị tuyên dương", "Units with a commendation conference"
    ),
    Figure("conference_rate", "Tỉ lệ TCCSĐ tổ chức hội nghị tuyên dương", "Conference rate", RATE),
    Figure("branch_years", "Lượt chi bộ - năm", "Branch-years"),
    Figure(
        "branch_years_meeting_target", "Lượt chi bộ - năm đạt chỉ tiêu", "Branch-years meeting the target"
    ),
    Figure("target_compliance_rate", "Tỉ lệ đạt chỉ tiêu 1 DVK + 1 QCDC", "Target compliance rate", RATE),
    Figure("recognised", "Lượt đăng ký được công nhận", "Recognised registrations"),
    Figure("recognition_rate", "Tỉ lệ được công nhận", "Recognition rate", RATE),
    Figure("mean_score", "Điểm bình quân", "Mean score", NUMBER),
    Figure("staff", "Số người lao động", "Staff"),
    Figure(
        "individual_per_100_staff",
        "Cá nhân đăng ký / 100 người lao động",
        "Individuals per 100 staff",
        NUMBER,
    ),
    Figure(
        "collective_per_grassroots_unit", "Tập thể đăng ký / TCCSĐ", "Collectives per grassroots unit", NUMBER
    ),
    Figure("conferences", "Hội nghị đã tổ chức", "Conferences held"),
    Figure("commendation_conferences", "Hội nghị tuyên dương, khen thưởng", "Commendation conferences"),
    Figure("conference_attendees", "Lượt người dự hội nghị", "Conference attendees"),
    Figure("conference_member_attendees", "Lượt đảng viên dự hội nghị", "Party members attending"),
    Figure("attendance_rate", "Tỉ lệ đảng viên dự hội nghị", "Party-member attendance rate", RATE),
    Figure("awards", "Khen thưởng", "Awards"),
    Figure("awards_collective", "Tập thể được khen thưởng", "Collectives awarded"),
    Figure("awards_individual", "Cá nhân được khen thưởng", "Individuals awarded"),
    Figure("nominations", "Đề nghị khen thưởng", "Nominations"),
)
FIGURES_BY_KEY = {fig.key: fig for fig in FIGURES}

BREAKDOWN_COLUMNS: dict[str, tuple[str, ...] | None] = {
    "doi_tuong": vocab.SUBJECTS,
    "linh_vuc": vocab.FIELDS,
    "loai": vocab.KINDS,
    "phong_trao": vocab.MOVEMENTS,
    "ket_qua": vocab.RESULTS,
    "ma_don_vi": None,  # zero-filled over the scope's units instead
}

RECORD_TABLES = ("dang_ky", "khen_thuong", "hoi_nghi")

CUBE_COLUMNS = ("doi_tuong", "linh_vuc", "loai", "phong_trao", "ket_qua")  # the registrations' labels


def figure_columns(with_models: bool = True) -> list[str]:
    """The keys of the scalar figures, in catalogue order (without the models' unless with_models)."""
    return [fig.key for fig in FIGURES if with_models or not fig.key.startswith("models")]
