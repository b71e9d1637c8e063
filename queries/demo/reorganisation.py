"""The 2025 reorganisation and the years after it (2025-2026): the builder's fourth layer.

Everything here is drawn from a second random stream, started after the bloc's years 2018-2024 are
built, so those years' rows stay exactly as the first stream made them (the seed figures of
2021-2023 among them). As it happened in a province (DOMAIN.md section 4a):

* the bloc (Đảng bộ Khối) was under the Tỉnh ủy (the root) all along and ends on 31/01/2025,
  with no successor;
* from 01/02/2025 two new committees under the Tỉnh ủy, Đảng bộ các cơ quan Đảng tỉnh and Đảng bộ
  UBND tỉnh, lead its grassroots units, which move keeping their codes (a second row in the unit
  sheet, from 01/02/2025); units of the party agencies, the Front, the court and the procuracy,
  which were not in the bloc, join the first from 01/02/2025 (new to this data set);
* on 01/03/2025 departments merge (`Mã đơn vị kế thừa`, the old ones end on 28/02/2025): Sở Lao
  động - Thương binh và Xã hội into Sở Nội vụ (its branches follow, its social-protection centre
  to Sở Y tế), Sở Giao thông vận tải with Sở Xây dựng into a new Đảng bộ Sở Xây dựng (the transport
  department's branches move under it), Sở Thông tin và Truyền thông into Sở Khoa học và Công nghệ
  (Sở Kế hoạch và Đầu tư already merged into Sở Tài chính on 30/09/2024, in the bloc's years);
* a few units leave the province's party (vertical sectors, banks, an equitised company): they
  end with no successor.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from queries import vocab as v
from queries.demo.calibration import (
    AGENCY,
    BLOC_YEARS,
    COMMENDATION_SHARE_AFTER,
    DATA_UNTIL,
    REORG_YEARS,
    ROOT_CODE,
)
from queries.demo.events import _EventsBuilder
from queries.demo.units import _day, _Unit

PROVINCE_CODE = "TU"
PROVINCE_NAME = "Đảng bộ tỉnh"
PARTY_AGENCIES_CODE = "DBCQD"
PARTY_AGENCIES_NAME = "Đảng bộ các cơ quan Đảng tỉnh"
GOVERNMENT_CODE = "DBUBND"
GOVERNMENT_NAME = "Đảng bộ UBND tỉnh"
CONSTRUCTION_CODE = f"{GOVERNMENT_CODE}.01"  # the new Sở Xây dựng, from the two departments merged

BLOC_END = date(2025, 1, 31)
NEW_START = date(2025, 2, 1)
MERGER_DAY = date(2025, 3, 1)
MERGER_END = MERGER_DAY - timedelta(days=1)

# the bloc's units that pass to Đảng bộ các cơ quan Đảng tỉnh (the others to Đảng bộ UBND tỉnh)
TO_PARTY_AGENCIES = (
    "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh",
    "Liên minh Hợp tác xã tỉnh",
    "Hội Văn học Nghệ thuật tỉnh",
    "Đoàn Luật sư tỉnh",
    "Đài Phát thanh và Truyền hình tỉnh",
    "Nhà xuất bản và Báo ảnh tỉnh",
)
# units joining Đảng bộ các cơ quan Đảng tỉnh from outside the bloc: (name, sector, branches)
# fmt: off
JOINING: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Văn phòng Tỉnh ủy", "administration", ("Phòng Tổng hợp", "Phòng Hành chính - Lưu trữ", "Phòng Quản trị - Tài vụ")),
    ("Ban Tổ chức Tỉnh ủy", "administration", ()),
    ("Ban Tuyên giáo và Dân vận Tỉnh ủy", "administration", ()),
    ("Ủy ban Kiểm tra Tỉnh ủy", "administration", ()),
    ("Cơ quan Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "administration", ("Văn phòng", "Ban Phong trào", "Ban Dân chủ - Pháp luật", "Hội Liên hiệp Phụ nữ tỉnh")),
    ("Tòa án nhân dân tỉnh", "justice", ("Văn phòng", "Tòa Hình sự", "Tòa Dân sự - Hành chính")),
    ("Viện Kiểm sát nhân dân tỉnh", "justice", ("Văn phòng", "Phòng Thực hành quyền công tố", "Phòng Kiểm sát giải quyết án")),
)
# fmt: on
# the units that leave the province's party organisation: (the unit's org, its last day)
LEAVING = (
    ("Cục Thống kê tỉnh", BLOC_END),
    ("Ngân hàng Nhà nước chi nhánh tỉnh", BLOC_END),
    ("Ngân hàng TMCP Ngoại thương chi nhánh tỉnh", BLOC_END),
    ("Công ty Cổ phần Gốm sứ", date(2025, 6, 30)),
)
# merged departments: (old, successor); a đảng bộ's branches follow it unless named in BRANCHES_TO
INTO_INTERIOR = ("Sở Lao động - Thương binh và Xã hội", "Sở Nội vụ")
INTO_SCIENCE = ("Sở Thông tin và Truyền thông", "Sở Khoa học và Công nghệ")
INTO_CONSTRUCTION = ("Sở Giao thông vận tải", "Sở Xây dựng")
# branch of the labour department -> (the org it goes to, merged into that org's branch of this name)
BRANCHES_TO = {
    "Văn phòng Sở": ("Sở Nội vụ", "Văn phòng Sở"),
    "Cơ sở Bảo trợ xã hội tổng hợp": ("Sở Y tế", None),
}
NEW_CONSTRUCTION_BRANCH = "Phòng Quản lý nhà và thị trường bất động sản"
# the province's honours after the bloc: (year, decision, day, level, form, status, collectives, individuals)
PROVINCE_AWARDS = (
    (2025, "412-QĐ/BDVTU", date(2025, 12, 19), "Ban Dân vận Tỉnh ủy", "Giấy khen", v.STATUS_AWARDED, 4, 6),
    (2025, "3120/QĐ-UBND", date(2025, 12, 23), "UBND tỉnh", "Bằng khen", v.STATUS_AWARDED, 2, 3),
    (2025, "63-QĐ/BCĐ", date(2025, 12, 26), "Ban Chỉ đạo tỉnh", "Biểu dương", v.STATUS_AWARDED, 0, 2),
    (2025, "88-TTr/BCĐ", date(2025, 12, 29), "Trung ương", "Bằng khen", v.STATUS_NOMINATED, 1, 0),
    (2026, "97-TTr/BCĐ", date(2026, 11, 27), "UBND tỉnh", "Bằng khen", v.STATUS_NOMINATED, 1, 2),
)


class _ReorgBuilder(_EventsBuilder):
    """The reorganisation and 2025-2026 (build_reorganisation), on a second random stream."""

    def build_reorganisation(self, seed: int) -> None:
        self.rng = random.Random(f"{seed}:reorganisation")
        self._reorganise()
        self._sizes_after()
        previous: dict[str, list[dict]] = {}
        for row in self.by_year[BLOC_YEARS[-1]]:
            previous.setdefault(row["ma_don_vi"], []).append(row)
        self._register_years(REORG_YEARS, previous)
        for year in REORG_YEARS:
            self._conferences_after(year)
            # decision numbers restart every year (DOMAIN.md section 3: the year is part of the key)
            self.decisions_used = set()
            self._grassroots_awards(year)
        self._province_awards()

    # units -------------------------------------------------------------------------------------

    def _new(self, code: str, name: str, level: str, parent: str | None, org: str, start: date) -> _Unit:
        rng = self.rng
        parent_unit = self.units.get(parent) if parent else None
        kind = parent_unit.kind if parent_unit and parent_unit.level in v.GRASSROOTS_LEVELS else AGENCY
        sector = (
            parent_unit.sector
            if parent_unit and parent_unit.level in v.GRASSROOTS_LEVELS
            else "administration"
        )
        unit = self._add(_Unit(code, name, level, parent, kind, sector, org, start))
        unit.quality = rng.gauss(0, 3.5)
        unit.engagement = min(1.0, rng.uniform(0.85, 1.08))
        unit.grassroots = (
            code if level in v.GRASSROOTS_LEVELS else (parent_unit.grassroots if parent_unit else None)
        )
        return unit

    def _reorganise(self) -> None:
        # the Tỉnh ủy, first in the unit sheet; the bloc was under it all along
        self.units = {
            PROVINCE_CODE: _Unit(
                PROVINCE_CODE,
                PROVINCE_NAME,
                v.LEVEL_PROVINCE,
                None,
                AGENCY,
                "administration",
                "Tỉnh ủy",
                date(1992, 1, 1),
            ),
            **self.units,
        }
        bloc = self.units[ROOT_CODE]
        bloc.parent, bloc.valid_to = PROVINCE_CODE, BLOC_END
        for code, name in ((PARTY_AGENCIES_CODE, PARTY_AGENCIES_NAME), (GOVERNMENT_CODE, GOVERNMENT_NAME)):
            self._new(code, name, v.LEVEL_UPPER_COMMITTEE, PROVINCE_CODE, name, NEW_START)
        grassroots = {
            u.org: u for u in self.units.values() if u.level in v.GRASSROOTS_LEVELS and u.parent == ROOT_CODE
        }
        # the units that leave
        for org, last_day in LEAVING:
            for unit in self._with_branches(grassroots[org]):
                if unit.active_on(BLOC_END):
                    unit.valid_to = last_day
        # every unit still there moves under its new committee, keeping its code
        for org, unit in grassroots.items():
            if unit.active_on(NEW_START):
                unit.move(NEW_START, PARTY_AGENCIES_CODE if org in TO_PARTY_AGENCIES else GOVERNMENT_CODE)
        # the party agencies' units that join
        n = 0
        for name, sector, branches in JOINING:
            n += 1
            level = v.LEVEL_GRASSROOTS_COMMITTEE if branches else v.LEVEL_GRASSROOTS_BRANCH
            prefix = "Đảng bộ" if branches else "Chi bộ"
            code = f"{PARTY_AGENCIES_CODE}.{n:02d}"
            unit = self._new(code, f"{prefix} {name}", level, PARTY_AGENCIES_CODE, name, NEW_START)
            unit.sector = sector
            for j, branch_name in enumerate(branches, start=1):
                self._new(
                    f"{code}.{j:02d}", f"Chi bộ {branch_name}", v.LEVEL_BRANCH, code, branch_name, NEW_START
                )
        # departments merge on 01/03/2025
        old, into = (grassroots[o] for o in INTO_SCIENCE)
        self._end(old, into.code)
        old, into = (grassroots[o] for o in INTO_INTERIOR)
        for branch in [self.units[c] for c in old.children]:
            target, merged_into = BRANCHES_TO.get(branch.org, (INTO_INTERIOR[1], None))
            if merged_into:
                self._end(
                    branch, next(b.code for b in self._branches(grassroots[target]) if b.org == merged_into)
                )
            else:
                branch.move(MERGER_DAY, grassroots[target].code)
        self._end(old, into.code)
        transport, construction = (grassroots[o] for o in INTO_CONSTRUCTION)
        merged = self._new(
            CONSTRUCTION_CODE,
            "Đảng bộ Sở Xây dựng",
            v.LEVEL_GRASSROOTS_COMMITTEE,
            GOVERNMENT_CODE,
            "Sở Xây dựng",
            MERGER_DAY,
        )
        merged.sector = transport.sector
        for branch in self._branches(transport):
            branch.move(MERGER_DAY, merged.code)
        self._new(
            f"{merged.code}.01",
            f"Chi bộ {NEW_CONSTRUCTION_BRANCH}",
            v.LEVEL_BRANCH,
            merged.code,
            NEW_CONSTRUCTION_BRANCH,
            MERGER_DAY,
        )
        self._end(transport, merged.code)
        self._end(construction, merged.code)
        # children as they stand at the end (the subtrees of 2025-2026)
        for unit in self.units.values():
            unit.children = []
        for unit in self.units.values():
            if unit.parent:
                self.units[unit.parent].children.append(unit.code)

    def _branches(self, unit: _Unit) -> list[_Unit]:
        return [u for u in self.units.values() if u.level == v.LEVEL_BRANCH and u.parent == unit.code]

    def _with_branches(self, unit: _Unit) -> list[_Unit]:
        return [unit, *self._branches(unit)]

    def _end(self, unit: _Unit, successor: str) -> None:
        unit.valid_to, unit.successor = MERGER_END, successor

    def _registering(self, year: int) -> list[_Unit]:
        """After the reorganisation, the chi bộ still there in April (registration closes then)."""
        if year in BLOC_YEARS:
            return super()._registering(year)
        return [
            u for u in self.units.values() if u.level in v.BRANCH_LEVELS and u.active_on(date(year, 4, 1))
        ]

    def _sizes_after(self) -> None:
        """Members and staff in 2025-2026: each chi bộ grows a little from 2024 (a new one gets a size
        of its own; a chi bộ cơ sở adds the chi bộ merged into it); a đảng bộ cơ sở sums its branches."""
        rng = self.rng
        last = BLOC_YEARS[-1]
        for unit in self.units.values():
            if unit.level not in v.BRANCH_LEVELS:
                continue
            ratio = unit.staff[last] / unit.members[last] if last in unit.members else rng.uniform(1.5, 2.6)
            base = unit.members.get(last) or rng.randint(7, 30)
            absorbed = [
                u for u in self.units.values() if u.successor == unit.code and u.level in v.BRANCH_LEVELS
            ]
            for year in REORG_YEARS:
                if not unit.active_in(year):
                    continue
                grown = base * (1 + 0.02 * (year - last)) + rng.gauss(0, 1.0)
                if unit.valid_from is None or unit.valid_from.year < year:
                    grown += sum(u.members.get(last, 0) for u in absorbed)
                unit.members[year] = max(4, round(grown))
                unit.staff[year] = max(
                    unit.members[year] + 2, round(unit.members[year] * ratio + rng.gauss(0, 2))
                )
        for unit in self.units.values():
            if unit.level != v.LEVEL_GRASSROOTS_COMMITTEE:
                continue
            for year in REORG_YEARS:
                if not unit.active_in(year):
                    continue
                day = min(unit.valid_to or date(year, 12, 31), date(year, 12, 31))
                kids = [
                    u
                    for u in self.units.values()
                    if u.level == v.LEVEL_BRANCH and u.active_on(day) and u.parent_on(day) == unit.code
                ]
                unit.members[year] = sum(k.members[year] for k in kids)
                unit.staff[year] = sum(k.staff[year] for k in kids)

    # conferences and awards --------------------------------------------------------------------

    def _conferences_after(self, year: int) -> None:
        """The year's conferences; in 2026 only those held by DATA_UNTIL."""
        rng = self.rng
        last_day = min(date(year, 12, 31), DATA_UNTIL)
        holders = [
            u
            for u in self.units.values()
            if u.level in v.GRASSROOTS_LEVELS
            and u.active_on(last_day)
            and rng.random() < COMMENDATION_SHARE_AFTER[year] * u.engagement
        ]
        order = list(self.units)
        self.holders[year] = sorted((u.code for u in holders), key=order.index)
        holding = set(self.holders[year])
        for unit in self.units.values():
            if not unit.active_in(year) or unit.level in (v.LEVEL_PROVINCE, v.LEVEL_BLOC):
                continue
            if unit.level == v.LEVEL_UPPER_COMMITTEE:
                for month in (3, 8):
                    day = date(year, month, rng.randint(5, 25))
                    self._conference(unit, year, "Học tập, quán triệt", day, delegates=True)
                self._conference(unit, year, "Sơ kết", date(year, 7, rng.randint(8, 24)), delegates=True)
                if date(year, 12, 31) <= DATA_UNTIL:
                    self._conference(
                        unit, year, "Tổng kết", date(year, 12, rng.randint(10, 26)), delegates=True
                    )
                continue
            if unit.level in v.GRASSROOTS_LEVELS:
                if unit.code in holding:
                    day = _day(rng, date(year, 11, 10), min(date(year, 12, 28), last_day))
                    self._conference(unit, year, v.CONFERENCE_COMMENDATION, day)
                if rng.random() < 0.55:
                    self._conference(unit, year, "Sơ kết", _day(rng, date(year, 6, 20), date(year, 7, 25)))
                if rng.random() < 0.7 and date(year, 12, 31) <= DATA_UNTIL:
                    self._conference(unit, year, "Tổng kết", _day(rng, date(year, 12, 1), date(year, 12, 30)))
            for month in (3, 5, 7, 9, 11):
                if rng.random() < 0.3:
                    self._conference(unit, year, "Học tập, quán triệt", date(year, month, rng.randint(4, 26)))

    def _province_awards(self) -> None:
        """The province's honours of 2025-2026: to the best recognised registrations of the year."""
        for year, decision, day, level, form, status, n_col, n_ind in PROVINCE_AWARDS:
            for subject, total in ((v.SUBJECT_COLLECTIVE, n_col), (v.SUBJECT_INDIVIDUAL, n_ind)):
                if not total:
                    continue
                picks = self._best(self.by_year[year], subject, set())[: total + 3]
                self._award_best(picks, total, decision, day, year, subject, form, level, status)
