"""The demo's conferences and awards (the builder's third layer): conferences per unit and year,
awards at grassroots, bloc and higher levels that reproduce the seed figures exactly."""

from __future__ import annotations

from datetime import date

from queries import vocab as v
from queries.demo.calibration import (
    BLOC_AWARDS,
    BLOC_YEARS,
    COMMENDATION_SHARE,
    COMMENDATION_UNITS_IN_PHASE,
    GRASSROOTS_AWARDS,
    GRASSROOTS_IN_PHASE,
    PHASE,
    WEAK_UNITS,
)
from queries.demo.registrations import _RegistrationsBuilder
from queries.demo.units import _day, _Unit


class _EventsBuilder(_RegistrationsBuilder):
    """Conferences and awards over the registrations (build_conferences, build_awards)."""

    # conferences -------------------------------------------------------------------------------

    def build_conferences(self) -> None:
        rng = self.rng
        phase_units = [
            u
            for u in self.units.values()
            if u.level in v.GRASSROOTS_LEVELS and all(u.active_in(y) for y in range(PHASE[0], PHASE[1] + 1))
        ]
        assert len(phase_units) == GRASSROOTS_IN_PHASE, len(phase_units)
        weak = [u for u in phase_units if u.org in WEAK_UNITS]
        others = [u for u in phase_units if u.org not in WEAK_UNITS]
        silent = {u.code for u in weak}
        silent |= {
            u.code for u in rng.sample(others, GRASSROOTS_IN_PHASE - COMMENDATION_UNITS_IN_PHASE - len(weak))
        }
        phase_holders = [u for u in phase_units if u.code not in silent]
        holders: dict[int, list[_Unit]] = {y: [] for y in BLOC_YEARS}
        for u in phase_holders:
            years = [y for y, p in ((2021, 0.45), (2022, 0.55), (2023, 0.85)) if rng.random() < p] or [
                rng.choice((2021, 2022, 2023))
            ]
            for y in years:
                holders[y].append(u)
        for year, share in COMMENDATION_SHARE.items():
            holders[year] = [
                u
                for u in self.grassroots_units(year)
                if u.active_on(date(year, 12, 31)) and rng.random() < share * u.engagement
            ]
        order = list(self.units)
        self.holders = {y: sorted((u.code for u in us), key=order.index) for y, us in holders.items()}

        for year in BLOC_YEARS:
            holding = set(self.holders[year])
            for unit in self.units.values():
                if not unit.active_in(year):
                    continue
                if unit.level == v.LEVEL_BLOC:
                    self._conference(
                        unit, year, "Tổng kết", date(year, 12, rng.randint(8, 26)), delegates=True
                    )
                    self._conference(
                        unit, year, "Học tập, quán triệt", date(year, 2, rng.randint(10, 25)), delegates=True
                    )
                    self._conference(
                        unit, year, "Học tập, quán triệt", date(year, 8, rng.randint(5, 25)), delegates=True
                    )
                    if year in (2020, 2023):
                        self._conference(
                            unit, year, "Sơ kết", date(year, 10, rng.randint(2, 16)), delegates=True
                        )
                    continue
                if unit.level in v.GRASSROOTS_LEVELS:
                    if unit.code in holding:
                        if year in (2020, 2023):
                            day = _day(rng, date(year, 9, 5), date(year, 10, 12))
                        else:
                            day = _day(rng, date(year, 11, 25), date(year, 12, 28))
                        self._conference(unit, year, v.CONFERENCE_COMMENDATION, day)
                    if rng.random() < 0.55:
                        self._conference(
                            unit, year, "Sơ kết", _day(rng, date(year, 6, 20), date(year, 7, 25))
                        )
                    if rng.random() < 0.7:
                        self._conference(
                            unit, year, "Tổng kết", _day(rng, date(year, 12, 1), date(year, 12, 30))
                        )
                for month in (2, 3, 5, 7, 9, 11):
                    if rng.random() < 0.3:
                        self._conference(
                            unit, year, "Học tập, quán triệt", date(year, month, rng.randint(4, 26))
                        )

    def _conference(self, unit: _Unit, year: int, kind: str, day: date, delegates: bool = False) -> None:
        rng = self.rng
        if not unit.active_on(day):
            return
        if delegates:
            # A bloc-level conference gathers delegates, not the members: its party-member count
            # is left empty so it does not weigh on the attendance rate of the whole bloc.
            attendees, members = rng.randint(150, 230), None
        else:
            members = round(unit.members[year] * rng.uniform(0.86, 1.0))
            attendees = members + round((unit.staff[year] - unit.members[year]) * rng.uniform(0.05, 0.45))
        self.conferences.append(
            {
                "ma_don_vi": unit.code,
                "nam": year,
                "loai_hoi_nghi": kind,
                "ngay": day,
                "so_nguoi_du": attendees,
                "so_dang_vien_du": members,
            }
        )

    # awards ------------------------------------------------------------------------------------

    def _award(
        self,
        decision: str,
        day: date,
        year: int,
        reg: dict | None,
        unit_code: str,
        subject: str,
        name: str,
        form: str,
        level: str,
        status: str = v.STATUS_AWARDED,
    ) -> bool:
        key = (decision, subject, name)
        if key in self.award_keys:
            return False
        self.award_keys.add(key)
        self.awards.append(
            {
                "so_quyet_dinh": decision,
                "ngay_quyet_dinh": day,
                "nam": year,
                "ma_don_vi": unit_code,
                "doi_tuong": subject,
                "ten_chu_the": name,
                "hinh_thuc": form,
                "cap_khen_thuong": level,
                "trang_thai": status,
                "ma_dang_ky": reg["ma_dang_ky"] if reg else None,
            }
        )
        return True

    def _award_best(
        self,
        picks: list[dict],
        total: int,
        decision: str,
        day: date,
        year: int,
        subject: str,
        form: str,
        level: str,
        status: str,
    ) -> None:
        """`total` awards of one decision to registrations among `picks`, in a random order."""
        self.rng.shuffle(picks)
        given = 0
        for reg in picks:
            if given < total and self._award(
                decision, day, year, reg, reg["ma_don_vi"], subject, self._qualified(reg), form, level, status
            ):
                given += 1
        assert given == total, (decision, subject)

    def _best(self, regs: list[dict], subject: str, exclude: set[str]) -> list[dict]:
        rng = self.rng
        pool = [r for r in regs if r["doi_tuong"] == subject and r["ket_qua"] in v.RECOGNISED_RESULTS]
        ranked = sorted(pool, key=lambda r: (r["diem"] or 0) + rng.uniform(0, 6), reverse=True)
        out, seen = [], set(exclude)
        for r in ranked:
            if r["ten_chu_the"] not in seen:
                seen.add(r["ten_chu_the"])
                out.append(r)
        return out

    def _qualified(self, reg: dict) -> str:
        """A collective's name as a higher-level decision writes it: with its đảng bộ cơ sở."""
        unit = self.units[reg["ma_don_vi"]]
        if reg["doi_tuong"] == v.SUBJECT_COLLECTIVE and unit.level == v.LEVEL_BRANCH:
            assert unit.parent is not None  # a chi bộ trực thuộc sits under a đảng bộ cơ sở
            return f"{reg['ten_chu_the']}, {self.units[unit.parent].name}"
        return reg["ten_chu_the"]

    def build_awards(self) -> None:
        for year in BLOC_YEARS:
            self._grassroots_awards(year)
            self._bloc_awards(year)
        self._higher_awards()

    def _grassroots_awards(self, year: int) -> None:
        rng = self.rng
        regs_by_unit: dict[str, list[dict]] = {}
        for r in self.by_year[year]:
            regs_by_unit.setdefault(r["ma_don_vi"], []).append(r)
        holders = [self.units[c] for c in self.holders[year]]
        conference_day = {
            c["ma_don_vi"]: c["ngay"]
            for c in self.conferences
            if c["nam"] == year and c["loai_hoi_nghi"] == v.CONFERENCE_COMMENDATION
        }
        decisions: dict[str, str] = {}
        for subject, total in zip(v.SUBJECTS, GRASSROOTS_AWARDS[year], strict=True):
            candidates = {
                h.code: self._best(
                    [r for c in self.subtree(h) for r in regs_by_unit.get(c, [])], subject, set()
                )
                for h in holders
            }
            counts = dict.fromkeys(candidates, 0)
            for _ in range(total):
                open_ = [c for c in candidates if counts[c] < len(candidates[c])]
                if not open_:
                    raise RuntimeError(f"not enough recognised registrations for {total} awards in {year}")
                pick = rng.choices(open_, weights=[len(candidates[c]) - counts[c] for c in open_])[0]
                counts[pick] += 1
            for code in candidates:
                unit = self.units[code]
                if not counts[code]:
                    continue
                if code not in decisions:
                    # One decision per unit and year. The re-import key (number, subject, name)
                    # has no year or issuer, so numbers are never reused across units or years.
                    suffix = "QĐ/ĐU" if unit.level == v.LEVEL_GRASSROOTS_COMMITTEE else "QĐ/CB"
                    low, high = (18, 190) if unit.level == v.LEVEL_GRASSROOTS_COMMITTEE else (2, 120)
                    number = rng.randint(low, high)
                    while f"{number}-{suffix}" in self.decisions_used:
                        number = rng.randint(low, high)
                    decisions[code] = f"{number}-{suffix}"
                    self.decisions_used.add(decisions[code])
                decision = decisions[code]
                day = conference_day.get(code) or date(year, 12, 20)
                given = 0
                for reg in candidates[code]:
                    if given == counts[code]:
                        break
                    form = rng.choices(v.AWARD_FORMS[:3] + ("Khác",), weights=[84, 2, 11, 3])[0]
                    form = "Giấy khen" if form == "Bằng khen" else form
                    linked = reg if rng.random() < 0.92 else None
                    if self._award(
                        decision,
                        day,
                        year,
                        linked,
                        reg["ma_don_vi"],
                        subject,
                        reg["ten_chu_the"],
                        form,
                        "Cơ sở",
                    ):
                        given += 1
                if given != counts[code]:
                    raise RuntimeError(f"decision {decision} of {code} in {year}: {given} of {counts[code]}")

    def _bloc_awards(self, year: int) -> None:
        rng = self.rng
        number = {2018: 268, 2019: 301, 2020: 352, 2021: 389, 2022: 436, 2023: 497, 2024: 544}[year]
        day = date(2023, 10, 16) if year == 2023 else date(year, 12, rng.randint(12, 27))
        decision = f"{number}-QĐ/ĐUK"
        for subject, total in zip(v.SUBJECTS, BLOC_AWARDS[year], strict=True):
            best = self._best(self.by_year[year], subject, set())
            given = 0
            for reg in best:
                if given == total:
                    break
                if self._award(
                    decision,
                    day,
                    year,
                    reg,
                    reg["ma_don_vi"],
                    subject,
                    self._qualified(reg),
                    "Giấy khen",
                    "Đảng ủy Khối",
                ):
                    given += 1
            if given != total:
                raise RuntimeError(f"bloc awards {year}: {given} of {total}")

    def _higher_awards(self) -> None:
        """The province- and centre-level awards: few, hand-placed."""
        bdv, awarded, nominated = "Ban Dân vận Tỉnh ủy", v.STATUS_AWARDED, v.STATUS_NOMINATED
        plan = [
            # (year, decision, day, level, form, status, collectives, individuals)
            (2018, "12-QĐ/BCĐ", date(2018, 12, 21), "Ban Chỉ đạo tỉnh", "Biểu dương", awarded, 2, 0),
            (2018, "215-QĐ/BDVTU", date(2018, 12, 26), bdv, "Giấy khen", awarded, 3, 2),
            (2019, "248-QĐ/BDVTU", date(2019, 12, 24), bdv, "Giấy khen", awarded, 2, 3),
            (2020, "276-QĐ/BDVTU", date(2020, 10, 20), bdv, "Giấy khen", awarded, 4, 5),
            (2020, "2785/QĐ-UBND", date(2020, 11, 9), "UBND tỉnh", "Bằng khen", awarded, 2, 2),
            (2020, "1174-QĐ/BDVTW", date(2020, 11, 30), "Trung ương", "Bằng khen", awarded, 1, 0),
            # The 2021-2023 phase: exactly the seed's 1 nomination and 2 commended individuals.
            (2023, "512-TTr/ĐUK", date(2023, 10, 18), "UBND tỉnh", "Bằng khen", nominated, 0, 1),
            (2023, "41-QĐ/BCĐ", date(2023, 11, 2), "Ban Chỉ đạo tỉnh", "Giấy khen", awarded, 0, 2),
            (2024, "331-QĐ/BDVTU", date(2024, 12, 18), bdv, "Giấy khen", awarded, 3, 4),
            (2024, "58-QĐ/BCĐ", date(2024, 12, 20), "Ban Chỉ đạo tỉnh", "Biểu dương", awarded, 0, 1),
            (2024, "561-TTr/ĐUK", date(2024, 12, 23), bdv, "Bằng khen", nominated, 1, 2),
        ]
        for year, decision, day, level, form, status, n_col, n_ind in plan:
            for subject, total in ((v.SUBJECT_COLLECTIVE, n_col), (v.SUBJECT_INDIVIDUAL, n_ind)):
                if not total:
                    continue
                # Province-level honours go to people already honoured by the bloc that year.
                bloc = {
                    a["ma_dang_ky"]
                    for a in self.awards
                    if a["nam"] == year and a["cap_khen_thuong"] == "Đảng ủy Khối"
                }
                best = [r for r in self._best(self.by_year[year], subject, set()) if r["ma_dang_ky"] in bloc]
                picks = best[: total + 3]
                self._award_best(picks, total, decision, day, year, subject, form, level, status)
