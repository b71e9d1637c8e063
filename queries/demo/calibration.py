"""What the demo is calibrated to: its seed and years, the seed figures of DOMAIN.md section 5
with plausible years around them, and the bloc's grassroots units (names, kinds, sectors, branches,
and the units whose validity exercises the history)."""

from __future__ import annotations

from datetime import date, datetime

from queries import vocab as v
from queries.store import ROOT

DEFAULT_SEED = 2023
DEMO_WORKBOOK = ROOT / "data" / "dvk_demo.xlsx"
# The bloc's years, drawn from the first random stream (their rows never change); the years after the
# 2025 reorganisation come from a second stream (queries/demo/reorganisation.py).
BLOC_YEARS = tuple(range(2018, 2025))
REORG_YEARS = (2025, 2026)
YEARS = BLOC_YEARS + REORG_YEARS
PHASE = (2021, 2023)
ROOT_CODE = "DBK"
ROOT_NAME = "Đảng bộ Khối Cơ quan và Doanh nghiệp tỉnh"
# A fixed creation stamp keeps the workbook byte-identical from run to run.
WORKBOOK_CREATED = datetime(2026, 12, 7, 8, 0, 0)
# The day the demo's data was last entered: nothing in it is dated later (2026 is partial).
DATA_UNTIL = date(2026, 12, 5)

# --- calibration: the seed figures of DOMAIN.md section 5 and plausible years around them --------

# (2025 and 2026: the units of the two new committees, the bloc's units that stayed and the party
# agencies' units that joined them; see reorganisation.py)
COLLECTIVE_REGISTRATIONS = {
    2018: 175,
    2019: 200,
    2020: 230,
    2021: 320,
    2022: 352,
    2023: 389,
    2024: 412,
    2025: 431,
    2026: 458,
}
INDIVIDUAL_REGISTRATIONS = {
    2018: 980,
    2019: 1150,
    2020: 1380,
    2021: 1802,
    2022: 1966,
    2023: 2140,
    2024: 2265,
    2025: 2318,
    2026: 2436,
}
# (collectives, individuals) awarded by grassroots party committees and by the bloc committee.
GRASSROOTS_AWARDS = {
    2018: (15, 20),
    2019: (20, 25),
    2020: (28, 34),
    2021: (38, 46),
    2022: (41, 50),
    2023: (47, 60),
    2024: (45, 58),
    2025: (44, 57),
    2026: (23, 30),  # partial: most units hold their conference in December
}
BLOC_AWARDS = {
    2018: (10, 15),
    2019: (12, 18),
    2020: (15, 24),
    2021: (17, 30),
    2022: (20, 36),
    2023: (24, 44),
    2024: (22, 40),
}
COMMENDATION_UNITS_IN_PHASE = 67
GRASSROOTS_IN_PHASE = 89

# Share of active chi bộ that register at all, and that also build a QCDC model, per year.
# fmt: off
PARTICIPATION = {2018: 0.74, 2019: 0.78, 2020: 0.80, 2021: 0.86, 2022: 0.89, 2023: 0.92, 2024: 0.93, 2025: 0.90, 2026: 0.94}
QCDC_TARGET = {2018: 0.45, 2019: 0.50, 2020: 0.55, 2021: 0.62, 2022: 0.68, 2023: 0.74, 2024: 0.78, 2025: 0.76, 2026: 0.82}
# fmt: on
# Share of the year's registrations whose result is still pending when the data was entered:
# (in progress, in progress or done but not yet scored). 2026 is being scored as the data ends.
PENDING = {2024: (0.15, 0.42), 2025: (0.01, 0.04), 2026: (0.30, 0.62)}
# Share of grassroots units holding a commendation conference outside the calibrated phase.
COMMENDATION_SHARE = {2018: 0.25, 2019: 0.30, 2020: 0.42, 2024: 0.66}
# ... after the reorganisation (2026: the conferences held by early December)
COMMENDATION_SHARE_AFTER = {2025: 0.72, 2026: 0.38}

# --- the bloc: grassroots units (name without "Đảng bộ"/"Chi bộ", loại hình, sector, branches) -----

AGENCY, ENTERPRISE, PUBLIC, OTHER = v.UNIT_TYPES
# fmt: off
COMMITTEES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("Sở Tài chính", AGENCY, "finance", ("Văn phòng Sở", "Phòng Quản lý ngân sách", "Phòng Tài chính doanh nghiệp", "Phòng Quản lý giá và công sản", "Thanh tra Sở")),
    ("Cục Thuế tỉnh", AGENCY, "tax", ("Văn phòng Cục Thuế", "Phòng Kiểm tra thuế", "Phòng Tuyên truyền - Hỗ trợ người nộp thuế", "Chi cục Thuế khu vực Long Hồ - Mang Thít", "Chi cục Thuế khu vực Vũng Liêm - Trà Ôn", "Chi cục Thuế khu vực Bình Minh - Bình Tân", "Chi cục Thuế thành phố Vĩnh Long")),
    ("Kho bạc Nhà nước tỉnh", AGENCY, "treasury", ("Văn phòng Kho bạc", "Phòng Kiểm soát chi", "Phòng Kế toán nhà nước", "Kho bạc Nhà nước Long Hồ", "Kho bạc Nhà nước Vũng Liêm", "Kho bạc Nhà nước Tam Bình", "Kho bạc Nhà nước Bình Minh")),
    ("Sở Giáo dục và Đào tạo", AGENCY, "education", ("Văn phòng Sở", "Phòng Giáo dục trung học", "Phòng Tổ chức cán bộ", "Phòng Khảo thí và Kiểm định chất lượng")),
    ("Sở Nông nghiệp và Phát triển nông thôn", AGENCY, "agriculture", ("Văn phòng Sở", "Chi cục Thủy lợi", "Chi cục Trồng trọt và Bảo vệ thực vật", "Chi cục Chăn nuôi và Thú y", "Trung tâm Khuyến nông", "Chi cục Phát triển nông thôn")),
    ("Sở Giao thông vận tải", AGENCY, "transport", ("Văn phòng Sở", "Thanh tra Sở", "Phòng Quản lý vận tải", "Phòng Quản lý kết cấu hạ tầng giao thông")),
    ("Sở Tài nguyên và Môi trường", AGENCY, "environment", ("Văn phòng Sở", "Văn phòng Đăng ký đất đai", "Chi cục Bảo vệ môi trường", "Trung tâm Phát triển quỹ đất", "Trung tâm Quan trắc tài nguyên và môi trường")),
    ("Văn phòng UBND tỉnh", AGENCY, "administration", ("Phòng Hành chính - Tổ chức", "Phòng Kinh tế", "Phòng Khoa giáo - Văn xã", "Phòng Nội chính", "Ban Tiếp công dân")),
    ("Bảo hiểm xã hội tỉnh", AGENCY, "social_insurance", ("Văn phòng", "Phòng Quản lý thu", "Phòng Chế độ bảo hiểm xã hội", "Phòng Giám định bảo hiểm y tế", "Bảo hiểm xã hội thành phố Vĩnh Long", "Bảo hiểm xã hội Long Hồ")),
    ("Sở Lao động - Thương binh và Xã hội", AGENCY, "labour", ("Văn phòng Sở", "Phòng Người có công", "Trung tâm Dịch vụ việc làm", "Cơ sở Bảo trợ xã hội tổng hợp")),
    ("Sở Văn hóa, Thể thao và Du lịch", AGENCY, "culture", ("Văn phòng Sở", "Thư viện tỉnh", "Bảo tàng tỉnh", "Trung tâm Văn hóa nghệ thuật", "Trung tâm Huấn luyện và Thi đấu thể dục thể thao")),
    ("Sở Y tế", AGENCY, "health", ("Văn phòng Sở", "Chi cục An toàn vệ sinh thực phẩm", "Trung tâm Kiểm soát bệnh tật", "Trung tâm Kiểm nghiệm")),
    ("Sở Nội vụ", AGENCY, "administration", ("Văn phòng Sở", "Ban Thi đua - Khen thưởng", "Chi cục Văn thư - Lưu trữ", "Ban Tôn giáo")),
    ("Cục Thống kê tỉnh", AGENCY, "statistics", ("Văn phòng Cục", "Phòng Thống kê kinh tế", "Phòng Thống kê xã hội", "Chi cục Thống kê khu vực")),
    ("Công ty Điện lực tỉnh", ENTERPRISE, "power", ("Văn phòng Công ty", "Phòng Kỹ thuật", "Phòng Kinh doanh", "Điện lực thành phố Vĩnh Long", "Điện lực Long Hồ", "Điện lực Mang Thít", "Điện lực Vũng Liêm", "Điện lực Tam Bình", "Điện lực Trà Ôn")),
    ("Bưu điện tỉnh", ENTERPRISE, "post", ("Văn phòng Bưu điện tỉnh", "Trung tâm Khai thác vận chuyển", "Bưu điện thành phố Vĩnh Long", "Bưu điện huyện Long Hồ", "Bưu điện huyện Vũng Liêm", "Bưu điện huyện Trà Ôn")),
    ("Viễn thông tỉnh", ENTERPRISE, "telecom", ("Phòng Tổng hợp - Nhân sự", "Trung tâm Điều hành thông tin", "Trung tâm Kinh doanh VNPT", "Trung tâm Viễn thông thành phố", "Trung tâm Viễn thông Long Hồ")),
    ("Công ty Cổ phần Cấp thoát nước tỉnh", ENTERPRISE, "water", ("Văn phòng Công ty", "Nhà máy nước Trường An", "Xí nghiệp Cấp nước thành phố", "Chi nhánh Cấp nước Bình Minh", "Chi nhánh Cấp nước Vũng Liêm")),
    ("Ngân hàng Nông nghiệp và Phát triển nông thôn chi nhánh tỉnh", ENTERPRISE, "bank", ("Văn phòng", "Phòng Kế hoạch - Kinh doanh", "Chi nhánh Long Hồ", "Chi nhánh Vũng Liêm", "Chi nhánh Tam Bình", "Chi nhánh Trà Ôn", "Chi nhánh Bình Minh")),
    ("Ngân hàng TMCP Công thương chi nhánh tỉnh", ENTERPRISE, "bank", ("Phòng Tổng hợp", "Phòng Khách hàng doanh nghiệp", "Phòng Bán lẻ", "Phòng giao dịch Long Hồ")),
    ("Công ty TNHH MTV Xổ số kiến thiết tỉnh", ENTERPRISE, "lottery", ("Văn phòng Công ty", "Phòng Kế hoạch - Kinh doanh", "Phòng Kế toán - Tài vụ")),
    ("Công ty Cổ phần Công trình công cộng tỉnh", ENTERPRISE, "public_works", ("Văn phòng Công ty", "Đội Vệ sinh môi trường", "Đội Cây xanh - Chiếu sáng", "Đội Quản lý nghĩa trang")),
    ("Công ty Cổ phần Dược phẩm tỉnh", ENTERPRISE, "pharma", ("Văn phòng Công ty", "Nhà máy sản xuất thuốc", "Phòng Kinh doanh", "Phòng Kiểm tra chất lượng")),
    ("Công ty Xăng dầu tỉnh", ENTERPRISE, "enterprise", ("Văn phòng Công ty", "Phòng Kinh doanh", "Kho xăng dầu", "Cửa hàng xăng dầu khu vực thành phố")),
    ("Trường Đại học Sư phạm Kỹ thuật", PUBLIC, "university", ("Khoa Cơ khí", "Khoa Điện - Điện tử", "Khoa Công nghệ thông tin", "Khoa Kinh tế - Luật", "Phòng Đào tạo", "Phòng Tổ chức - Hành chính", "Sinh viên")),
    ("Trường Cao đẳng Kinh tế - Tài chính", PUBLIC, "university", ("Khoa Kế toán", "Khoa Tài chính - Ngân hàng", "Phòng Đào tạo", "Văn phòng Trường")),
    ("Trường Cao đẳng Nghề tỉnh", PUBLIC, "university", ("Khoa Cơ khí động lực", "Khoa Điện công nghiệp", "Phòng Đào tạo", "Văn phòng Trường")),
    ("Trường Cao đẳng Y tế", PUBLIC, "university", ("Khoa Điều dưỡng", "Khoa Dược", "Phòng Đào tạo")),
    ("Bệnh viện Đa khoa tỉnh", PUBLIC, "hospital", ("Khoa Nội tổng hợp", "Khoa Ngoại tổng hợp", "Khoa Hồi sức tích cực - Chống độc", "Khoa Khám bệnh", "Khoa Sản", "Khoa Nhi", "Phòng Điều dưỡng", "Phòng Hành chính quản trị")),
    ("Bệnh viện Y dược cổ truyền tỉnh", PUBLIC, "hospital", ("Khoa Khám bệnh", "Khoa Nội", "Khoa Châm cứu - Dưỡng sinh", "Phòng Kế hoạch tổng hợp")),
    ("Bệnh viện Sản - Nhi tỉnh", PUBLIC, "hospital", ("Khoa Sản", "Khoa Nhi", "Khoa Sơ sinh", "Phòng Kế hoạch tổng hợp")),
    ("Đài Phát thanh và Truyền hình tỉnh", PUBLIC, "media", ("Phòng Thời sự", "Phòng Chuyên đề", "Phòng Kỹ thuật - Công nghệ", "Phòng Tổ chức - Hành chính")),
)

BRANCH_UNITS: tuple[tuple[str, str, str], ...] = (
    ("Sở Tư pháp", AGENCY, "justice"),
    ("Sở Công Thương", AGENCY, "trade"),
    ("Sở Khoa học và Công nghệ", AGENCY, "administration"),
    ("Sở Thông tin và Truyền thông", AGENCY, "administration"),
    ("Sở Xây dựng", AGENCY, "transport"),
    ("Sở Kế hoạch và Đầu tư", AGENCY, "trade"),
    ("Sở Ngoại vụ", AGENCY, "administration"),
    ("Thanh tra tỉnh", AGENCY, "administration"),
    ("Ban Dân tộc tỉnh", AGENCY, "administration"),
    ("Ban Quản lý các khu công nghiệp", AGENCY, "trade"),
    ("Cục Quản lý thị trường tỉnh", AGENCY, "trade"),
    ("Ngân hàng Nhà nước chi nhánh tỉnh", AGENCY, "bank"),
    ("Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh", AGENCY, "administration"),
    ("Liên minh Hợp tác xã tỉnh", OTHER, "agriculture"),
    ("Đoàn Luật sư tỉnh", OTHER, "justice"),
    ("Hội Văn học Nghệ thuật tỉnh", OTHER, "culture"),
    ("Ngân hàng Chính sách xã hội chi nhánh tỉnh", ENTERPRISE, "bank"),
    ("Ngân hàng TMCP Ngoại thương chi nhánh tỉnh", ENTERPRISE, "bank"),
    ("Ngân hàng TMCP Đầu tư và Phát triển chi nhánh tỉnh", ENTERPRISE, "bank"),
    ("Chi nhánh Viettel tỉnh", ENTERPRISE, "telecom"),
    ("Công ty Bảo Việt tỉnh", ENTERPRISE, "enterprise"),
    ("Công ty TNHH MTV Khai thác công trình thủy lợi", ENTERPRISE, "agriculture"),
    ("Công ty Cổ phần Vận tải thủy", ENTERPRISE, "enterprise"),
    ("Công ty Cổ phần Bến xe khách tỉnh", ENTERPRISE, "enterprise"),
    ("Công ty Cổ phần Vật liệu xây dựng", ENTERPRISE, "enterprise"),
    ("Công ty Cổ phần Xây dựng công trình giao thông", ENTERPRISE, "transport"),
    ("Công ty Cổ phần Tư vấn xây dựng", ENTERPRISE, "enterprise"),
    ("Công ty Cổ phần Lương thực", ENTERPRISE, "agriculture"),
    ("Công ty Cổ phần Thủy sản", ENTERPRISE, "agriculture"),
    ("Công ty Cổ phần Gốm sứ", ENTERPRISE, "enterprise"),
    ("Công ty Cổ phần In tỉnh", ENTERPRISE, "enterprise"),
    ("Công ty Cổ phần Cảng", ENTERPRISE, "enterprise"),
    ("Công ty Cổ phần Đầu tư phát triển nhà", ENTERPRISE, "enterprise"),
    ("Công ty Cổ phần Du lịch", ENTERPRISE, "culture"),
    ("Công ty Cổ phần Môi trường đô thị", ENTERPRISE, "public_works"),
    ("Quỹ Đầu tư phát triển tỉnh", PUBLIC, "finance"),
    ("Ban Quản lý dự án đầu tư xây dựng công trình dân dụng và công nghiệp", PUBLIC, "transport"),
    ("Ban Quản lý dự án đầu tư xây dựng công trình giao thông", PUBLIC, "transport"),
    ("Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch", PUBLIC, "trade"),
    ("Trung tâm Nước sạch và Vệ sinh môi trường nông thôn", PUBLIC, "water"),
    ("Trung tâm Công nghệ thông tin và Truyền thông", PUBLIC, "administration"),
    ("Trung tâm Kiểm định chất lượng công trình xây dựng", PUBLIC, "transport"),
    ("Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng", PUBLIC, "trade"),
    ("Trung tâm Trợ giúp pháp lý nhà nước", PUBLIC, "justice"),
    ("Trung tâm Dịch vụ đấu giá tài sản", PUBLIC, "justice"),
    ("Trung tâm Đăng kiểm phương tiện giao thông", PUBLIC, "transport"),
    ("Trường Cao đẳng Cộng đồng", PUBLIC, "university"),
    ("Trường Trung cấp Kinh tế - Kỹ thuật", PUBLIC, "university"),
    ("Bệnh viện Lao và Bệnh phổi", PUBLIC, "hospital"),
    ("Bệnh viện Tâm thần", PUBLIC, "hospital"),
    ("Bệnh viện Chuyên khoa Mắt", PUBLIC, "hospital"),
    ("Bệnh viện Phục hồi chức năng", PUBLIC, "hospital"),
    ("Trung tâm Pháp y", PUBLIC, "health"),
    ("Trung tâm Giám định y khoa", PUBLIC, "health"),
    ("Trung tâm Y tế thành phố Vĩnh Long", PUBLIC, "hospital"),
    ("Trường Trung học phổ thông chuyên Nguyễn Bỉnh Khiêm", PUBLIC, "university"),
    ("Nhà xuất bản và Báo ảnh tỉnh", PUBLIC, "media"),
)
# Two small chi bộ cơ sở that register nothing in 2021-2023 (so coverage is below 100%).
WEAK_UNITS = ("Hội Văn học Nghệ thuật tỉnh", "Đoàn Luật sư tỉnh")
# Units whose validity exercises the history: one ended before the phase, one merged after, one new.
DISSOLVED = ("Công ty Cổ phần Vật tư Nông nghiệp", ENTERPRISE, "agriculture", date(2006, 4, 12), date(2019, 6, 30))
CREATED = ("Trung tâm Phục vụ hành chính công tỉnh", AGENCY, "administration", date(2024, 3, 1))
MERGED = ("Sở Kế hoạch và Đầu tư", date(2024, 9, 30), "Sở Tài chính")
# fmt: on
