"""The demo's units and people: the unit record, the builder's state, the bloc's unit tree with
its sizes, and new names and model titles (the first layer of the demo builder)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from queries import vocab as v
from queries.demo.calibration import (
    AGENCY,
    BLOC_YEARS,
    BRANCH_UNITS,
    COMMITTEES,
    CREATED,
    DISSOLVED,
    ENTERPRISE,
    GRASSROOTS_IN_PHASE,
    MERGED,
    OTHER,
    PUBLIC,
    ROOT_CODE,
    ROOT_NAME,
    WEAK_UNITS,
)
from queries.demo.names import (
    EXEMPLAR_TITLES,
    FEMALE_GIVEN,
    FEMALE_MIDDLE,
    FIELD_WEIGHTS,
    GENERIC_TITLES,
    MALE_GIVEN,
    MALE_MIDDLE,
    QCDC_EXEMPLAR,
    QCDC_FIELD_WEIGHTS,
    SECTOR_TITLES,
    SURNAMES,
)

# --- the generator -----------------------------------------------------------------------------


@dataclass
class _Unit:
    code: str
    name: str
    level: str
    parent: str | None
    kind: str
    sector: str
    org: str  # the agency/department the party unit sits in, e.g. "Phòng Kỹ thuật"
    valid_from: date | None
    valid_to: date | None = None
    successor: str | None = None
    # moves under another superior keeping the code (the 2025 reorganisation): (from, superior);
    # `parent` is then the latest superior and `first_parent` the one it started under
    moves: list[tuple[date, str]] = field(default_factory=list)
    first_parent: str | None = None
    grassroots: str | None = None  # code of the TCCSĐ this unit belongs to (itself for a TCCSĐ)
    children: list[str] = field(default_factory=list)
    members: dict[int, int] = field(default_factory=dict)
    staff: dict[int, int] = field(default_factory=dict)
    quality: float = 0.0
    engagement: float = 1.0

    def active_in(self, year: int) -> bool:
        start = self.valid_from or date(1900, 1, 1)
        end = self.valid_to or date(9999, 12, 31)
        return start <= date(year, 12, 31) and end >= date(year, 1, 1)

    def active_on(self, day: date) -> bool:
        start = self.valid_from or date(1900, 1, 1)
        end = self.valid_to or date(9999, 12, 31)
        return start <= day <= end

    def move(self, day: date, parent: str) -> None:
        """From `day` the unit sits under `parent` (a new row in the unit sheet, same code)."""
        if not self.moves:
            self.first_parent = self.parent
        self.moves.append((day, parent))
        self.parent = parent

    def parent_on(self, day: date) -> str | None:
        """The superior on that day."""
        parent = self.first_parent if self.moves else self.parent
        for start, superior in self.moves:
            if start <= day:
                parent = superior
        return parent

    def rows(self) -> list[tuple[str | None, date | None, date | None, str | None]]:
        """(superior, from, to, successor) of each of the unit's rows: one per superior."""
        if not self.moves:
            return [(self.parent, self.valid_from, self.valid_to, self.successor)]
        starts = [self.valid_from, *(day for day, _ in self.moves)]
        parents = [self.first_parent, *(p for _, p in self.moves)]
        ends = [day - timedelta(days=1) for day, _ in self.moves] + [self.valid_to]
        successors = [None] * len(self.moves) + [self.successor]
        return list(zip(parents, starts, ends, successors, strict=True))


def _weighted(rng: random.Random, pairs) -> str:
    names = [p[0] for p in pairs]
    weights = [p[1] for p in pairs]
    return rng.choices(names, weights=weights)[0]


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


class _UnitsBuilder:
    """The generator's state, the unit tree and the people and names drawn for it."""

    def __init__(self, seed: int):
        self.seed = seed
        self.rng = random.Random(seed)
        self.units: dict[str, _Unit] = {}
        self.people_used: set[str] = set()
        self.pool: dict[str, list[str]] = {}  # unit code -> people who have registered there
        self.model_seq: dict[str, int] = {}
        self.registrations: list[dict] = []
        self.by_year: dict[int, list[dict]] = {y: [] for y in BLOC_YEARS}
        self.awards: list[dict] = []
        self.award_keys: set[tuple[str, str, str]] = set()
        self.decisions_used: set[str] = set()
        self.conferences: list[dict] = []
        self.holders: dict[int, list[str]] = {}

    # units ---------------------------------------------------------------------------------

    def _add(self, unit: _Unit) -> _Unit:
        self.units[unit.code] = unit
        if unit.parent:
            self.units[unit.parent].children.append(unit.code)
        return unit

    def build_units(self) -> None:
        rng = self.rng
        self._add(
            _Unit(
                ROOT_CODE,
                ROOT_NAME,
                v.LEVEL_BLOC,
                None,
                AGENCY,
                "administration",
                "Đảng ủy Khối",
                date(2008, 10, 1),
            )
        )
        entries = [
            (name, v.LEVEL_GRASSROOTS_COMMITTEE, kind, sector, branches)
            for name, kind, sector, branches in COMMITTEES
        ]
        entries += [
            (name, v.LEVEL_GRASSROOTS_BRANCH, kind, sector, ()) for name, kind, sector in BRANCH_UNITS
        ]
        assert len(entries) == GRASSROOTS_IN_PHASE
        for i, (name, level, kind, sector, branches) in enumerate(entries, start=1):
            prefix = "Đảng bộ" if level == v.LEVEL_GRASSROOTS_COMMITTEE else "Chi bộ"
            start = _day(rng, date(2005, 1, 1), date(2016, 12, 31))
            unit = self._add(
                _Unit(f"{ROOT_CODE}.{i:02d}", f"{prefix} {name}", level, ROOT_CODE, kind, sector, name, start)
            )
            unit.grassroots = unit.code
            for j, branch in enumerate(branches, start=1):
                b_start = (
                    None
                    if rng.random() < 0.12
                    else max(start, _day(rng, date(2005, 1, 1), date(2017, 6, 30)))
                )
                branch_name = "Chi bộ Sinh viên" if branch == "Sinh viên" else f"Chi bộ {branch}"
                b = self._add(
                    _Unit(
                        f"{unit.code}.{j:02d}",
                        branch_name,
                        v.LEVEL_BRANCH,
                        unit.code,
                        kind,
                        sector,
                        branch,
                        b_start,
                    )
                )
                b.grassroots = unit.code
        # after the phase's units: the branch dissolved in 2019, then the centre created in 2024
        later: list[tuple[str, str, str, date, date | None]] = [DISSOLVED, (*CREATED, None)]
        for i, (name, kind, sector, start, end) in enumerate(later, start=len(entries) + 1):
            u = self._add(
                _Unit(
                    f"{ROOT_CODE}.{i:02d}",
                    f"Chi bộ {name}",
                    v.LEVEL_GRASSROOTS_BRANCH,
                    ROOT_CODE,
                    kind,
                    sector,
                    name,
                    start,
                    end,
                )
            )
            u.grassroots = u.code
        by_org = {u.org: u for u in self.units.values() if u.level in v.GRASSROOTS_LEVELS}
        merged = by_org[MERGED[0]]
        merged.valid_to, merged.successor = MERGED[1], by_org[MERGED[2]].code
        self._sizes()

    def _sizes(self) -> None:
        rng = self.rng
        ratio = {AGENCY: (1.5, 2.6), ENTERPRISE: (3.0, 7.5), PUBLIC: (2.4, 4.5), OTHER: (1.3, 2.2)}
        for unit in self.units.values():
            unit.quality = rng.gauss(0, 3.5)
            unit.engagement = min(1.0, rng.uniform(0.85, 1.08))
            if unit.level not in v.BRANCH_LEVELS:
                continue
            base = rng.randint(7, 34) if unit.level == v.LEVEL_BRANCH else rng.randint(9, 42)
            staff_ratio = rng.uniform(*ratio[unit.kind])
            for year in BLOC_YEARS:
                if not unit.active_in(year):
                    continue
                grown = base * (1 + 0.025 * (year - BLOC_YEARS[0])) + rng.gauss(0, 1.2)
                unit.members[year] = max(4, round(grown))
                unit.staff[year] = max(
                    unit.members[year] + 2, round(unit.members[year] * staff_ratio + rng.gauss(0, 3))
                )
        for unit in self.units.values():
            if unit.level == v.LEVEL_GRASSROOTS_COMMITTEE:
                for year in BLOC_YEARS:
                    kids = [self.units[c] for c in unit.children if year in self.units[c].members]
                    if kids and unit.active_in(year):
                        unit.members[year] = sum(k.members[year] for k in kids)
                        unit.staff[year] = sum(k.staff[year] for k in kids)
        for org in WEAK_UNITS:
            weak = next(u for u in self.units.values() if u.org == org and u.level in v.GRASSROOTS_LEVELS)
            weak.engagement = 0.45

    def grassroots_units(self, year: int) -> list[_Unit]:
        return [u for u in self.units.values() if u.level in v.GRASSROOTS_LEVELS and u.active_in(year)]

    def subtree(self, unit: _Unit) -> list[str]:
        return [unit.code, *unit.children]

    # people and names --------------------------------------------------------------------------

    def new_person(self) -> str:
        rng = self.rng
        while True:
            surname = _weighted(rng, SURNAMES)
            if rng.random() < 0.5:
                middle = _weighted(rng, MALE_MIDDLE)
                if rng.random() < 0.18:
                    second = _weighted(rng, MALE_MIDDLE[1:])
                    middle = f"{middle} {second}" if second != middle else middle
                given = rng.choice(MALE_GIVEN)
            else:
                middle = _weighted(rng, FEMALE_MIDDLE)
                if rng.random() < 0.22:
                    middle = f"Thị {_weighted(rng, FEMALE_MIDDLE[1:])}" if middle == "Thị" else middle
                given = rng.choice(FEMALE_GIVEN)
            name = f"{surname} {middle} {given}"
            if name not in self.people_used:
                self.people_used.add(name)
                return name

    def collective_names(self, unit: _Unit) -> list[str]:
        if unit.level == v.LEVEL_GRASSROOTS_COMMITTEE:
            return [f"Đảng ủy {unit.org}", f"Công đoàn cơ sở {unit.org}", f"Đoàn Thanh niên {unit.org}"]
        if unit.level == v.LEVEL_GRASSROOTS_BRANCH:
            return [
                unit.name,
                f"Công đoàn cơ sở {unit.org}",
                f"Chi đoàn {unit.org}",
                f"Ban Nữ công {unit.org}",
            ]
        if unit.org == "Sinh viên":
            return [unit.name, "Hội Sinh viên Trường", "Liên chi đoàn Sinh viên"]
        return [unit.name, unit.org, f"Tổ Công đoàn {unit.org}"]

    def title(self, unit: _Unit, movement: str, subject: str) -> tuple[str, str, str]:
        """(kind, field, title) of a new model."""
        rng = self.rng
        exemplar_share = 0.18 if subject == v.SUBJECT_INDIVIDUAL else 0.08
        if rng.random() < exemplar_share:
            if movement == v.MOVEMENT_QCDC:
                return (v.KIND_EXEMPLAR, *QCDC_EXEMPLAR)
            return (v.KIND_EXEMPLAR, *rng.choice(EXEMPLAR_TITLES))
        if movement == v.MOVEMENT_DVK:
            sector = SECTOR_TITLES.get(unit.sector, ())
            if sector and rng.random() < 0.42:
                return (v.KIND_MODEL, *rng.choice(sector))
            weights = FIELD_WEIGHTS[(movement, unit.kind)]
        else:
            weights = QCDC_FIELD_WEIGHTS
        field_ = rng.choices(v.FIELDS, weights=weights)[0]
        return v.KIND_MODEL, field_, rng.choice(GENERIC_TITLES[movement][field_])

    def next_model_code(self, unit: _Unit) -> str:
        self.model_seq[unit.code] = self.model_seq.get(unit.code, 0) + 1
        return f"MH-{unit.code}-{self.model_seq[unit.code]:03d}"
