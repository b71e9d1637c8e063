"""The demo's registrations, year by year: who registers, carried-over models, results and
scores (the builder's second layer)."""

from __future__ import annotations

from datetime import date, timedelta

from queries import vocab as v
from queries.demo.calibration import (
    BLOC_YEARS,
    COLLECTIVE_REGISTRATIONS,
    INDIVIDUAL_REGISTRATIONS,
    PARTICIPATION,
    PENDING,
    PHASE,
    QCDC_TARGET,
    WEAK_UNITS,
)
from queries.demo.units import _day, _Unit, _UnitsBuilder


class _RegistrationsBuilder(_UnitsBuilder):
    """Registrations over the units (build_registrations)."""

    # registrations -----------------------------------------------------------------------------

    def build_registrations(self) -> None:
        self._register_years(BLOC_YEARS, {})

    def _register_years(self, years, previous: dict[str, list[dict]]) -> None:
        """The registrations of `years` in turn, each year's drawn from the year before's
        (`previous`: unit -> its registrations of the year before the first)."""
        for year in years:
            current = self._registrations_for(year, previous)
            previous = {}
            for row in current:
                previous.setdefault(row["ma_don_vi"], []).append(row)
            for seq, row in enumerate(current, start=1):
                row["ma_dang_ky"] = f"DK{year}-{seq:05d}"
            self.by_year[year] = current
            self.registrations.extend(current)

    def _registrations_for(self, year: int, previous: dict[str, list[dict]]) -> list[dict]:
        rng = self.rng
        in_phase = PHASE[0] <= year <= PHASE[1]
        branches = self._registering(year)
        participants = []
        for u in branches:
            if in_phase and u.org in WEAK_UNITS:
                continue
            if rng.random() < PARTICIPATION[year] * u.engagement:
                participants.append(u)
        collective = {u.code: 0 for u in participants}
        n_col = COLLECTIVE_REGISTRATIONS[year]
        if n_col >= len(participants):
            for u in participants:
                collective[u.code] = 1
            weights = [u.members[year] for u in participants]
            for u in rng.choices(participants, weights=weights, k=n_col - len(participants)):
                collective[u.code] += 1
        else:
            for u in rng.sample(participants, n_col):
                collective[u.code] = 1
        individual = {u.code: 0 for u in participants}
        weights = [u.staff[year] for u in participants]
        for u in rng.choices(participants, weights=weights, k=INDIVIDUAL_REGISTRATIONS[year]):
            individual[u.code] += 1
        # A few registrations sit at the đảng bộ cơ sở itself (its Đảng ủy, its union, its leaders).
        at_committee: dict[str, list[str]] = {}
        for u in participants:
            if u.level != v.LEVEL_BRANCH:
                continue
            assert u.parent is not None  # a chi bộ trực thuộc sits under a đảng bộ cơ sở
            if collective[u.code] >= 2 and rng.random() < 0.12:
                collective[u.code] -= 1
                at_committee.setdefault(u.parent, []).append(v.SUBJECT_COLLECTIVE)
            moved = sum(1 for _ in range(individual[u.code]) if rng.random() < 0.03)
            individual[u.code] -= moved
            at_committee.setdefault(u.parent, []).extend([v.SUBJECT_INDIVIDUAL] * moved)

        rows: list[dict] = []
        taken_people: set[str] = set()
        for u in participants:
            subjects = [v.SUBJECT_COLLECTIVE] * collective[u.code] + [v.SUBJECT_INDIVIDUAL] * individual[
                u.code
            ]
            if not subjects:
                continue
            movements = [v.MOVEMENT_DVK] * len(subjects)
            wants_qcdc = rng.random() < QCDC_TARGET[year] * u.engagement
            if wants_qcdc and len(subjects) >= 2:
                movements[rng.randrange(1, len(subjects))] = v.MOVEMENT_QCDC
                for k in range(1, len(subjects)):
                    if rng.random() < 0.08:
                        movements[k] = v.MOVEMENT_QCDC
            elif wants_qcdc and rng.random() < 0.5:
                movements[0] = v.MOVEMENT_QCDC
            for subject, movement in zip(subjects, movements, strict=True):
                rows.append(self._registration(u, year, subject, movement, previous, taken_people))
        for code in sorted(at_committee):
            unit = self.units[code]
            for subject in at_committee[code]:
                movement = v.MOVEMENT_QCDC if rng.random() < 0.15 else v.MOVEMENT_DVK
                rows.append(self._registration(unit, year, subject, movement, previous, taken_people))
        rows.sort(key=lambda r: (r["ma_don_vi"], r["doi_tuong"] != v.SUBJECT_COLLECTIVE))
        return rows

    def _registering(self, year: int) -> list[_Unit]:
        """The chi bộ that may register in the year: those active in it."""
        return [u for u in self.units.values() if u.level in v.BRANCH_LEVELS and u.active_in(year)]

    def _registration(
        self,
        unit: _Unit,
        year: int,
        subject: str,
        movement: str,
        previous: dict[str, list[dict]],
        taken: set[str],
    ) -> dict:
        rng = self.rng
        carried = None
        if rng.random() < 0.35:
            candidates = [
                r
                for r in previous.get(unit.code, [])
                if r["doi_tuong"] == subject
                and r["phong_trao"] == movement
                and not r.get("_continued")
                and r["ma_mo_hinh"]
                and (subject == v.SUBJECT_COLLECTIVE or r["ten_chu_the"] not in taken)
            ]
            if candidates:
                carried = rng.choice(candidates)
                carried["_continued"] = True
        if carried:
            name, code = carried["ten_chu_the"], carried["ma_mo_hinh"]
            kind, field_, title = carried["loai"], carried["linh_vuc"], carried["ten_mo_hinh"]
        else:
            if subject == v.SUBJECT_COLLECTIVE:
                options = self.collective_names(unit)
                name = options[0] if rng.random() < 0.6 else rng.choice(options)
            else:
                pool = [p for p in self.pool.get(unit.code, []) if p not in taken]
                name = rng.choice(pool) if pool and rng.random() < 0.3 else self.new_person()
            kind, field_, title = self.title(unit, movement, subject)
            code = None if rng.random() < 0.02 else self.next_model_code(unit)
        if subject == v.SUBJECT_INDIVIDUAL:
            taken.add(name)
            pool = self.pool.setdefault(unit.code, [])
            if name not in pool:
                pool.append(name)
        start = max(date(year, 1, 10), unit.valid_from or date(year, 1, 10))
        registered: date | None = _day(rng, start, start + timedelta(days=80))
        if year <= 2019 and rng.random() < 0.03:
            registered = None
        result, score, level = self._result(unit, year, carried is not None)
        return {
            "ma_dang_ky": None,
            "ma_mo_hinh": code,
            "nam": year,
            "ma_don_vi": unit.code,
            "doi_tuong": subject,
            "ten_chu_the": name,
            "ten_mo_hinh": title,
            "loai": kind,
            "phong_trao": movement,
            "linh_vuc": field_,
            "ngay_dang_ky": registered,
            "ket_qua": result,
            "diem": score,
            "cap_cong_nhan": level,
        }

    def _result(self, unit: _Unit, year: int, carried: bool) -> tuple[str, float | None, str | None]:
        rng = self.rng
        if rng.random() < 0.012:
            return v.RESULT_REGISTERED, None, None
        if year in PENDING:
            in_progress, pending = PENDING[year]
            draw = rng.random()
            if draw < in_progress:
                return v.RESULT_IN_PROGRESS, None, None
            if draw < pending:
                return v.RESULT_DONE, None, None
        score = (
            80.5 + unit.quality + (2.0 if carried else 0.0) + 0.4 * (year - BLOC_YEARS[0]) + rng.gauss(0, 7.5)
        )
        score = min(99.0, max(48.0, round(score * 2) / 2))
        if score < v.RECOGNITION_THRESHOLD:
            return v.RESULT_FAILED, score, None
        if score >= 93:
            if year in BLOC_YEARS:
                levels = ["Đảng ủy Khối", "Cơ sở", "Tỉnh", "Trung ương"]
                level = rng.choices(levels, weights=[70, 22, 7.5, 0.5])[0]
            else:
                # no bloc committee any more (and no level yet for the committees that followed it)
                level = rng.choices(["Cơ sở", "Tỉnh", "Trung ương"], weights=[88, 11.5, 0.5])[0]
            return v.RESULT_EXEMPLARY, score, level
        return v.RESULT_RECOGNISED, score, "Cơ sở"
