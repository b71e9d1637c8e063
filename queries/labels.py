"""The label catalogue: every name a figure, value, column, sheet or unit is shown under, in Vietnamese
and English. Pages, the CLI, the exports, the narrative and the report read their words from here;
the engine (queries.figures) returns keys.

Figure names follow DOMAIN.md section 4. A stored enum value (queries.vocab) is its own Vietnamese
label; `value_label` gives its English name. Nothing here imports the engine: it is a table of words.
"""

from __future__ import annotations

from queries import vocab

LANGS = ("vi", "en")

# figure key -> (Vietnamese, English). Every scalar figure of the engine, plus the few a page derives.
FIGURE_NAMES: dict[str, tuple[str, str]] = {
    "registrations": ("Lượt đăng ký", "Registrations"),
    "collective": ("Tập thể đăng ký", "Collective registrations"),
    "individual": ("Cá nhân đăng ký", "Individual registrations"),
    "models": ("Số mô hình (theo mã)", "Distinct models"),
    "models_carried_over": ("Mô hình chuyển tiếp", "Models carried over"),
    "models_new": ("Mô hình mới", "New models"),
    "grassroots_units": ("Tổ chức cơ sở đảng", "Grassroots units"),
    "units_with_registration": ("TCCSĐ có đăng ký", "Grassroots units with registrations"),
    "coverage_rate": ("Tỉ lệ TCCSĐ có đăng ký", "Coverage rate"),
    "units_with_conference": ("TCCSĐ tổ chức hội nghị tuyên dương", "Units with a commendation conference"),
    # The two rates below are read on the overview's cards: short names (a card shows about 25
    # characters); the card's help and DOMAIN.md section 4 say what each counts.
    "conference_rate": ("Tỉ lệ tổ chức hội nghị", "Conference rate"),
    "branch_years": ("Lượt chi bộ - năm", "Branch-years"),
    "branch_years_meeting_target": ("Lượt chi bộ - năm đạt chỉ tiêu", "Branch-years meeting the target"),
    "target_compliance_rate": ("Tỉ lệ chi bộ đạt chỉ tiêu", "Target compliance rate"),
    "recognised": ("Lượt đăng ký được công nhận", "Recognised registrations"),
    "recognition_rate": ("Tỉ lệ được công nhận", "Recognition rate"),
    "mean_score": ("Điểm bình quân", "Mean score"),
    "staff": ("Số người lao động", "Staff"),
    "individual_per_100_staff": ("Cá nhân đăng ký / 100 người lao động", "Individuals per 100 staff"),
    "collective_per_grassroots_unit": ("Tập thể đăng ký / TCCSĐ", "Collectives per grassroots unit"),
    "conferences": ("Hội nghị đã tổ chức", "Conferences held"),
    "commendation_conferences": ("Hội nghị tuyên dương, khen thưởng", "Commendation conferences"),
    "conference_attendees": ("Lượt người dự hội nghị", "Conference attendees"),
    "conference_member_attendees": ("Lượt đảng viên dự hội nghị", "Party members attending"),
    "attendance_rate": ("Tỉ lệ đảng viên dự hội nghị", "Party-member attendance rate"),
    "awards": ("Khen thưởng", "Awards"),
    "awards_collective": ("Tập thể được khen thưởng", "Collectives awarded"),
    "awards_individual": ("Cá nhân được khen thưởng", "Individuals awarded"),
    "nominations": ("Đề nghị khen thưởng", "Nominations"),
    "awards_per_registration": ("Khen thưởng / 100 đăng ký", "Awards / 100 registrations"),
}

# Stored enum labels (queries.vocab) are Vietnamese; English readers see these names.
VALUES_EN: dict[str, str] = {
    "Đảng bộ Khối": "Bloc party committee",
    "Tỉnh ủy": "Provincial party committee",
    "Đảng bộ cấp trên cơ sở": "Party committee above the grassroots",
    "Đảng bộ cơ sở": "Grassroots party committee",
    "Chi bộ cơ sở": "Grassroots party branch",
    "Chi bộ trực thuộc": "Subordinate branch",
    "Cơ quan": "Agency",
    "Doanh nghiệp": "Enterprise",
    "Đơn vị sự nghiệp": "Public service unit",
    "Khác": "Other",
    "Tập thể": "Collective",
    "Cá nhân": "Individual",
    "Mô hình": "Model",
    "Điển hình": "Exemplar",
    "Dân vận khéo": "Dân vận khéo",
    "QCDC": "QCDC",
    "Kinh tế": "Economy",
    "Văn hóa - xã hội": "Culture and society",
    "Quốc phòng - an ninh": "Defence and security",
    "Xây dựng hệ thống chính trị": "Political system building",
    "Đã đăng ký": "Registered",
    "Đang thực hiện": "In progress",
    "Hoàn thành": "Completed",
    "Được công nhận": "Recognised",
    "Tiêu biểu": "Exemplary",
    "Không đạt": "Not achieved",
    "Cơ sở": "Grassroots",
    "Đảng ủy Khối": "Bloc party committee",
    "Tỉnh": "Province",
    "Trung ương": "Central",
    "Giấy khen": "Certificate of merit",
    "Bằng khen": "Diploma of merit",
    "Biểu dương": "Commendation",
    "Ban Dân vận Tỉnh ủy": "Provincial Mass Mobilisation Commission",
    "Ban Chỉ đạo tỉnh": "Provincial steering committee",
    "UBND tỉnh": "Provincial People's Committee",
    "Đã khen thưởng": "Awarded",
    "Đề nghị": "Nominated",
    "Tuyên dương, khen thưởng": "Commendation",
    "Sơ kết": "Interim review",
    "Tổng kết": "Final review",
    "Học tập, quán triệt": "Study session",
}

# The same values as the English narrative names them inside a sentence ("awarded by the
# bloc party committee", "models in the economy").
PHRASES_EN: dict[str, str] = {
    # award levels: who awards
    "Cơ sở": "the grassroots units",
    "Đảng ủy Khối": "the bloc party committee",
    "Ban Dân vận Tỉnh ủy": "the provincial Mass Mobilisation Commission",
    "Ban Chỉ đạo tỉnh": "the provincial steering committee",
    "UBND tỉnh": "the provincial People's Committee",
    "Trung ương": "central level",
    # movements, glossed
    vocab.MOVEMENT_DVK: "Dân vận khéo (skilful mass mobilisation)",
    vocab.MOVEMENT_QCDC: "grassroots democracy (QCDC)",
    # fields
    "Kinh tế": "the economy",
    "Văn hóa - xã hội": "culture and society",
    "Quốc phòng - an ninh": "defence and security",
    "Xây dựng hệ thống chính trị": "building the political system",
    "Khác": "other fields",
    # kinds
    "Mô hình": "models",
    "Điển hình": "exemplars",
}

# Template columns (records, downloads): the template's own Vietnamese header, and its English name.
COLUMNS_EN: dict[str, str] = {
    "ma_don_vi": "Unit code",
    "ten_don_vi": "Unit name",
    "ma_cap_tren": "Parent unit code",
    "cap": "Level",
    "loai_hinh": "Type",
    "hieu_luc_tu": "Valid from",
    "hieu_luc_den": "Valid until",
    "ma_ke_thua": "Successor unit code",
    "nam": "Year",
    "so_dang_vien": "Party members",
    "so_nguoi_lao_dong": "Staff",
    "ma_dang_ky": "Registration code",
    "ma_mo_hinh": "Model code",
    "doi_tuong": "Subject",
    "ten_chu_the": "Collective / individual",
    "ten_mo_hinh": "Model name",
    "loai": "Kind",
    "phong_trao": "Movement",
    "linh_vuc": "Field",
    "ngay_dang_ky": "Registered on",
    "ket_qua": "Result",
    "diem": "Score",
    "cap_cong_nhan": "Recognised at level",
    "so_quyet_dinh": "Decision number",
    "ngay_quyet_dinh": "Decision date",
    "hinh_thuc": "Form",
    "cap_khen_thuong": "Awarding level",
    "trang_thai": "Status",
    "loai_hoi_nghi": "Conference type",
    "ngay": "Date",
    "so_nguoi_du": "Attendees",
    "so_dang_vien_du": "Party members attending",
}
COLUMNS_VI: dict[str, str] = {}
for _table in vocab.TABLES:
    for _column in _table.columns:
        COLUMNS_VI.setdefault(_column.alias, _column.header)

# The template's tables, as a sheet is named (vi: the template's sheet label).
TABLES_EN: dict[str, str] = {
    "don_vi": "Units",
    "quy_mo": "Unit sizes",
    "dang_ky": "Registrations",
    "khen_thuong": "Awards",
    "hoi_nghi": "Conferences",
}

# Sheets of `dvk export` workbooks.
SHEETS: dict[str, tuple[str, str]] = {
    "dang_ky": ("Đăng ký", "Registrations"),
    "khen_thuong": ("Khen thưởng", "Awards"),
    "hoi_nghi": ("Hội nghị", "Conferences"),
    "figures": ("Số liệu", "Figures"),
    "by_unit": ("Theo đơn vị", "By unit"),
    "by_field": ("Theo lĩnh vực", "By field"),
    "by_field_year": ("Lĩnh vực theo năm", "Fields by year"),
    "by_field_child": ("Lĩnh vực theo đơn vị", "Fields by unit"),
    "awards": ("Khen thưởng", "Awards"),
}

# Columns of the engine's frames that are neither figures nor template columns, as a download heads
# them (`dvk export --what figures`): key -> (Vietnamese, English).
HEADERS: dict[str, tuple[str, str]] = {
    "figure": ("Chỉ số", "Figure"),  # a figure's name
    "figure_key": ("Mã chỉ số", "Figure key"),  # the engine's key of the figure (for formulas, joins)
    "share": ("Tỉ trọng", "Share"),  # of the registrations
    "change": ("Thay đổi", "Change"),  # from the previous year
    "change_pct": ("Thay đổi", "Change"),  # the same as a percentage: shown "Thay đổi (%)"
    "is_active": ("Đang hoạt động", "Active"),
    "below_target": ("Chưa đạt chỉ tiêu", "Below target"),
    "n_awards": ("Số lượng", "Number"),
}

# A period as a title names it: a phase of several years, or one year.
PERIODS: dict[str, tuple[str, str]] = {
    "phase": ("Giai đoạn {a}-{b}", "Phase {a}-{b}"),
    "year": ("Năm {year}", "Year {year}"),
}

# Units a value is written with. "points": a change of a rate, in percentage points.
UNITS: dict[str, tuple[str, str]] = {
    "points": ("điểm %", "pp"),
}

# Titles of the comparison's breakdown rows ("Đăng ký - lĩnh vực Kinh tế"): group -> (vi, en).
COMPARE_GROUPS: dict[str, tuple[str, str]] = {
    "by_field": ("lĩnh vực", "field"),
    "by_movement": ("phong trào", "movement"),
    "by_kind": ("loại", "kind"),
    "by_subject": ("đối tượng", "subject"),
    "by_result": ("kết quả", "result"),
}
COMPARE_STATUSES: dict[str, tuple[str, str]] = {
    "registrations": ("Đăng ký", "Registrations"),
    "awards": ("Khen thưởng", "Awards"),
    "nominations": ("Đề nghị", "Nominations"),
    "form": ("hình thức", "form"),
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def figure_name(key: str, lang: str = "vi") -> str:
    """The name of a figure ("coverage_rate" -> "Tỉ lệ TCCSĐ có đăng ký" / "Coverage rate")."""
    pair = FIGURE_NAMES.get(key)
    return key if pair is None else _pick(pair, lang)


def value_label(value: object, lang: str = "vi") -> str:
    """A stored (Vietnamese) enum value as the reader reads it in `lang`."""
    if value is None:
        return ""
    text = str(value)
    return VALUES_EN.get(text, text) if lang == "en" else text


def phrase(value: str, lang: str = "vi") -> str:
    """A stored value as a sentence names it (English: "the bloc party committee")."""
    return PHRASES_EN.get(value, value_label(value, lang)) if lang == "en" else value


def column_name(alias: str, lang: str = "vi") -> str:
    """A template column's header ("nam" -> "Năm" / "Year")."""
    table = COLUMNS_EN if lang == "en" else COLUMNS_VI
    return table.get(alias, alias)


def table_name(name: str, lang: str = "vi") -> str:
    """A template table's sheet label ("dang_ky" -> "Đăng ký" / "Registrations")."""
    if lang == "en":
        return TABLES_EN.get(name, name)
    table = vocab.TABLES_BY_NAME.get(name)
    return table.label if table else name


def header(key: str, lang: str = "vi") -> str:
    """A download's header for a column of the engine: a figure's name, a template column's
    header, or one of HEADERS ("share" -> "Tỉ trọng" / "Share"); the key itself otherwise."""
    if key in FIGURE_NAMES:
        return figure_name(key, lang)
    if key in COLUMNS_VI:
        return column_name(key, lang)
    pair = HEADERS.get(key)
    return key if pair is None else _pick(pair, lang)


def sheet_name(key: str, lang: str = "vi") -> str:
    """The name of an export workbook's sheet."""
    return _pick(SHEETS[key], lang)


def unit(key: str, lang: str = "vi") -> str:
    """A unit a value is written with ("points" -> "điểm %" / "pp")."""
    return _pick(UNITS[key], lang)


def period_name(year_from: int, year_to: int, lang: str = "vi") -> str:
    """ "Giai đoạn 2021-2023" / "Năm 2023" (English: "Phase 2021-2023" / "Year 2023")."""
    if year_from == year_to:
        return _pick(PERIODS["year"], lang).format(year=year_from)
    return _pick(PERIODS["phase"], lang).format(a=year_from, b=year_to)


def compare_row_name(key: str, lang: str = "vi") -> str:
    """The name of a row of queries.figures.compare: a figure ("coverage_rate"), a breakdown
    ("registrations.by_field.Kinh tế" -> "Đăng ký - lĩnh vực Kinh tế"), an award level
    ("awards.by_level.Cơ sở" -> "Khen thưởng - Cơ sở") or form ("awards.by_form.Bằng khen")."""
    if key in FIGURE_NAMES:
        return figure_name(key, lang)
    status, group, value = key.split(".", 2)
    shown = value_label(value, lang)
    if status == "registrations":
        title = _pick(COMPARE_GROUPS[group], lang)
        return f"{_pick(COMPARE_STATUSES[status], lang)} - {title} {shown}"
    if group == "by_form":
        return f"{_pick(COMPARE_STATUSES[status], lang)} - {_pick(COMPARE_STATUSES['form'], lang)} {shown}"
    return f"{_pick(COMPARE_STATUSES[status], lang)} - {shown}"


def label(key: str, lang: str = "vi") -> str | None:
    """A catalogue label by a prefixed key: "fig.<figure>", "col.<alias>", "value.<stored value>",
    "head.<column>", "sheet.<sheet>", "table.<table>", "period.<phase|year>", "unit.<unit>"; None when the key is not the catalogue's."""
    prefix, _, rest = key.partition(".")
    if prefix == "value" and rest:
        return value_label(rest, lang)
    if prefix == "fig" and rest in FIGURE_NAMES:
        return figure_name(rest, lang)
    if prefix == "col" and rest in COLUMNS_VI:
        return column_name(rest, lang)
    if prefix == "head" and rest in HEADERS:
        return _pick(HEADERS[rest], lang)
    if prefix == "sheet" and rest in SHEETS:
        return sheet_name(rest, lang)
    if prefix == "table" and rest in TABLES_EN:
        return table_name(rest, lang)
    if prefix == "period" and rest in PERIODS:
        return _pick(PERIODS[rest], lang)  # a template: t() fills {a}, {b} / {year}
    if prefix == "unit" and rest in UNITS:
        return unit(rest, lang)
    return None
