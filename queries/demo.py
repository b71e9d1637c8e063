"""The calibrated demo data set and the scale mode for benchmarks.

`generate_demo()` builds one provincial bloc (Đảng bộ Khối Cơ quan và Doanh nghiệp tỉnh, 89 grassroots
party organisations, 2018-2024) whose 2021-2023 phase reproduces the figures of the seed article
(DOMAIN.md section 5) exactly: 1.061 collective and 5.908 individual registrations, 67/89 units with a
commendation conference, 126 + 156 awards at grassroots level, 61 + 110 by the bloc committee,
1 nomination to the provincial People's Committee and 2 individuals commended by the provincial
steering committee. Everything else is drawn from one `random.Random(seed)`, so the same seed always
gives the same rows and the same workbook bytes.

`write_scale_csvs()` writes the same five tables for many blocs in many provinces, column-wise with
numpy and Polars in bounded chunks, for benchmarks up to tens of millions of registrations.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import polars as pl

from queries import vocab as v
from queries.store import ROOT

DEFAULT_SEED = 2023
DEMO_WORKBOOK = ROOT / "data" / "dvk_demo.xlsx"
YEARS = tuple(range(2018, 2025))
PHASE = (2021, 2023)
ROOT_CODE = "DBK"
ROOT_NAME = "Đảng bộ Khối Cơ quan và Doanh nghiệp tỉnh"
# A fixed creation stamp keeps the workbook byte-identical from run to run.
WORKBOOK_CREATED = datetime(2024, 12, 31, 8, 0, 0)

# --- calibration: the seed figures of DOMAIN.md section 5 and plausible years around them --------

COLLECTIVE_REGISTRATIONS = {2018: 175, 2019: 200, 2020: 230, 2021: 320, 2022: 352, 2023: 389, 2024: 412}
INDIVIDUAL_REGISTRATIONS = {2018: 980, 2019: 1150, 2020: 1380, 2021: 1802, 2022: 1966, 2023: 2140, 2024: 2265}
# (collectives, individuals) awarded by grassroots party committees and by the bloc committee.
GRASSROOTS_AWARDS = {
    2018: (15, 20),
    2019: (20, 25),
    2020: (28, 34),
    2021: (38, 46),
    2022: (41, 50),
    2023: (47, 60),
    2024: (45, 58),
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
PARTICIPATION = {2018: 0.74, 2019: 0.78, 2020: 0.80, 2021: 0.86, 2022: 0.89, 2023: 0.92, 2024: 0.93}
QCDC_TARGET = {2018: 0.45, 2019: 0.50, 2020: 0.55, 2021: 0.62, 2022: 0.68, 2023: 0.74, 2024: 0.78}
# Share of grassroots units holding a commendation conference outside the calibrated phase.
COMMENDATION_SHARE = {2018: 0.25, 2019: 0.30, 2020: 0.42, 2024: 0.66}

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

# --- names and titles ------------------------------------------------------------------------------

SURNAMES = (
    ("Nguyễn", 30), ("Trần", 12), ("Lê", 10), ("Phạm", 6), ("Huỳnh", 6), ("Võ", 5), ("Phan", 4),
    ("Trương", 3), ("Bùi", 2), ("Đặng", 2), ("Đỗ", 2), ("Ngô", 2), ("Hồ", 2), ("Dương", 2),
    ("Lý", 1.5), ("Đoàn", 1.2), ("Cao", 1), ("Mai", 1), ("Lâm", 1), ("Châu", 1), ("Hoàng", 1),
    ("Vũ", 1), ("Thái", 0.8), ("Tô", 0.6), ("Đinh", 0.6), ("Lương", 0.6), ("Thạch", 0.5), ("Kim", 0.4),
)
MALE_MIDDLE = (("Văn", 30), ("Hữu", 5), ("Minh", 6), ("Thanh", 5), ("Quốc", 4), ("Hoàng", 3), ("Công", 3),
               ("Đức", 3), ("Tấn", 3), ("Trung", 2), ("Hoài", 2), ("Thành", 2), ("Ngọc", 2), ("Phước", 2), ("Chí", 2), ("Duy", 2))
FEMALE_MIDDLE = (("Thị", 35), ("Ngọc", 6), ("Thanh", 4), ("Thu", 3), ("Kim", 4), ("Hồng", 3), ("Mỹ", 3),
                 ("Bích", 2), ("Thúy", 2), ("Phương", 2), ("Hoàng", 1), ("Diễm", 1), ("Cẩm", 2), ("Huỳnh", 1))
MALE_GIVEN = (
    "Tuấn", "Hùng", "Dũng", "Phúc", "Khoa", "Tâm", "Tài", "Triều", "Hải", "Long", "Nam", "Sơn", "Thắng",
    "Trung", "Vinh", "Bình", "Lâm", "Phong", "Quang", "Toàn", "Tú", "Khải", "Khuê", "Lộc", "Nghĩa", "Nhân",
    "Hiếu", "Trí", "Thịnh", "Thái", "Hòa", "Hưng", "Kiệt", "Luân", "Minh", "Phát", "Quân", "Sang", "Thiện",
    "Thông", "Tín", "Việt", "Bảo", "Cường", "Danh", "Đạt", "Định", "Hậu", "Khánh", "Lực", "Nguyên", "Tân",
    "Thuận", "Tư", "Hiển", "Trọng", "Phi", "Ân",
)
FEMALE_GIVEN = (
    "Lan", "Hương", "Hoa", "Mai", "Linh", "Trang", "Thảo", "Yến", "Ngân", "Nhung", "Phương", "Hạnh", "Tuyết",
    "Xuân", "Loan", "Diễm", "Trinh", "Thủy", "Nga", "Hằng", "Hiền", "Huyền", "Liên", "Ly", "My", "Nhi",
    "Oanh", "Quyên", "Thư", "Trâm", "Uyên", "Vân", "Vy", "Châu", "Dung", "Giang", "Hà", "Kiều", "Lệ",
    "Nhàn", "Phượng", "Thoa", "Tiên", "Hân", "Duyên", "Thắm", "Cúc", "Đào",
)

FIELD_ECONOMY, FIELD_SOCIETY, FIELD_SECURITY, FIELD_POLITICS, FIELD_OTHER = v.FIELDS

GENERIC_TITLES = {
    v.MOVEMENT_DVK: {
        FIELD_ECONOMY: (
            "Dân vận khéo trong vận động người lao động thực hiện tốt nhiệm vụ sản xuất kinh doanh",
            "Khéo trong vận động thực hành tiết kiệm, chống lãng phí",
            "Khéo trong áp dụng tiến bộ khoa học kỹ thuật, nâng cao năng suất lao động",
            "Dân vận khéo trong chuyển đổi số, nâng cao hiệu quả công việc",
            "Khéo trong vận động cán bộ, người lao động phát huy sáng kiến, cải tiến kỹ thuật",
        ),
        FIELD_SOCIETY: (
            "Khéo trong vận động xây dựng nhà đại đoàn kết, hỗ trợ hộ nghèo",
            "Dân vận khéo trong chăm lo đời sống vật chất, tinh thần cho người lao động",
            "Khéo trong xây dựng cơ quan, đơn vị sáng, xanh, sạch, đẹp và an toàn",
            "Khéo trong vận động hỗ trợ học sinh nghèo vượt khó học tốt",
            "Khéo trong thực hiện công tác an sinh xã hội, đền ơn đáp nghĩa",
            "Dân vận khéo trong xây dựng văn hóa công sở",
        ),
        FIELD_SECURITY: (
            "Khéo trong vận động phòng, chống cháy nổ tại cơ quan, đơn vị",
            "Dân vận khéo trong giữ gìn an ninh trật tự, bảo vệ tài sản đơn vị",
            "Khéo trong tuyên truyền phòng, chống tội phạm sử dụng công nghệ cao",
            "Khéo trong vận động tham gia phong trào toàn dân bảo vệ an ninh Tổ quốc",
        ),
        FIELD_POLITICS: (
            "Khéo trong cải cách hành chính, nâng cao chất lượng phục vụ người dân, doanh nghiệp",
            "Dân vận khéo trong xây dựng chi bộ trong sạch, vững mạnh",
            "Khéo trong việc nêu gương của cán bộ, đảng viên",
            "Khéo trong đổi mới, sắp xếp tổ chức bộ máy tinh gọn, hoạt động hiệu lực, hiệu quả",
            "Dân vận khéo trong học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
            "Khéo trong vận động quần chúng ưu tú phấn đấu vào Đảng",
            "Dân vận khéo trong chuyển đổi số, thực hiện dịch vụ công trực tuyến",
        ),
        FIELD_OTHER: (
            "Khéo trong vận động đoàn viên tham gia phong trào thể dục thể thao",
            "Dân vận khéo trong công tác nữ công, bình đẳng giới",
        ),
    },
    v.MOVEMENT_QCDC: {
        FIELD_ECONOMY: (
            "Thực hiện tốt quy chế dân chủ trong công khai tài chính, quy chế chi tiêu nội bộ",
            "Thực hiện tốt quy chế dân chủ trong tổ chức hội nghị người lao động, thỏa ước lao động tập thể",
        ),
        FIELD_SOCIETY: (
            "Thực hiện tốt quy chế dân chủ gắn với xây dựng văn hóa cơ quan, doanh nghiệp",
            "Thực hiện tốt quy chế dân chủ trong xét chọn, hỗ trợ đoàn viên có hoàn cảnh khó khăn",
        ),
        FIELD_SECURITY: ("Thực hiện tốt quy chế dân chủ trong giải quyết khiếu nại, tố cáo, giữ vững ổn định nội bộ",),
        FIELD_POLITICS: (
            "Thực hiện tốt quy chế dân chủ trong tổ chức hội nghị cán bộ, công chức, viên chức",
            "Thực hiện tốt quy chế dân chủ trong đối thoại giữa người đứng đầu với người lao động",
            "Thực hiện tốt quy chế dân chủ trong công tác cán bộ, đánh giá, xếp loại cán bộ",
            "Thực hiện tốt quy chế dân chủ ở cơ sở theo phương châm dân biết, dân bàn, dân làm, dân kiểm tra, dân giám sát, dân thụ hưởng",
        ),
        FIELD_OTHER: ("Thực hiện tốt quy chế dân chủ trong hoạt động của Ban Thanh tra nhân dân",),
    },
}
SECTOR_TITLES: dict[str, tuple[tuple[str, str], ...]] = {
    "tax": ((FIELD_ECONOMY, "Dân vận khéo trong vận động người nộp thuế thực hiện tốt nghĩa vụ thuế"),
            (FIELD_POLITICS, "Khéo trong hỗ trợ người nộp thuế sử dụng hóa đơn điện tử, khai thuế qua mạng")),
    "treasury": ((FIELD_POLITICS, "Đoàn kết nội bộ, tăng cường cải cách hành chính, xây dựng đội ngũ công chức Kho bạc Nhà nước văn hóa, đạo đức, đủ năng lực hoàn thành tốt nhiệm vụ được giao"),
                 (FIELD_ECONOMY, "Khéo trong kiểm soát chi ngân sách nhà nước qua dịch vụ công trực tuyến")),
    "finance": ((FIELD_ECONOMY, "Khéo trong tham mưu quản lý, sử dụng ngân sách tiết kiệm, hiệu quả"),
                (FIELD_POLITICS, "Dân vận khéo trong thẩm định quyết toán, giải quyết hồ sơ đúng hạn")),
    "justice": ((FIELD_POLITICS, "Khéo trong tuyên truyền, phổ biến, giáo dục pháp luật"),
                (FIELD_POLITICS, "Dân vận khéo trong giải quyết thủ tục cấp phiếu lý lịch tư pháp")),
    "power": ((FIELD_ECONOMY, "Khéo trong vận động khách hàng sử dụng điện an toàn, tiết kiệm, hiệu quả"),
              (FIELD_ECONOMY, "Dân vận khéo trong vận động khách hàng thanh toán tiền điện không dùng tiền mặt"),
              (FIELD_SECURITY, "Khéo trong vận động người dân bảo vệ hành lang an toàn lưới điện")),
    "post": ((FIELD_POLITICS, "Dân vận khéo trong tiếp nhận, trả kết quả thủ tục hành chính qua dịch vụ bưu chính công ích"),
             (FIELD_SOCIETY, "Khéo trong chi trả lương hưu, trợ cấp xã hội tận nhà cho người cao tuổi")),
    "water": ((FIELD_SOCIETY, "Khéo trong vận động người dân sử dụng nước sạch tiết kiệm, an toàn"),
              (FIELD_ECONOMY, "Khéo trong giảm tỉ lệ thất thoát nước sạch")),
    "bank": ((FIELD_ECONOMY, "Khéo trong vận động khách hàng sử dụng dịch vụ thanh toán không dùng tiền mặt"),
             (FIELD_ECONOMY, "Dân vận khéo trong cho vay hỗ trợ hộ nghèo, hộ cận nghèo phát triển sản xuất"),
             (FIELD_SECURITY, "Khéo trong tuyên truyền phòng, chống lừa đảo chiếm đoạt tài sản qua mạng")),
    "university": ((FIELD_SOCIETY, "Khéo trong vận động giảng viên nghiên cứu khoa học, đổi mới phương pháp giảng dạy"),
                   (FIELD_SOCIETY, "Dân vận khéo trong tư vấn tuyển sinh, hướng nghiệp cho học sinh"),
                   (FIELD_ECONOMY, "Khéo trong ứng dụng chuyển đổi số vào quản lý đào tạo")),
    "hospital": ((FIELD_SOCIETY, "Khéo trong chăm sóc người bệnh, nâng cao sự hài lòng của người bệnh"),
                 (FIELD_SOCIETY, "Đổi mới phong cách, thái độ phục vụ hướng tới sự hài lòng của người bệnh"),
                 (FIELD_POLITICS, "Khéo trong cải cách thủ tục khám, chữa bệnh bảo hiểm y tế")),
    "social_insurance": ((FIELD_SOCIETY, "Khéo trong vận động người dân tham gia bảo hiểm xã hội tự nguyện, bảo hiểm y tế hộ gia đình"),),
    "agriculture": ((FIELD_ECONOMY, "Khéo trong vận động nông dân chuyển đổi cơ cấu cây trồng, sản xuất theo hướng hữu cơ"),
                    (FIELD_ECONOMY, "Dân vận khéo trong xây dựng nông thôn mới")),
    "environment": ((FIELD_SOCIETY, "Khéo trong vận động phân loại rác thải sinh hoạt tại nguồn"),
                    (FIELD_POLITICS, "Dân vận khéo trong giải quyết hồ sơ đăng ký đất đai")),
    "telecom": ((FIELD_ECONOMY, "Dân vận khéo trong chuyển đổi số, phát triển thuê bao băng rộng"),),
    "media": ((FIELD_SOCIETY, "Khéo trong tuyên truyền gương người tốt, việc tốt"),),
    "labour": ((FIELD_SOCIETY, "Khéo trong chăm lo người có công, đối tượng bảo trợ xã hội"),
               (FIELD_ECONOMY, "Dân vận khéo trong giới thiệu việc làm cho người lao động")),
    "culture": ((FIELD_SOCIETY, "Khéo trong vận động xây dựng đời sống văn hóa, phát triển du lịch"),),
    "public_works": ((FIELD_SOCIETY, "Khéo trong vận động người dân giữ gìn vệ sinh môi trường đô thị"),),
    "statistics": ((FIELD_POLITICS, "Khéo trong vận động người dân cung cấp thông tin điều tra thống kê"),),
    "administration": ((FIELD_POLITICS, "Dân vận khéo trong chuyển đổi số, thực hiện dịch vụ công trực tuyến toàn trình"),),
    "transport": ((FIELD_SECURITY, "Khéo trong tuyên truyền bảo đảm trật tự an toàn giao thông"),
                  (FIELD_POLITICS, "Khéo trong vận động người dân bàn giao mặt bằng xây dựng công trình")),
    "education": ((FIELD_SOCIETY, "Khéo trong vận động xã hội hóa giáo dục"),),
    "health": ((FIELD_SOCIETY, "Khéo trong tuyên truyền phòng, chống dịch bệnh, tiêm chủng mở rộng"),),
    "trade": ((FIELD_ECONOMY, "Khéo trong hỗ trợ doanh nghiệp, thu hút đầu tư"),),
    "lottery": ((FIELD_ECONOMY, "Khéo trong tiết kiệm chi phí, nâng cao thu nhập cho người lao động"),),
    "pharma": ((FIELD_ECONOMY, "Khéo trong tiết kiệm chi phí, nâng cao thu nhập cho người lao động"),),
    "enterprise": ((FIELD_ECONOMY, "Khéo trong tiết kiệm chi phí, nâng cao thu nhập cho người lao động"),),
}
EXEMPLAR_TITLES = (
    (FIELD_POLITICS, "Cán bộ, đảng viên nêu gương, tận tụy phục vụ Nhân dân"),
    (FIELD_POLITICS, "Điển hình trong học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"),
    (FIELD_ECONOMY, "Điển hình tiên tiến trong thực hiện nhiệm vụ chuyên môn"),
    (FIELD_SOCIETY, "Gương người tốt, việc tốt trong công tác dân vận"),
    (FIELD_SOCIETY, "Gương sáng trong công tác thiện nguyện, an sinh xã hội"),
    (FIELD_SECURITY, "Điển hình trong phong trào toàn dân bảo vệ an ninh Tổ quốc"),
)
QCDC_EXEMPLAR = (FIELD_POLITICS, "Điển hình trong thực hiện quy chế dân chủ ở cơ sở")

# Field weights (Kinh tế, Văn hóa - xã hội, Quốc phòng - an ninh, Xây dựng HTCT, Khác) by unit type.
FIELD_WEIGHTS = {
    (v.MOVEMENT_DVK, AGENCY): (18, 24, 10, 44, 4),
    (v.MOVEMENT_DVK, ENTERPRISE): (45, 22, 10, 20, 3),
    (v.MOVEMENT_DVK, PUBLIC): (12, 45, 8, 32, 3),
    (v.MOVEMENT_DVK, OTHER): (20, 30, 8, 38, 4),
}
QCDC_FIELD_WEIGHTS = (20, 15, 5, 55, 5)
# fmt: on


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


def _weighted(rng: random.Random, pairs) -> str:
    names = [p[0] for p in pairs]
    weights = [p[1] for p in pairs]
    return rng.choices(names, weights=weights)[0]


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


class _DemoBuilder:
    """Holds the generator's state; `build()` returns the five tables as lists of row dicts."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.units: dict[str, _Unit] = {}
        self.people_used: set[str] = set()
        self.pool: dict[str, list[str]] = {}  # unit code -> people who have registered there
        self.model_seq: dict[str, int] = {}
        self.registrations: list[dict] = []
        self.by_year: dict[int, list[dict]] = {y: [] for y in YEARS}
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
        n = len(entries)
        name, kind, sector, start, end = DISSOLVED
        u = self._add(
            _Unit(
                f"{ROOT_CODE}.{n + 1:02d}",
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
        name, kind, sector, start = CREATED
        u = self._add(
            _Unit(
                f"{ROOT_CODE}.{n + 2:02d}",
                f"Chi bộ {name}",
                v.LEVEL_GRASSROOTS_BRANCH,
                ROOT_CODE,
                kind,
                sector,
                name,
                start,
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
            for year in YEARS:
                if not unit.active_in(year):
                    continue
                grown = base * (1 + 0.025 * (year - YEARS[0])) + rng.gauss(0, 1.2)
                unit.members[year] = max(4, round(grown))
                unit.staff[year] = max(
                    unit.members[year] + 2, round(unit.members[year] * staff_ratio + rng.gauss(0, 3))
                )
        for unit in self.units.values():
            if unit.level == v.LEVEL_GRASSROOTS_COMMITTEE:
                for year in YEARS:
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

    # registrations -----------------------------------------------------------------------------

    def build_registrations(self) -> None:
        previous: dict[str, list[dict]] = {}
        for year in YEARS:
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
        branches = [u for u in self.units.values() if u.level in v.BRANCH_LEVELS and u.active_in(year)]
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
        if year == YEARS[-1]:
            draw = rng.random()
            if draw < 0.15:
                return v.RESULT_IN_PROGRESS, None, None
            if draw < 0.42:
                return v.RESULT_DONE, None, None
        score = 80.5 + unit.quality + (2.0 if carried else 0.0) + 0.4 * (year - YEARS[0]) + rng.gauss(0, 7.5)
        score = min(99.0, max(48.0, round(score * 2) / 2))
        if score < v.RECOGNITION_THRESHOLD:
            return v.RESULT_FAILED, score, None
        if score >= 93:
            level = rng.choices(["Đảng ủy Khối", "Cơ sở", "Tỉnh", "Trung ương"], weights=[70, 22, 7.5, 0.5])[
                0
            ]
            return v.RESULT_EXEMPLARY, score, level
        return v.RESULT_RECOGNISED, score, "Cơ sở"

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
        holders: dict[int, list[_Unit]] = {y: [] for y in YEARS}
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

        for year in YEARS:
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
        for year in YEARS:
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
        rng = self.rng
        plan = [
            # (year, decision, day, level, form, status, collectives, individuals)
            (2018, "12-QĐ/BCĐ", date(2018, 12, 21), "Ban Chỉ đạo tỉnh", "Biểu dương", v.STATUS_AWARDED, 2, 0),
            (
                2018,
                "215-QĐ/BDVTU",
                date(2018, 12, 26),
                "Ban Dân vận Tỉnh ủy",
                "Giấy khen",
                v.STATUS_AWARDED,
                3,
                2,
            ),
            (
                2019,
                "248-QĐ/BDVTU",
                date(2019, 12, 24),
                "Ban Dân vận Tỉnh ủy",
                "Giấy khen",
                v.STATUS_AWARDED,
                2,
                3,
            ),
            (
                2020,
                "276-QĐ/BDVTU",
                date(2020, 10, 20),
                "Ban Dân vận Tỉnh ủy",
                "Giấy khen",
                v.STATUS_AWARDED,
                4,
                5,
            ),
            (2020, "2785/QĐ-UBND", date(2020, 11, 9), "UBND tỉnh", "Bằng khen", v.STATUS_AWARDED, 2, 2),
            (2020, "1174-QĐ/BDVTW", date(2020, 11, 30), "Trung ương", "Bằng khen", v.STATUS_AWARDED, 1, 0),
            # The 2021-2023 phase: exactly the seed's 1 nomination and 2 commended individuals.
            (2023, "512-TTr/ĐUK", date(2023, 10, 18), "UBND tỉnh", "Bằng khen", v.STATUS_NOMINATED, 0, 1),
            (2023, "41-QĐ/BCĐ", date(2023, 11, 2), "Ban Chỉ đạo tỉnh", "Giấy khen", v.STATUS_AWARDED, 0, 2),
            (
                2024,
                "331-QĐ/BDVTU",
                date(2024, 12, 18),
                "Ban Dân vận Tỉnh ủy",
                "Giấy khen",
                v.STATUS_AWARDED,
                3,
                4,
            ),
            (2024, "58-QĐ/BCĐ", date(2024, 12, 20), "Ban Chỉ đạo tỉnh", "Biểu dương", v.STATUS_AWARDED, 0, 1),
            (
                2024,
                "561-TTr/ĐUK",
                date(2024, 12, 23),
                "Ban Dân vận Tỉnh ủy",
                "Bằng khen",
                v.STATUS_NOMINATED,
                1,
                2,
            ),
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
                rng.shuffle(picks)
                given = 0
                for reg in picks:
                    if given < total and self._award(
                        decision,
                        day,
                        year,
                        reg,
                        reg["ma_don_vi"],
                        subject,
                        self._qualified(reg),
                        form,
                        level,
                        status,
                    ):
                        given += 1
                assert given == total, (decision, subject)

    # output --------------------------------------------------------------------------------------

    def build(self) -> dict[str, list[dict]]:
        self.build_units()
        self.build_registrations()
        self.build_conferences()
        self.build_awards()
        units = [
            {
                "ma_don_vi": u.code,
                "ten_don_vi": u.name,
                "ma_cap_tren": u.parent,
                "cap": u.level,
                "loai_hinh": u.kind,
                "hieu_luc_tu": u.valid_from,
                "hieu_luc_den": u.valid_to,
                "ma_ke_thua": u.successor,
            }
            for u in self.units.values()
        ]
        sizes = [
            {"ma_don_vi": u.code, "nam": y, "so_dang_vien": u.members[y], "so_nguoi_lao_dong": u.staff[y]}
            for u in self.units.values()
            if u.level != v.LEVEL_BLOC
            for y in YEARS
            if y in u.members
        ]
        registrations = [
            {k: val for k, val in r.items() if not k.startswith("_")} for r in self.registrations
        ]
        order = {code: i for i, code in enumerate(self.units)}
        conferences = sorted(
            self.conferences, key=lambda c: (c["nam"], order[c["ma_don_vi"]], c["ngay"], c["loai_hoi_nghi"])
        )
        awards = sorted(
            self.awards,
            key=lambda a: (
                a["nam"],
                a["ngay_quyet_dinh"],
                a["so_quyet_dinh"],
                a["doi_tuong"] != v.SUBJECT_COLLECTIVE,
            ),
        )
        return {
            "don_vi": units,
            "quy_mo": sizes,
            "dang_ky": registrations,
            "khen_thuong": awards,
            "hoi_nghi": conferences,
        }


_POLARS_TYPES = {v.TEXT: pl.String, v.INTEGER: pl.Int64, v.NUMBER: pl.Float64, v.DATE: pl.Date}


def generate_demo(seed: int = DEFAULT_SEED) -> dict[str, pl.DataFrame]:
    """The demo data set as one Polars frame per table (columns = template aliases, in order)."""
    rows = _DemoBuilder(seed).build()
    frames = {}
    for table in v.TABLES:
        schema = {c.alias: _POLARS_TYPES[c.type] for c in table.columns}
        frames[table.name] = (
            pl.DataFrame(rows[table.name], schema=schema, orient="row")
            if rows[table.name]
            else pl.DataFrame(schema=schema)
        )
    return frames


# --- the workbook ------------------------------------------------------------------------------

# Like real files: the registrations sheet has a title above its header, the awards sheet an STT column.
TITLE_ROWS = {"dang_ky": "DANH SÁCH ĐĂNG KÝ MÔ HÌNH, ĐIỂN HÌNH “DÂN VẬN KHÉO” GIAI ĐOẠN 2018-2024"}
STT_SHEETS = ("khen_thuong",)


def write_demo_workbook(path: str | os.PathLike = DEMO_WORKBOOK, seed: int = DEFAULT_SEED) -> Path:
    """Write the demo data set as an import-template workbook; the same seed gives the same bytes."""
    import xlsxwriter

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    frames = generate_demo(seed)
    workbook = xlsxwriter.Workbook(str(path))
    workbook.set_properties(
        {
            "title": "Dữ liệu mẫu phong trào thi đua Dân vận khéo",
            "author": "dvk demo",
            "created": WORKBOOK_CREATED,
        }
    )
    header_fmt = workbook.add_format(
        {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "vcenter"}
    )
    title_fmt = workbook.add_format({"bold": True, "font_size": 13})
    date_fmt = workbook.add_format({"num_format": "dd/mm/yyyy"})
    score_fmt = workbook.add_format({"num_format": "0.0"})
    for table in v.TABLES:
        frame = frames[table.name]
        sheet = workbook.add_worksheet(table.label)
        headers = [c.header for c in table.columns]
        stt = table.name in STT_SHEETS
        if stt:
            headers = ["STT", *headers]
        row0 = 0
        if table.name in TITLE_ROWS:
            sheet.write(0, 0, TITLE_ROWS[table.name], title_fmt)
            row0 = 1
        sheet.write_row(row0, 0, headers, header_fmt)
        sheet.freeze_panes(row0 + 1, 0)
        offset = 1 if stt else 0
        if stt:
            sheet.set_column(0, 0, 6)
        for j, col in enumerate(table.columns):
            width = {v.DATE: 12, v.INTEGER: 10, v.NUMBER: 8}.get(col.type, 16)
            if col.alias in ("ten_don_vi", "ten_mo_hinh", "ten_chu_the"):
                width = 40
            sheet.set_column(j + offset, j + offset, width)
        for i, row in enumerate(frame.iter_rows(), start=row0 + 1):
            if stt:
                sheet.write_number(i, 0, i - row0)
            for j, (col, value) in enumerate(zip(table.columns, row, strict=True)):
                if value is None:
                    continue
                if col.type == v.DATE:
                    sheet.write_datetime(
                        i, j + offset, datetime(value.year, value.month, value.day), date_fmt
                    )
                elif col.type == v.NUMBER:
                    sheet.write_number(i, j + offset, value, score_fmt)
                elif col.type == v.INTEGER:
                    sheet.write_number(i, j + offset, value)
                else:
                    sheet.write_string(i, j + offset, value)
    workbook.close()
    return path


def build_demo_database(
    db_path: str | os.PathLike,
    workbook: str | os.PathLike | None = None,
    *,
    progress: Callable[[str, int, int], None] | None = None,
):
    """Build (or replace) the database at db_path from the demo workbook, through the real importer.

    The import goes into a fresh file beside db_path, which replaces db_path only if it succeeded.
    Returns the importer's ImportReport.
    """
    from queries.importer import import_files

    db_path = Path(db_path)
    workbook = Path(workbook) if workbook else DEMO_WORKBOOK
    if not workbook.exists():
        raise FileNotFoundError(workbook)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    fresh = db_path.with_name(db_path.name + ".tmp-demo")
    _remove(fresh)
    try:
        report = import_files(fresh, [workbook], progress=progress)
        if report.ok:
            os.replace(fresh, db_path)
    finally:
        _remove(fresh)
    return report


def _remove(db: Path) -> None:
    for p in (db, Path(str(db) + ".wal")):
        if p.exists():
            p.unlink()


# --- scale mode ------------------------------------------------------------------------------------

SCALE_YEARS = tuple(range(2015, 2025))
# fmt: off
PROVINCES = (
    "An Giang", "Bà Rịa - Vũng Tàu", "Bắc Giang", "Bắc Kạn", "Bạc Liêu", "Bắc Ninh", "Bến Tre", "Bình Định",
    "Bình Dương", "Bình Phước", "Bình Thuận", "Cà Mau", "Cần Thơ", "Cao Bằng", "Đà Nẵng", "Đắk Lắk",
    "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam", "Hà Nội", "Hà Tĩnh",
    "Hải Dương", "Hải Phòng", "Hậu Giang", "Hòa Bình", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum",
    "Lai Châu", "Lâm Đồng", "Lạng Sơn", "Lào Cai", "Long An", "Nam Định", "Nghệ An", "Ninh Bình",
    "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị",
    "Sóc Trăng", "Sơn La", "Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế",
    "Tiền Giang", "TP Hồ Chí Minh", "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
)
# fmt: on
BLOC_NAMES = (
    "Đảng bộ Khối Cơ quan và Doanh nghiệp tỉnh",
    "Đảng bộ Khối Doanh nghiệp tỉnh",
    "Đảng bộ Khối các cơ quan tỉnh",
)
# Calibrated on the demo bloc: about 26 registrations per grassroots unit and year, 90 units a bloc.
SCALE_REGISTRATIONS_PER_UNIT_YEAR = 26
SCALE_UNITS_PER_BLOC = 90
SCALE_AWARD_SHARE = 0.06
SCALE_CHUNK_ROWS = 250_000

ScaleProgress = Callable[[str, int, int], None]


def _scale_titles() -> pl.DataFrame:
    """Every model title with its field, movement and kind, and a draw weight."""
    rows = []
    for movement, by_field in GENERIC_TITLES.items():
        for field_, titles in by_field.items():
            for title in titles:
                rows.append(
                    (title, field_, movement, v.KIND_MODEL, 3.0 if movement == v.MOVEMENT_DVK else 2.0)
                )
    for pairs in SECTOR_TITLES.values():
        for field_, title in pairs:
            rows.append((title, field_, v.MOVEMENT_DVK, v.KIND_MODEL, 1.0))
    for field_, title in (*EXEMPLAR_TITLES, QCDC_EXEMPLAR):
        movement = v.MOVEMENT_QCDC if title == QCDC_EXEMPLAR[1] else v.MOVEMENT_DVK
        rows.append((title, field_, movement, v.KIND_EXEMPLAR, 3.0))
    frame = pl.DataFrame(rows, schema=["title", "field", "movement", "kind", "weight"], orient="row")
    return frame.unique(subset="title", keep="first", maintain_order=True)


def _dmy(expr: pl.Expr) -> pl.Expr:
    return expr.dt.strftime("%d/%m/%Y")


class _ScaleWriter:
    """Appends chunks of one table to its CSV file, header on the first chunk only."""

    def __init__(self, path: Path, table: v.Table):
        self.path, self.table = path, table
        self.handle = open(path, "wb")  # noqa: SIM115 - closed in close()
        self.rows = 0

    def write(self, frame: pl.DataFrame) -> None:
        frame = frame.select([pl.col(c.alias) for c in self.table.columns])
        frame = frame.rename({c.alias: c.header for c in self.table.columns})
        frame.write_csv(self.handle, include_header=self.rows == 0)
        self.rows += frame.height

    def close(self) -> None:
        if self.rows == 0:  # an empty table still gets its header
            pl.DataFrame(schema={c.header: pl.String for c in self.table.columns}).write_csv(self.handle)
        self.handle.close()


def write_scale_csvs(
    out_dir: str | os.PathLike,
    registrations: int,
    seed: int = DEFAULT_SEED,
    *,
    chunk_rows: int = SCALE_CHUNK_ROWS,
    progress: ScaleProgress | None = None,
) -> dict[str, Path]:
    """Write a large synthetic data set as one CSV per table (import-template headers, UTF-8).

    Many blocs in many provinces over 2015-2024, with units, sizes, awards and conferences in
    proportion to `registrations` (the exact number of registration rows). Generated column-wise in
    chunks of `chunk_rows`, so memory stays bounded whatever the size. Returns {table name: path}.
    """
    import numpy as np

    if registrations < 0:
        raise ValueError("registrations must be >= 0")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    paths = {t.name: out / f"{t.name}.csv" for t in v.TABLES}
    writers = {t.name: _ScaleWriter(paths[t.name], t) for t in v.TABLES}
    try:
        units = _scale_units(rng, registrations)
        if progress:
            progress("don_vi", units.height, units.height)
        writers["don_vi"].write(units.with_columns(_dmy(pl.col("hieu_luc_tu")), _dmy(pl.col("hieu_luc_den"))))
        sizes = _scale_sizes(rng, units)
        writers["quy_mo"].write(sizes)
        if progress:
            progress("quy_mo", sizes.height, sizes.height)
        _scale_conferences(rng, units, sizes, writers["hoi_nghi"], progress)
        _scale_registrations(rng, units, sizes, registrations, chunk_rows, writers, progress)
    finally:
        for writer in writers.values():
            writer.close()
    return paths


def _scale_units(rng, registrations: int) -> pl.DataFrame:
    """Blocs (roots) in provinces, each with đảng bộ cơ sở + chi bộ trực thuộc and chi bộ cơ sở."""
    import numpy as np

    n_grassroots = max(4, round(registrations / (len(SCALE_YEARS) * SCALE_REGISTRATIONS_PER_UNIT_YEAR)))
    n_blocs = max(1, -(-n_grassroots // SCALE_UNITS_PER_BLOC))
    n_provinces = min(len(PROVINCES), max(1, -(-n_blocs // 2)))
    bloc = np.arange(n_blocs)
    province = bloc % n_provinces
    rank = bloc // n_provinces  # the k-th bloc of its province
    bloc_codes = [f"T{p + 1:02d}.K{r + 1}" for p, r in zip(province, rank, strict=True)]
    bloc_names = [
        f"{BLOC_NAMES[r % len(BLOC_NAMES)]} {PROVINCES[p]}"
        + (f" (khu vực {r // len(BLOC_NAMES) + 1})" if r >= len(BLOC_NAMES) else "")
        for p, r in zip(province, rank, strict=True)
    ]
    roots = pl.DataFrame(
        {
            "ma_don_vi": bloc_codes,
            "ten_don_vi": bloc_names,
            "ma_cap_tren": pl.Series([None] * n_blocs, dtype=pl.String),
            "cap": v.LEVEL_BLOC,
            "loai_hinh": AGENCY,
            "hieu_luc_tu": pl.Series([date(2008, 10, 1)] * n_blocs),
            "hieu_luc_den": pl.Series([None] * n_blocs, dtype=pl.Date),
            "ma_ke_thua": pl.Series([None] * n_blocs, dtype=pl.String),
            "_sector": 0,
        }
    )

    # Grassroots units: spread over the blocs, about a third đảng bộ cơ sở.
    g_bloc = np.arange(n_grassroots) % n_blocs
    g_rank = np.arange(n_grassroots) // n_blocs
    committee = rng.random(n_grassroots) < 0.36
    catalogue = [(name, kind) for name, kind, _, _ in COMMITTEES] + [
        (name, kind) for name, kind, _ in BRANCH_UNITS
    ]
    org_index = (g_rank + rng.integers(0, len(catalogue), n_grassroots)) % len(catalogue)
    orgs = pl.Series([c[0] for c in catalogue])
    kinds = pl.Series([c[1] for c in catalogue])
    g_codes = pl.Series(bloc_codes).gather(g_bloc) + pl.Series([f".{r + 1:03d}" for r in g_rank])
    start = pl.Series(rng.integers(0, 4000, n_grassroots)).cast(pl.Int64)
    # A few units end in the last year, merged into the next unit of their bloc.
    successor = np.arange(n_grassroots) + n_blocs
    ended = (rng.random(n_grassroots) < 0.02) & (successor < n_grassroots)
    successor = np.minimum(successor, n_grassroots - 1)
    grassroots = pl.DataFrame(
        {
            "ma_don_vi": g_codes,
            "ten_don_vi": pl.Series(np.where(committee, "Đảng bộ ", "Chi bộ ")) + orgs.gather(org_index),
            "ma_cap_tren": pl.Series(bloc_codes).gather(g_bloc),
            "cap": pl.Series(np.where(committee, v.LEVEL_GRASSROOTS_COMMITTEE, v.LEVEL_GRASSROOTS_BRANCH)),
            "loai_hinh": kinds.gather(org_index),
            "_start": start,
            "_ended": ended,
            "_sector": org_index,
        }
    ).with_columns(
        (pl.lit(date(2004, 1, 1)) + pl.duration(days=pl.col("_start"))).alias("hieu_luc_tu"),
        pl.when(pl.col("_ended")).then(pl.lit(date(2024, 6, 30))).alias("hieu_luc_den"),
        pl.when(pl.col("_ended")).then(pl.col("ma_don_vi").gather(pl.Series(successor))).alias("ma_ke_thua"),
    )

    # Branches: 2-8 under each đảng bộ cơ sở.
    n_children = np.where(committee, rng.integers(2, 9, n_grassroots), 0)
    parent = np.repeat(np.arange(n_grassroots), n_children)
    offsets = np.cumsum(n_children) - n_children
    child_rank = np.arange(parent.size) - offsets[parent]
    departments = pl.Series(
        [
            "Văn phòng",
            "Phòng Tổ chức - Hành chính",
            "Phòng Kế hoạch - Tài chính",
            "Phòng Kỹ thuật",
            "Phòng Kinh doanh",
            "Phòng Nghiệp vụ",
            "Thanh tra",
            "Trung tâm Dịch vụ",
            "Chi nhánh khu vực 1",
            "Chi nhánh khu vực 2",
            "Khoa Khám bệnh",
            "Phòng Đào tạo",
        ]
    )
    branches = pl.DataFrame(
        {
            "ma_don_vi": g_codes.gather(parent)
            + pl.Series([f".{r + 1:02d}" for r in child_rank], dtype=pl.String),
            "ten_don_vi": "Chi bộ " + departments.gather(child_rank % departments.len()),
            "ma_cap_tren": g_codes.gather(parent),
            "cap": v.LEVEL_BRANCH,
            "loai_hinh": grassroots["loai_hinh"].gather(parent),
            "hieu_luc_tu": grassroots["hieu_luc_tu"].gather(parent),
            "hieu_luc_den": grassroots["hieu_luc_den"].gather(parent),
            "ma_ke_thua": pl.Series([None] * parent.size, dtype=pl.String),
            "_sector": grassroots["_sector"].gather(parent),
        }
    )
    grassroots = grassroots.drop("_start", "_ended")
    columns = [c.alias for c in v.UNITS.columns] + ["_sector"]
    return pl.concat(
        [roots.select(columns), grassroots.select(columns), branches.select(columns)], how="vertical_relaxed"
    )


def _scale_sizes(rng, units: pl.DataFrame) -> pl.DataFrame:
    """quy_mo for every grassroots unit and branch, every year; a đảng bộ cơ sở is its branches' sum."""
    import numpy as np

    members_of = units.filter(pl.col("cap").is_in(v.BRANCH_LEVELS)).select(
        "ma_don_vi", "ma_cap_tren", "cap", "loai_hinh"
    )
    n = members_of.height
    base = rng.integers(7, 40, n)
    ratio = np.select(
        [members_of["loai_hinh"].to_numpy() == ENTERPRISE, members_of["loai_hinh"].to_numpy() == PUBLIC],
        [rng.uniform(3.0, 7.5, n), rng.uniform(2.4, 4.5, n)],
        rng.uniform(1.5, 2.6, n),
    )
    frames = []
    for k, year in enumerate(SCALE_YEARS):
        members = np.maximum(4, np.round(base * (1 + 0.025 * k) + rng.normal(0, 1.2, n))).astype(np.int64)
        staff = np.maximum(members + 2, np.round(members * ratio + rng.normal(0, 3, n))).astype(np.int64)
        frames.append(
            members_of.select("ma_don_vi", "ma_cap_tren", "cap").with_columns(
                pl.lit(year).alias("nam"),
                pl.Series("so_dang_vien", members),
                pl.Series("so_nguoi_lao_dong", staff),
            )
        )
    branch_sizes = pl.concat(frames)
    committees = (
        branch_sizes.filter(pl.col("cap") == v.LEVEL_BRANCH)
        .group_by("ma_cap_tren", "nam")
        .agg(pl.col("so_dang_vien").sum(), pl.col("so_nguoi_lao_dong").sum())
        .rename({"ma_cap_tren": "ma_don_vi"})
    )
    columns = ["ma_don_vi", "nam", "so_dang_vien", "so_nguoi_lao_dong"]
    return pl.concat([committees.select(columns), branch_sizes.select(columns)]).sort("nam", "ma_don_vi")


def _scale_conferences(rng, units: pl.DataFrame, sizes: pl.DataFrame, writer: _ScaleWriter,
                       progress: ScaleProgress | None) -> None:  # fmt: skip
    """Per year: commendation, mid-year and year-end conferences at grassroots units; study meetings everywhere."""
    import numpy as np

    grassroots = set(v.GRASSROOTS_LEVELS)
    plan = [  # (type, month, day range, share, grassroots only)
        (v.CONFERENCE_COMMENDATION, 12, (1, 20), 0.7, True),
        ("Sơ kết", 7, (1, 28), 0.55, True),
        ("Tổng kết", 12, (21, 30), 0.7, True),
        *[("Học tập, quán triệt", m, (4, 26), 0.3, False) for m in (2, 3, 5, 7, 9, 11)],
    ]
    levels = units.select("ma_don_vi", "cap", "hieu_luc_den")
    for year in SCALE_YEARS:
        year_sizes = sizes.filter(pl.col("nam") == year).join(levels, on="ma_don_vi")
        is_grassroots = year_sizes["cap"].is_in(list(grassroots)).to_numpy()
        n = year_sizes.height
        parts = []
        for kind, month, (d0, d1), share, only_grassroots in plan:
            mask = rng.random(n) < share
            if only_grassroots:
                mask &= is_grassroots
            chosen = year_sizes.filter(pl.Series(mask))
            days = rng.integers(d0, d1 + 1, chosen.height)
            on = pl.date(year, month, pl.lit(pl.Series(days)))
            keep = chosen.select(
                (pl.col("hieu_luc_den").is_null() | (on <= pl.col("hieu_luc_den"))).alias("k")
            )
            chosen, days = chosen.filter(keep["k"]), days[keep["k"].to_numpy()]
            m = chosen.height
            members = np.round(chosen["so_dang_vien"].to_numpy() * rng.uniform(0.86, 1.0, m)).astype(np.int64)
            others = chosen["so_nguoi_lao_dong"].to_numpy() - chosen["so_dang_vien"].to_numpy()
            attendees = members + np.round(others * rng.uniform(0.05, 0.45, m)).astype(np.int64)
            parts.append(
                chosen.select("ma_don_vi", "nam").with_columns(
                    pl.lit(kind).alias("loai_hoi_nghi"),
                    _dmy(pl.date(year, month, pl.lit(pl.Series(days)))).alias("ngay"),
                    pl.Series("so_nguoi_du", attendees),
                    pl.Series("so_dang_vien_du", members),
                )
            )
        writer.write(pl.concat(parts))
    if progress:
        progress("hoi_nghi", writer.rows, writer.rows)


def _scale_registrations(rng, units: pl.DataFrame, sizes: pl.DataFrame, total: int, chunk_rows: int,
                         writers: dict[str, _ScaleWriter], progress: ScaleProgress | None) -> None:  # fmt: skip
    """Registrations (and the awards linked to them) in chunks of at most chunk_rows rows."""
    import numpy as np

    # Registrants: chi bộ weighted by staff, plus their đảng bộ cơ sở now and then.
    chibo = units.filter(pl.col("cap").is_in(v.BRANCH_LEVELS)).select(
        "ma_don_vi", "ten_don_vi", "ma_cap_tren", "cap"
    )
    staff = sizes.filter(pl.col("nam") == SCALE_YEARS[-1]).select("ma_don_vi", "so_nguoi_lao_dong")
    chibo = chibo.join(staff, on="ma_don_vi", how="left", maintain_order="left")
    parent_names = units.select(
        pl.col("ma_don_vi").alias("ma_cap_tren"), pl.col("ten_don_vi").alias("ten_cap_tren")
    )
    chibo = chibo.join(parent_names, on="ma_cap_tren", how="left", maintain_order="left")
    weights = chibo["so_nguoi_lao_dong"].fill_null(20).to_numpy().astype(np.float64)
    cumulative = np.cumsum(weights / weights.sum())
    cumulative[-1] = 1.0
    unit_code, unit_name = chibo["ma_don_vi"], chibo["ten_don_vi"]
    unit_parent = chibo["ma_cap_tren"]
    parent_is_committee = (chibo["cap"] == v.LEVEL_BRANCH).to_numpy()
    parent_name = chibo["ten_cap_tren"]

    titles = _scale_titles()
    title_p = titles["weight"].to_numpy() / titles["weight"].sum()
    surnames = pl.Series([s for s, _ in SURNAMES])
    surname_p = np.array([w for _, w in SURNAMES], dtype=np.float64)
    surname_p /= surname_p.sum()
    middles = pl.Series([m for m, _ in MALE_MIDDLE] + [m for m, _ in FEMALE_MIDDLE])
    middle_w = np.array([w for _, w in MALE_MIDDLE] + [w for _, w in FEMALE_MIDDLE], dtype=np.float64)
    n_male_middle = len(MALE_MIDDLE)
    given = pl.Series(list(MALE_GIVEN) + list(FEMALE_GIVEN))
    male_mid_p = middle_w[:n_male_middle] / middle_w[:n_male_middle].sum()
    female_mid_p = middle_w[n_male_middle:] / middle_w[n_male_middle:].sum()

    year_weights = np.array([1.0 + 0.09 * k for k in range(len(SCALE_YEARS))])
    per_year = (
        rng.multinomial(total, year_weights / year_weights.sum())
        if total
        else np.zeros(len(SCALE_YEARS), int)
    )
    year_edges = np.cumsum(per_year)
    award_seq = 0
    award_levels = np.array(v.AWARD_LEVELS)
    award_level_p = np.array([55, 35, 4, 2, 3, 1], dtype=np.float64)
    award_level_p /= award_level_p.sum()
    suffix = {"Cơ sở": "QĐ/ĐU", "Đảng ủy Khối": "QĐ/ĐUK", "Ban Dân vận Tỉnh ủy": "QĐ/BDVTU",
              "Ban Chỉ đạo tỉnh": "QĐ/BCĐ", "UBND tỉnh": "QĐ-UBND", "Trung ương": "QĐ/BDVTW"}  # fmt: skip

    for start in range(0, total, chunk_rows):
        n = min(chunk_rows, total - start)
        index = np.arange(start, start + n)
        year = np.asarray(SCALE_YEARS)[np.searchsorted(year_edges, index, side="right")]
        unit = np.minimum(np.searchsorted(cumulative, rng.random(n)), len(cumulative) - 1)
        collective = rng.random(n) < 0.153
        # ~3% sit at the đảng bộ cơ sở of a branch instead of the branch itself.
        at_parent = parent_is_committee[unit] & (rng.random(n) < 0.03)
        male = rng.random(n) < 0.5
        middle = np.where(
            male,
            rng.choice(n_male_middle, n, p=male_mid_p),
            n_male_middle + rng.choice(len(FEMALE_MIDDLE), n, p=female_mid_p),
        )
        given_idx = np.where(
            male, rng.integers(0, len(MALE_GIVEN), n), len(MALE_GIVEN) + rng.integers(0, len(FEMALE_GIVEN), n)
        )
        person = (
            surnames.gather(rng.choice(len(SURNAMES), n, p=surname_p))
            + " "
            + middles.gather(middle)
            + " "
            + given.gather(given_idx)
        )
        title = rng.choice(titles.height, n, p=title_p)
        model_slot = rng.integers(1, 40, n)
        score = np.clip(np.round((81 + rng.normal(0, 8, n)) * 2) / 2, 48, 99)
        latest = year == SCALE_YEARS[-1]
        pending = latest & (rng.random(n) < 0.42)
        in_progress = pending & (rng.random(n) < 0.36)
        frame = pl.DataFrame(
            {
                "_seq": index,
                "nam": year,
                "_code": unit_code.gather(unit),
                "_parent": unit_parent.gather(unit),
                "_name": unit_name.gather(unit),
                "_parent_name": parent_name.gather(unit),
                "_at_parent": at_parent,
                "_collective": collective,
                "_person": person,
                "_title": title,
                "_slot": model_slot,
                "_score": score,
                "_pending": pending,
                "_in_progress": in_progress,
                "_day": rng.integers(0, 81, n),
            }
        )
        tt = titles.select(
            pl.col("title").alias("ten_mo_hinh"), pl.col("field").alias("linh_vuc"),
            pl.col("movement").alias("phong_trao"), pl.col("kind").alias("loai"),
        ).with_row_index("_title")  # fmt: skip
        frame = frame.join(
            tt.with_columns(pl.col("_title").cast(pl.Int64)), on="_title", how="left", maintain_order="left"
        )
        ma_don_vi = pl.when(pl.col("_at_parent")).then(pl.col("_parent")).otherwise(pl.col("_code"))
        ten_don_vi = pl.when(pl.col("_at_parent")).then(pl.col("_parent_name")).otherwise(pl.col("_name"))
        score_expr = pl.when(~pl.col("_pending")).then(pl.col("_score"))
        recognised = pl.col("_score") >= v.RECOGNITION_THRESHOLD
        frame = frame.with_columns(
            pl.format("DK{}", (pl.col("_seq") + 1).cast(pl.String).str.zfill(10)).alias("ma_dang_ky"),
            pl.format("MH-{}-{}", ma_don_vi, pl.col("_slot").cast(pl.String).str.zfill(2)).alias("ma_mo_hinh"),
            ma_don_vi.alias("ma_don_vi"),
            pl.when(pl.col("_collective")).then(pl.lit(v.SUBJECT_COLLECTIVE)).otherwise(pl.lit(v.SUBJECT_INDIVIDUAL)).alias("doi_tuong"),
            pl.when(pl.col("_collective")).then(ten_don_vi).otherwise(pl.col("_person")).alias("ten_chu_the"),
            _dmy(pl.date(pl.col("nam"), 1, 10) + pl.duration(days=pl.col("_day"))).alias("ngay_dang_ky"),
            pl.when(pl.col("_in_progress")).then(pl.lit(v.RESULT_IN_PROGRESS))
            .when(pl.col("_pending")).then(pl.lit(v.RESULT_DONE))
            .when(pl.col("_score") >= 93).then(pl.lit(v.RESULT_EXEMPLARY))
            .when(recognised).then(pl.lit(v.RESULT_RECOGNISED))
            .otherwise(pl.lit(v.RESULT_FAILED)).alias("ket_qua"),
            score_expr.alias("diem"),
            pl.when(pl.col("_pending") | ~recognised).then(None)
            .when(pl.col("_score") >= 93).then(pl.lit("Đảng ủy Khối"))
            .otherwise(pl.lit("Cơ sở")).alias("cap_cong_nhan"),
        )  # fmt: skip
        writers["dang_ky"].write(frame)

        # Awards: a share of the recognised registrations of this chunk, one decision number each.
        eligible = frame.filter(pl.col("ket_qua").is_in(v.RECOGNISED_RESULTS))
        take = rng.random(eligible.height) < SCALE_AWARD_SHARE / 0.8
        awarded = eligible.filter(pl.Series(take))
        m = awarded.height
        level = award_levels[rng.choice(len(award_levels), m, p=award_level_p)]
        nominated = rng.random(m) < 0.03
        seq = np.arange(award_seq + 1, award_seq + m + 1)
        award_seq += m
        award = awarded.select("nam", "ma_don_vi", "doi_tuong", "ten_chu_the", "ma_dang_ky").with_columns(
            pl.Series("cap_khen_thuong", level),
            pl.Series("_seq", seq),
            pl.Series("_nominated", nominated),
            pl.Series("_day", rng.integers(1, 28, m)),
        )
        award = award.with_columns(
            pl.format("{}-{}", pl.col("_seq"), pl.col("cap_khen_thuong").replace_strict(suffix, return_dtype=pl.String)).alias("so_quyet_dinh"),
            _dmy(pl.date(pl.col("nam"), 12, pl.col("_day"))).alias("ngay_quyet_dinh"),
            pl.when(pl.col("cap_khen_thuong").is_in(["UBND tỉnh", "Trung ương"])).then(pl.lit("Bằng khen"))
            .when(pl.col("cap_khen_thuong") == "Ban Chỉ đạo tỉnh").then(pl.lit("Biểu dương"))
            .otherwise(pl.lit("Giấy khen")).alias("hinh_thuc"),
            pl.when(pl.col("_nominated")).then(pl.lit(v.STATUS_NOMINATED)).otherwise(pl.lit(v.STATUS_AWARDED)).alias("trang_thai"),
        )  # fmt: skip
        writers["khen_thuong"].write(award)
        if progress:
            progress("dang_ky", start + n, total)
