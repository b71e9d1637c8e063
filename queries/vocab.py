"""The data contract of DOMAIN.md section 3: tables, columns, headers, aliases and allowed values.

Everything that reads or writes the template (importer, template writer, demo generator, exports)
takes its names from here, so the contract lives in exactly one place.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import TypedDict

# --- canonical enum labels (stored exactly like this in DuckDB) -------------------------------

LEVEL_PROVINCE = "Tỉnh ủy"
LEVEL_BLOC = "Đảng bộ Khối"
# any other committee that leads grassroots units (Đảng bộ UBND tỉnh, Đảng bộ các cơ quan Đảng tỉnh)
LEVEL_UPPER_COMMITTEE = "Đảng bộ cấp trên cơ sở"
LEVEL_GRASSROOTS_COMMITTEE = "Đảng bộ cơ sở"
LEVEL_GRASSROOTS_BRANCH = "Chi bộ cơ sở"
LEVEL_BRANCH = "Chi bộ trực thuộc"
UNIT_LEVELS = (
    LEVEL_PROVINCE,
    LEVEL_BLOC,
    LEVEL_UPPER_COMMITTEE,
    LEVEL_GRASSROOTS_COMMITTEE,
    LEVEL_GRASSROOTS_BRANCH,
    LEVEL_BRANCH,
)
# Above the grassroots: a province, a bloc, any other committee that leads grassroots units.
SUPERIOR_LEVELS = (LEVEL_PROVINCE, LEVEL_BLOC, LEVEL_UPPER_COMMITTEE)
# TCCSĐ: the denominators of coverage and conference rates.
GRASSROOTS_LEVELS = (LEVEL_GRASSROOTS_COMMITTEE, LEVEL_GRASSROOTS_BRANCH)
# Chi bộ: the units of target compliance.
BRANCH_LEVELS = (LEVEL_GRASSROOTS_BRANCH, LEVEL_BRANCH)

UNIT_TYPES = ("Cơ quan", "Doanh nghiệp", "Đơn vị sự nghiệp", "Khác")

SUBJECT_COLLECTIVE = "Tập thể"
SUBJECT_INDIVIDUAL = "Cá nhân"
SUBJECTS = (SUBJECT_COLLECTIVE, SUBJECT_INDIVIDUAL)

KIND_MODEL = "Mô hình"
KIND_EXEMPLAR = "Điển hình"
KINDS = (KIND_MODEL, KIND_EXEMPLAR)

MOVEMENT_DVK = "Dân vận khéo"
MOVEMENT_QCDC = "QCDC"
MOVEMENTS = (MOVEMENT_DVK, MOVEMENT_QCDC)

FIELDS = ("Kinh tế", "Văn hóa - xã hội", "Quốc phòng - an ninh", "Xây dựng hệ thống chính trị", "Khác")

RESULT_REGISTERED = "Đã đăng ký"
RESULT_IN_PROGRESS = "Đang thực hiện"
RESULT_DONE = "Hoàn thành"
RESULT_RECOGNISED = "Được công nhận"
RESULT_EXEMPLARY = "Tiêu biểu"
RESULT_FAILED = "Không đạt"
RESULTS = (
    RESULT_REGISTERED,
    RESULT_IN_PROGRESS,
    RESULT_DONE,
    RESULT_RECOGNISED,
    RESULT_EXEMPLARY,
    RESULT_FAILED,
)
RECOGNISED_RESULTS = (RESULT_RECOGNISED, RESULT_EXEMPLARY)

RECOGNITION_LEVELS = ("Cơ sở", "Đảng ủy Khối", "Tỉnh", "Trung ương")

AWARD_FORMS = ("Giấy khen", "Bằng khen", "Biểu dương", "Khác")
AWARD_LEVELS = ("Cơ sở", "Đảng ủy Khối", "Ban Dân vận Tỉnh ủy", "Ban Chỉ đạo tỉnh", "UBND tỉnh", "Trung ương")
STATUS_AWARDED = "Đã khen thưởng"
STATUS_NOMINATED = "Đề nghị"
AWARD_STATUSES = (STATUS_AWARDED, STATUS_NOMINATED)

CONFERENCE_COMMENDATION = "Tuyên dương, khen thưởng"
CONFERENCE_TYPES = (CONFERENCE_COMMENDATION, "Sơ kết", "Tổng kết", "Học tập, quán triệt")

RECOGNITION_THRESHOLD = 75.0
YEAR_MIN, YEAR_MAX = 1990, 2100

# --- columns and tables ------------------------------------------------------------------------

TEXT, INTEGER, NUMBER, DATE = "text", "integer", "number", "date"


@dataclass(frozen=True)
class Column:
    """One column of the template: its Vietnamese header, ASCII alias (= DuckDB column), type."""

    header: str
    alias: str
    type: str = TEXT
    required: bool = False
    choices: tuple[str, ...] | None = None
    default: str | None = None
    min_value: float | None = None
    max_value: float | None = None


@dataclass(frozen=True)
class Table:
    """One sheet of the template and the DuckDB table it fills."""

    label: str  # sheet name as users write it, e.g. "Đăng ký"
    name: str  # ASCII sheet alias = DuckDB table name, e.g. "dang_ky"
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # the re-import key of DOMAIN.md
    description: str = ""
    extra_aliases: tuple[str, ...] = field(default_factory=tuple)

    def column(self, alias: str) -> Column:
        """The column with this alias."""
        for col in self.columns:
            if col.alias == alias:
                return col
        raise KeyError(alias)

    @property
    def aliases(self) -> list[str]:
        """Column aliases in template order."""
        return [c.alias for c in self.columns]


class _ColumnBounds(TypedDict):
    """Keyword arguments of `Column` shared by every year column."""

    type: str
    min_value: float
    max_value: float


_YEAR: _ColumnBounds = {"type": INTEGER, "min_value": YEAR_MIN, "max_value": YEAR_MAX}

UNITS = Table(
    label="Đơn vị",
    name="don_vi",
    # A unit that changes its superior keeping its code has one row per time (non-overlapping
    # validity); the store keeps a derived text key `ma_hieu_luc` = "ma_don_vi|yyyy-mm-dd".
    key=("ma_don_vi", "hieu_luc_tu"),
    description="Đơn vị (mỗi dòng một đơn vị, hoặc một thời kỳ của đơn vị khi đổi cấp trên)",
    columns=(
        Column("Mã đơn vị", "ma_don_vi", required=True),
        Column("Tên đơn vị", "ten_don_vi", required=True),
        Column("Mã đơn vị cấp trên", "ma_cap_tren"),
        Column("Cấp", "cap", required=True, choices=UNIT_LEVELS),
        Column("Loại hình", "loai_hinh", choices=UNIT_TYPES),
        Column("Hiệu lực từ", "hieu_luc_tu", type=DATE),
        Column("Hiệu lực đến", "hieu_luc_den", type=DATE),
        Column("Mã đơn vị kế thừa", "ma_ke_thua"),
    ),
)

UNIT_SIZES = Table(
    label="Quy mô",
    name="quy_mo",
    key=("ma_don_vi", "nam"),
    description="Quy mô đơn vị theo năm (mẫu số của các tỉ lệ)",
    columns=(
        Column("Mã đơn vị", "ma_don_vi", required=True),
        Column("Năm", "nam", required=True, **_YEAR),
        Column("Số đảng viên", "so_dang_vien", type=INTEGER, min_value=0),
        Column("Số người lao động", "so_nguoi_lao_dong", type=INTEGER, min_value=0),
    ),
)

REGISTRATIONS = Table(
    label="Đăng ký",
    name="dang_ky",
    key=("ma_dang_ky",),
    description="Đăng ký mô hình (mỗi dòng một chủ thể, một mô hình, một năm)",
    columns=(
        Column("Mã đăng ký", "ma_dang_ky"),
        Column("Mã mô hình", "ma_mo_hinh"),
        Column("Năm", "nam", required=True, **_YEAR),
        Column("Mã đơn vị", "ma_don_vi", required=True),
        Column("Đối tượng", "doi_tuong", required=True, choices=SUBJECTS),
        Column("Tên tập thể, cá nhân", "ten_chu_the", required=True),
        Column("Tên mô hình", "ten_mo_hinh", required=True),
        Column("Loại", "loai", choices=KINDS, default=KIND_MODEL),
        Column("Phong trào", "phong_trao", choices=MOVEMENTS, default=MOVEMENT_DVK),
        Column("Lĩnh vực", "linh_vuc", required=True, choices=FIELDS),
        Column("Ngày đăng ký", "ngay_dang_ky", type=DATE),
        Column("Kết quả", "ket_qua", choices=RESULTS, default=RESULT_REGISTERED),
        Column("Điểm", "diem", type=NUMBER, min_value=0, max_value=100),
        Column("Cấp công nhận", "cap_cong_nhan", choices=RECOGNITION_LEVELS),
    ),
)

AWARDS = Table(
    label="Khen thưởng",
    name="khen_thuong",
    # With the year of the decision (ngay_quyet_dinh's, else nam): numbers restart every year. The
    # store keeps a derived text key `ma_khen_thuong`, case and spaces folded (see importer).
    key=("so_quyet_dinh", "doi_tuong", "ten_chu_the"),
    description="Khen thưởng và đề nghị khen thưởng",
    columns=(
        Column("Số quyết định", "so_quyet_dinh", required=True),
        Column("Ngày quyết định", "ngay_quyet_dinh", type=DATE),
        Column("Năm", "nam", required=True, **_YEAR),
        Column("Mã đơn vị", "ma_don_vi", required=True),
        Column("Đối tượng", "doi_tuong", required=True, choices=SUBJECTS),
        Column("Tên tập thể, cá nhân", "ten_chu_the", required=True),
        Column("Hình thức", "hinh_thuc", required=True, choices=AWARD_FORMS),
        Column("Cấp khen thưởng", "cap_khen_thuong", required=True, choices=AWARD_LEVELS),
        Column("Trạng thái", "trang_thai", choices=AWARD_STATUSES, default=STATUS_AWARDED),
        Column("Mã đăng ký", "ma_dang_ky"),
    ),
)

CONFERENCES = Table(
    label="Hội nghị",
    name="hoi_nghi",
    # The DOMAIN key includes the (optional) date; DuckDB keys cannot be NULL, so the store
    # keeps a derived text key `ma_hoi_nghi` built from these four columns (see importer).
    key=("ma_don_vi", "nam", "loai_hoi_nghi", "ngay"),
    description="Hội nghị đã tổ chức",
    columns=(
        Column("Mã đơn vị", "ma_don_vi", required=True),
        Column("Năm", "nam", required=True, **_YEAR),
        Column("Loại hội nghị", "loai_hoi_nghi", required=True, choices=CONFERENCE_TYPES),
        Column("Ngày", "ngay", type=DATE),
        Column("Số người dự", "so_nguoi_du", type=INTEGER, min_value=0),
        Column("Số đảng viên dự", "so_dang_vien_du", type=INTEGER, min_value=0),
    ),
)

TABLES: tuple[Table, ...] = (UNITS, UNIT_SIZES, REGISTRATIONS, AWARDS, CONFERENCES)
TABLES_BY_NAME = {t.name: t for t in TABLES}


# --- matching ----------------------------------------------------------------------------------

_SPACES = re.compile(r"[\s_]+")


def fold(text: str) -> str:
    """Matching key: NFC/NFD-insensitive, no diacritics, đ→d, lower case, no spaces/underscores.

    "Đăng ký", "dang_ky", "DANG KY" and the NFD form of "Đăng ký" all fold to "dangky".
    """
    decomposed = unicodedata.normalize("NFD", str(text))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return _SPACES.sub("", stripped).lower()


def fold_value(text: str) -> str:
    """Matching key for enum values: like fold() but punctuation-insensitive too."""
    return re.sub(r"[^0-9a-z]", "", fold(text))


def table_for_name(name: str) -> Table | None:
    """The table whose sheet label or alias matches this sheet/file name, if any."""
    key = fold(name)
    for table in TABLES:
        if key in (fold(table.label), fold(table.name)):
            return table
    return None


def canonical_choice(column: Column, raw: str) -> str | None:
    """The canonical label matching a user's spelling ("tap the" -> "Tập thể"), or None."""
    assert column.choices is not None
    key = fold_value(raw)
    for choice in column.choices:
        if fold_value(choice) == key:
            return choice
    return None


# What a spreadsheet takes for the start of a formula: exports put a quote before a text that starts
# so (queries.export.neutralise), imports take that quote off again (queries.parse.clean_text).
# Also their fullwidth and small forms (＝ ＋ － ＠, ﹦ ﹢ ﹣ ﹫): Excel with an East Asian input method
# takes "＝4+4" for the formula =4+4.
FORMULA_STARTS = (
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
    "\uff1d",
    "\uff0b",
    "\uff0d",
    "\uff20",
    "\ufe66",
    "\ufe62",
    "\ufe63",
    "\ufe6b",
)
