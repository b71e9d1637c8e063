"""The figure catalogue: every scalar figure's key and kind, and the columns figures break down by."""

from __future__ import annotations

from dataclasses import dataclass

from queries import vocab

# --- the figure catalogue ------------------------------------------------------------------------

COUNT, RATE, NUMBER = "count", "rate", "number"


@dataclass(frozen=True)
class Figure:
    """One scalar figure: its key and how it is written (its names: queries.labels.figure_name)."""

    key: str
    kind: str = COUNT


FIGURES: tuple[Figure, ...] = (
    Figure("registrations"),
    Figure("collective"),
    Figure("individual"),
    Figure("models"),
    Figure("models_carried_over"),
    Figure("models_new"),
    Figure("grassroots_units"),
    Figure("units_with_registration"),
    Figure("coverage_rate", RATE),
    Figure("units_with_conference"),
    Figure("conference_rate", RATE),
    Figure("branch_years"),
    Figure("branch_years_meeting_target"),
    Figure("target_compliance_rate", RATE),
    Figure("recognised"),
    Figure("recognition_rate", RATE),
    Figure("mean_score", NUMBER),
    Figure("staff"),
    Figure("individual_per_100_staff", NUMBER),
    Figure("collective_per_grassroots_unit", NUMBER),
    Figure("conferences"),
    Figure("commendation_conferences"),
    Figure("conference_attendees"),
    Figure("conference_member_attendees"),
    Figure("attendance_rate", RATE),
    Figure("awards"),
    Figure("awards_collective"),
    Figure("awards_individual"),
    Figure("nominations"),
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
