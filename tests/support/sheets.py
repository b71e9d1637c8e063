"""Header rows of the import tables as users write them, and a three-unit tree under a bloc:
what the importer tests write again and again, kept in one place."""

from __future__ import annotations

UNIT_HEADER = ["Mã đơn vị", "Tên đơn vị", "Mã đơn vị cấp trên", "Cấp"]
UNITS = [
    UNIT_HEADER,
    ["K", "Đảng bộ Khối", None, "Đảng bộ Khối"],
    ["CS1", "Đảng bộ Công ty Điện lực", "K", "Đảng bộ cơ sở"],
    ["CS2", "Chi bộ Văn phòng", "K", "Chi bộ cơ sở"],
]
# the unit sheet with a unit's history: validity dates and the code of the unit that carries it on
UNIT_HISTORY_HEADER = [*UNIT_HEADER, "Hiệu lực từ", "Hiệu lực đến", "Mã đơn vị kế thừa"]
# a registration's required columns, without and with its code
REG_HEADER = ["Năm", "Mã đơn vị", "Đối tượng", "Tên tập thể, cá nhân", "Tên mô hình", "Lĩnh vực"]
REG_KEYED = ["Mã đăng ký", *REG_HEADER]
SIZE_HEADER = ["Mã đơn vị", "Năm", "Số đảng viên", "Số người lao động"]
AWARD_HEADER = [
    "Số quyết định",
    "Năm",
    "Mã đơn vị",
    "Đối tượng",
    "Tên tập thể, cá nhân",
    "Hình thức",
    "Cấp khen thưởng",
]
