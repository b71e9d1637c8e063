"""What a figure is computed over (Filters), and the errors of a request the engine cannot answer."""

from __future__ import annotations

import numbers
from dataclasses import asdict, dataclass

from queries import structure as unit_structure
from queries import vocab

# --- errors ------------------------------------------------------------------------------------


class FiguresError(ValueError):
    """A request the engine cannot answer (bad filters, unknown unit)."""


class UnknownUnitError(FiguresError):
    """The scope unit code is not in the database."""

    def __init__(self, code: str):
        super().__init__(f"unknown unit code: {code}")
        self.code = code


# --- filters -----------------------------------------------------------------------------------

_FILTER_COLUMNS = {
    "field": vocab.REGISTRATIONS.column("linh_vuc"),
    "subject": vocab.REGISTRATIONS.column("doi_tuong"),
    "movement": vocab.REGISTRATIONS.column("phong_trao"),
    "kind": vocab.REGISTRATIONS.column("loai"),
}


@dataclass(frozen=True)
class Filters:
    """What a figure is computed over: an inclusive period of years, a scope unit and optional filters.

    `unit=None` means the root (all roots when there are several). `field`, `subject`, `movement`
    and `kind` take the labels of `queries.vocab` (FIELDS, SUBJECTS, MOVEMENTS, KINDS); any spelling
    that `vocab.canonical_choice` accepts ("kinh te") is stored as the canonical label, and "" means
    no filter. Invalid values raise FiguresError (a ValueError).
    """

    year_from: int
    year_to: int
    unit: str | None = None
    field: str | None = None
    subject: str | None = None
    movement: str | None = None
    kind: str | None = None
    # DOMAIN.md section 4a: records under the superiors of their year, or on today's structure
    structure: unit_structure.Reading = unit_structure.AS_WAS

    def __post_init__(self):
        if self.structure not in unit_structure.READINGS:
            raise FiguresError(
                f"structure must be one of {', '.join(unit_structure.READINGS)}; got {self.structure!r}"
            )
        for name in ("year_from", "year_to"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, numbers.Integral):
                raise FiguresError(f"{name} must be an integer year, got {value!r}")
            value = int(value)  # numpy and other integral types become plain ints
            object.__setattr__(self, name, value)
            if not vocab.YEAR_MIN <= value <= vocab.YEAR_MAX:
                raise FiguresError(f"{name} must be between {vocab.YEAR_MIN} and {vocab.YEAR_MAX}")
        if self.year_from > self.year_to:
            raise FiguresError(f"year_from {self.year_from} is after year_to {self.year_to}")
        unit = (self.unit or "").strip() or None
        object.__setattr__(self, "unit", unit)
        for name, column in _FILTER_COLUMNS.items():
            raw = getattr(self, name)
            if raw is None or not str(raw).strip():
                object.__setattr__(self, name, None)
                continue
            label = vocab.canonical_choice(column, str(raw))
            if label is None:
                raise FiguresError(f"{name} must be one of {', '.join(column.choices)}; got {raw!r}")
            object.__setattr__(self, name, label)

    @property
    def years(self) -> list[int]:
        """The years of the period, in order."""
        return list(range(self.year_from, self.year_to + 1))

    @property
    def period_label(self) -> str:
        """'2021-2023', or '2022' for a single year."""
        if self.year_from == self.year_to:
            return str(self.year_from)
        return f"{self.year_from}-{self.year_to}"

    def with_period(self, year_from: int, year_to: int) -> Filters:
        """The same scope and filters over another period."""
        return Filters(**{**asdict(self), "year_from": year_from, "year_to": year_to})

    def params(self) -> dict[str, object]:
        """Every value a named query may bind."""
        return {
            "unit": self.unit,
            "year_from": self.year_from,
            "year_to": self.year_to,
            "field": self.field,
            "subject": self.subject,
            "movement": self.movement,
            "kind": self.kind,
            "collective": vocab.SUBJECT_COLLECTIVE,
            "individual": vocab.SUBJECT_INDIVIDUAL,
            "recognised_results": list(vocab.RECOGNISED_RESULTS),
            "movement_dvk": vocab.MOVEMENT_DVK,
            "movement_qcdc": vocab.MOVEMENT_QCDC,
        }
