"""The Vietnamese names the demo draws from: people (surnames, middle and given names), model
titles by movement, field and sector, exemplar titles, and the field weights by unit type."""

from __future__ import annotations

from queries import vocab as v
from queries.demo.calibration import AGENCY, ENTERPRISE, OTHER, PUBLIC

# --- names and titles ------------------------------------------------------------------------------

# fmt: off
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
