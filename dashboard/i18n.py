"""Every word the dashboard shows, in Vietnamese (default) and English: one dict per language.

`t(key)` looks a key up in the current language (the sidebar switch, kept in session state);
`tv(value)` translates a stored enum label ("Kinh tế") for display; data keeps the Vietnamese label.
"""

from __future__ import annotations

from queries import vocab

LANGS = ("vi", "en")
DEFAULT_LANG = "vi"

VI: dict[str, str] = {
    # app
    "app.title": "Thống kê phong trào “Dân vận khéo”",
    "app.short_title": "Dân vận khéo",
    "app.caption": "Số liệu đăng ký mô hình, khen thưởng và hội nghị của các tổ chức cơ sở đảng",
    "app.footer": "Dữ liệu: {db} · cập nhật {date}",
    "app.no_db.title": "Chưa có cơ sở dữ liệu",
    "app.no_db.body": (
        "Không tìm thấy tệp dữ liệu `{path}`.\n\n"
        "Bạn có thể tạo **dữ liệu mẫu** để xem thử bảng điều khiển, hoặc mở trang **Nhập dữ liệu** "
        "để nạp các tệp Excel/CSV theo biểu mẫu. Từ dòng lệnh: `dvk demo` hoặc `dvk import <tệp>`."
    ),
    "app.no_db.build_demo": "Tạo dữ liệu mẫu",
    "app.no_db.building": "Đang tạo dữ liệu mẫu…",
    "app.no_db.built": "Đã tạo dữ liệu mẫu.",
    "app.no_db.failed": "Không tạo được dữ liệu mẫu: {error}",
    "app.empty": "Không có số liệu nào khớp với bộ lọc đã chọn.",
    # navigation
    "nav.section.report": "Báo cáo",
    "nav.section.data": "Dữ liệu",
    "page.overview": "Tổng quan",
    "page.units": "Đơn vị",
    "page.compare": "So sánh giai đoạn",
    "page.awards": "Khen thưởng",
    "page.quality": "Chỉ tiêu và chất lượng",
    "page.data": "Dữ liệu",
    "page.import": "Nhập dữ liệu",
    "page.setup": "Bắt đầu",
    # filters
    "filters.header": "Bộ lọc",
    "filters.lang": "Ngôn ngữ",
    "filters.preset": "Kỳ báo cáo",
    "filters.preset.custom": "Tùy chọn khoảng năm",
    "filters.preset.year": "Năm {year}",
    "filters.preset.phase": "Giai đoạn {a}-{b}",
    "filters.years": "Từ năm – đến năm",
    "filters.unit": "Đơn vị",
    "filters.unit.all": "Tất cả đơn vị",
    "filters.unit.help": "Gõ để tìm theo tên hoặc mã đơn vị. Số liệu gồm đơn vị đã chọn và các đơn vị trực thuộc.",
    "filters.unit.ended": "đến {date}",
    "filters.unit.search": "Tìm đơn vị",
    "filters.unit.search_hint": "Tên hoặc mã đơn vị, có dấu hoặc không",
    "filters.unit.search_help": "Gõ rồi nhấn Enter: các đơn vị khớp được thêm vào danh sách Đơn vị bên dưới.",
    "filters.unit.help_large": "Danh sách gồm đơn vị đang chọn, các cấp trên và các đơn vị trực thuộc; dùng ô Tìm đơn vị để tìm đơn vị khác. Số liệu gồm đơn vị đã chọn và các đơn vị trực thuộc.",
    "filters.unit.matches": "{shown}/{total} đơn vị khớp «{query}» có trong danh sách Đơn vị.",
    "filters.unit.no_match": "Không có đơn vị nào khớp «{query}».",
    "filters.field": "Lĩnh vực",
    "filters.subject": "Đối tượng",
    "filters.movement": "Phong trào",
    "filters.kind": "Loại",
    "filters.all": "Tất cả",
    "filters.reset": "Xóa bộ lọc",
    "filters.share": "Đường dẫn trên thanh địa chỉ giữ nguyên bộ lọc và trang đang xem: sao chép để gửi cho người khác.",
    "filters.no_years": "Chưa có số liệu theo năm.",
    # common
    "common.period": "Giai đoạn {a}-{b}",
    "common.year_single": "Năm {year}",
    "common.scope": "Phạm vi",
    "common.download_csv": "CSV",
    "common.download_xlsx": "Excel",
    "common.download_help": "Tải đúng số liệu đang hiển thị theo bộ lọc hiện tại",
    "common.year": "Năm",
    "common.count": "Số lượng",
    "common.share": "Tỉ lệ",
    "common.unit": "Đơn vị",
    "common.code": "Mã đơn vị",
    "common.level": "Cấp",
    "common.none": "Không có số liệu.",
    "common.table": "Bảng số liệu",
    "common.vs": "so với {period}",
    "common.filters_line": "{period} · {unit}",
    "common.filters_ignored": "Bộ lọc không áp dụng ở đây: {names}.",
    # figures (labels of figures, used by cards, tables, axes)
    "fig.registrations": "Lượt đăng ký",
    "fig.collective": "Tập thể",
    "fig.individual": "Cá nhân",
    "fig.grassroots_units": "Tổ chức cơ sở đảng",
    "fig.units_with_registration": "TCCSĐ có đăng ký",
    "fig.coverage_rate": "Tỉ lệ TCCSĐ tham gia",
    "fig.units_with_conference": "TCCSĐ tổ chức hội nghị",
    "fig.conference_rate": "Tỉ lệ tổ chức hội nghị",
    "fig.target_compliance_rate": "Tỉ lệ chi bộ đạt chỉ tiêu",
    "fig.recognised": "Mô hình được công nhận",
    "fig.recognition_rate": "Tỉ lệ được công nhận",
    "fig.awards": "Khen thưởng",
    "fig.awards_collective": "Tập thể được khen",
    "fig.awards_individual": "Cá nhân được khen",
    "fig.nominations": "Đề nghị khen thưởng",
    "fig.awards_per_registration": "Khen thưởng / 100 đăng ký",
    "fig.below_target": "Dưới chỉ tiêu",
    "fig.mean_score": "Điểm bình quân",
    "fig.models": "Mô hình (mã)",
    # overview
    "overview.title": "Tổng quan",
    "overview.compare_to": "So sánh với",
    "overview.compare.previous": "Kỳ trước cùng độ dài ({period})",
    "overview.compare.none": "Không so sánh",
    "overview.cards.delta_help": "Thay đổi so với {period}",
    "overview.compare.uneven": "Lưu ý: {a} có số liệu {na} năm, {b} có số liệu {nb} năm;"
    " số đếm của hai kỳ không cùng số năm.",
    "overview.compare.no_data": "{b} chưa có số liệu: không tính mức thay đổi.",
    "overview.narrative": "Nhận định",
    "overview.by_year.title": "Lượt đăng ký theo năm",
    "overview.by_field.title": "Đăng ký theo lĩnh vực",
    "overview.by_movement.title": "Đăng ký theo phong trào",
    "overview.by_kind.title": "Đăng ký theo loại",
    "overview.coverage": "{a} / {b} TCCSĐ có đăng ký",
    "overview.conference": "{a} / {b} TCCSĐ tổ chức hội nghị tuyên dương, khen thưởng",
    # units
    "units.title": "Đơn vị",
    "units.ranking": "Xếp hạng các đơn vị trực thuộc {unit}",
    "units.ranking.help": "Bấm tiêu đề cột để sắp xếp; chọn một dòng để xem chi tiết đơn vị đó.",
    "units.below_target_note": "Ô tô đỏ: đơn vị có chi bộ chưa đạt chỉ tiêu (1 DVK + 1 QCDC) trong ít nhất một năm của kỳ.",
    "units.n_below": "{n} / {total} đơn vị chưa đạt chỉ tiêu",
    "units.tree.title": "Cơ cấu đăng ký theo đơn vị",
    "units.tree.kind": "Kiểu biểu đồ",
    "units.tree.treemap": "Ô chữ nhật",
    "units.tree.sunburst": "Vòng tròn",
    "units.tree.truncated": "Phạm vi có {n} đơn vị: biểu đồ vẽ các cấp trên cùng, mỗi ô gồm cả các đơn vị cấp dưới của nó. Chọn một đơn vị (bộ lọc Đơn vị hoặc «Xem chi tiết đơn vị» bên trên) để xem sâu hơn.",
    "units.drill": "Xem chi tiết đơn vị",
    "units.drill.button": "Xem {unit}",
    "units.drill.pick": "Chọn đơn vị để xem chi tiết",
    "units.up": "Lên cấp trên: {unit}",
    "units.leaf": "{unit} không có đơn vị trực thuộc.",
    "units.chart.title": "Lượt đăng ký theo đơn vị",
    # compare
    "compare.title": "So sánh giai đoạn",
    "compare.a": "Giai đoạn A",
    "compare.b": "Giai đoạn B",
    "compare.table": "Các chỉ số, {a} so với {b}",
    "compare.col.figure": "Chỉ số",
    "compare.col.change": "Thay đổi",
    "compare.col.change_pct": "Thay đổi (%)",
    "compare.by_field": "Đăng ký theo lĩnh vực",
    "compare.by_subject": "Đăng ký theo đối tượng",
    "compare.by_unit": "Đăng ký theo đơn vị",
    "compare.risers": "Tăng nhiều nhất",
    "compare.fallers": "Giảm nhiều nhất",
    "compare.movers.title": "Đơn vị tăng, giảm nhiều nhất (lượt đăng ký)",
    "compare.same": "Hai giai đoạn trùng nhau: hãy chọn hai giai đoạn khác nhau.",
    # awards
    "awards.title": "Khen thưởng",
    "awards.by_level": "Khen thưởng theo cấp",
    "awards.by_form": "Khen thưởng theo hình thức",
    "awards.by_subject": "Khen thưởng theo đối tượng",
    "awards.by_year": "Khen thưởng theo năm",
    "awards.nominations": "Đề nghị khen thưởng theo cấp",
    "awards.per_registration": "Khen thưởng trên 100 lượt đăng ký",
    "awards.status": "Trạng thái",
    "awards.level": "Cấp khen thưởng",
    "awards.form": "Hình thức",
    # quality
    "quality.title": "Chỉ tiêu và chất lượng",
    "quality.target_note": "Chỉ tiêu: mỗi chi bộ, mỗi năm có ít nhất 1 mô hình “Dân vận khéo” và 1 mô hình QCDC.",
    "quality.matrix": "Tỉ lệ chi bộ đạt chỉ tiêu theo đơn vị và năm",
    "quality.matrix.colorbar": "Đạt chỉ tiêu",
    "quality.scores": "Phân bố điểm chấm mô hình",
    "quality.score": "Điểm",
    "quality.threshold": "Ngưỡng công nhận {x} điểm",
    "quality.recognition_trend": "Tỉ lệ được công nhận, đạt chỉ tiêu và tham gia theo năm",
    "quality.no_scores": "Chưa có điểm chấm trong kỳ.",
    "quality.matrix.per": "Theo",
    "quality.matrix.per.branch": "Chi bộ",
    "quality.matrix.per.child": "Đơn vị trực thuộc",
    # data
    "data.title": "Dữ liệu",
    "data.table": "Bảng",
    "data.table.dang_ky": "Đăng ký mô hình",
    "data.table.khen_thuong": "Khen thưởng",
    "data.table.hoi_nghi": "Hội nghị",
    "data.rows": "{n} dòng khớp bộ lọc",
    "data.page": "Trang",
    "data.page_of": "Trang {page} / {pages} · dòng {a}–{b} / {n}",
    "data.page_size": "Số dòng mỗi trang",
    "data.download_all": "Tải toàn bộ {n} dòng đã lọc",
    # import
    "import.title": "Nhập dữ liệu",
    "import.intro": (
        "Tải lên các tệp Excel (.xlsx, mỗi trang tính một bảng) hoặc CSV (mỗi tệp một bảng) theo biểu mẫu. "
        "Hệ thống kiểm tra trước, liệt kê mọi lỗi; chỉ khi bạn xác nhận dữ liệu mới được ghi."
    ),
    "import.template": "Tải biểu mẫu trống (.xlsx)",
    "import.uploader": "Chọn tệp",
    "import.uploader.button": "Tải tệp lên",
    "import.uploader.limits": "Tối đa {limit} MB mỗi tệp • XLSX, CSV",
    "import.check": "Kiểm tra",
    "import.checking": "Đang kiểm tra {n} tệp…",
    "import.ok": "Dữ liệu hợp lệ. Kiểm tra lại số dòng bên dưới rồi bấm “Nhập vào cơ sở dữ liệu”.",
    "import.problems": "Có {n} lỗi: chưa thể nhập. Sửa tệp theo bảng dưới đây rồi tải lên lại.",
    "import.problems.download": "Tải danh sách lỗi",
    "import.notices": "Lưu ý",
    "import.counts": "Số dòng theo bảng",
    "import.confirm": "Nhập vào cơ sở dữ liệu",
    "import.importing": "Đang nhập…",
    "import.done": "Đã nhập xong. Các trang báo cáo đã được cập nhật.",
    "import.failed": "Nhập không thành công: {error}",
    "import.unavailable": "Chức năng nhập chưa sẵn sàng trên máy chủ này.",
    "import.col.file": "Tệp",
    "import.col.sheet": "Trang tính",
    "import.col.row": "Dòng",
    "import.col.column": "Cột",
    "import.col.value": "Giá trị",
    "import.col.reason": "Lý do",
    "import.col.table": "Bảng",
    "import.col.added": "Dòng mới",
    "import.col.updated": "Dòng cập nhật",
    "import.stale": "Tệp đã thay đổi từ lần kiểm tra trước: hãy kiểm tra lại.",
    "import.too_large": (
        "Tệp {name} nặng {size} MB, vượt giới hạn {limit} MB cho mỗi tệp tải lên. "
        "Hãy chia nhỏ tệp (ví dụ theo năm hoặc theo bảng) rồi tải lên lại."
    ),
    "import.no_permission": "Tài khoản này không có quyền nhập dữ liệu.",
    "import.out_of_scope": (
        "Không nhập: tệp có dữ liệu của đơn vị ngoài phạm vi tài khoản ({units}). "
        "Tài khoản {name} chỉ được nhập dữ liệu của {unit} và các đơn vị trực thuộc."
    ),
    "import.foreign_rows": (
        "Không nhập: {n} dòng ({tables}) trùng mã với dữ liệu đã có của đơn vị ngoài phạm vi tài khoản; "
        "nhập tiếp sẽ ghi đè dữ liệu của đơn vị đó. Hãy kiểm tra lại mã đăng ký / số quyết định."
    ),
    "import.scope_unverified": (
        "Không kiểm tra được đơn vị của các dòng trong tệp ({error}), nên tài khoản giới hạn theo đơn vị "
        "chưa thể nhập tệp này. Đề nghị quản trị viên nhập giúp."
    ),
    "app.no_db.ask_importer": "Chưa có dữ liệu. Đề nghị người có quyền nhập dữ liệu tạo dữ liệu hoặc nhập tệp.",
    # logins and access
    "page.login": "Đăng nhập",
    "login.title": "Đăng nhập",
    "login.intro": (
        "Bảng điều khiển chỉ dành cho người dùng đã được cấp tài khoản. "
        "Mỗi tài khoản xem được số liệu của đơn vị mình và các đơn vị trực thuộc."
    ),
    "login.name": "Tên đăng nhập",
    "login.password": "Mật khẩu",
    "login.submit": "Đăng nhập",
    "login.failed": "Tên đăng nhập hoặc mật khẩu không đúng.",
    "login.oidc": "Đăng nhập bằng tài khoản tổ chức",
    "login.oidc_or": "Hoặc dùng tài khoản của tổ chức:",
    "login.oidc_unavailable": "Đăng nhập bằng tài khoản tổ chức chưa dùng được: máy chủ thiếu gói Authlib.",
    "login.reload_note": "Tải lại trang hoặc mở đường dẫn trong thẻ mới sẽ cần đăng nhập lại.",
    "auth.open_notice": "Chế độ mở: chưa cấu hình người dùng — ai truy cập cũng xem được toàn bộ dữ liệu",
    "auth.users_error": "Tệp người dùng không dùng được, bảng điều khiển tạm dừng: {error}",
    "auth.role.viewer": "Người xem",
    "auth.role.importer": "Người nhập dữ liệu",
    "auth.role.admin": "Quản trị",
    "auth.scope_all": "Toàn bộ đơn vị",
    "auth.logout": "Đăng xuất",
    "auth.unit_missing": (
        "Đơn vị {unit} của tài khoản {name} không có trong cơ sở dữ liệu, nên chưa có số liệu nào để hiển thị. "
        "Đề nghị quản trị viên cập nhật tài khoản."
    ),
    "auth.unit_refused": "Đơn vị trong đường dẫn nằm ngoài phạm vi tài khoản: đang hiển thị {unit}.",
    "auth.not_logged_in": "Chưa đăng nhập: không có dữ liệu.",
}

EN: dict[str, str] = {
    "app.title": "“Dân vận khéo” movement statistics",
    "app.short_title": "Dân vận khéo",
    "app.caption": "Model registrations, awards and conferences of grassroots party organisations",
    "app.footer": "Data: {db} · updated {date}",
    "app.no_db.title": "No database yet",
    "app.no_db.body": (
        "The data file `{path}` does not exist.\n\n"
        "Build the **demo data** to try the dashboard, or open **Import data** to load Excel/CSV files "
        "in the template's format. From the command line: `dvk demo` or `dvk import <file>`."
    ),
    "app.no_db.build_demo": "Build the demo data",
    "app.no_db.building": "Building the demo data…",
    "app.no_db.built": "Demo data built.",
    "app.no_db.failed": "Could not build the demo data: {error}",
    "app.empty": "No figures match the selected filters.",
    "nav.section.report": "Reports",
    "nav.section.data": "Data",
    "page.overview": "Overview",
    "page.units": "Units",
    "page.compare": "Compare periods",
    "page.awards": "Awards",
    "page.quality": "Targets and quality",
    "page.data": "Records",
    "page.import": "Import data",
    "page.setup": "Get started",
    "filters.header": "Filters",
    "filters.lang": "Language",
    "filters.preset": "Reporting period",
    "filters.preset.custom": "Custom year range",
    "filters.preset.year": "Year {year}",
    "filters.preset.phase": "Phase {a}-{b}",
    "filters.years": "From year – to year",
    "filters.unit": "Unit",
    "filters.unit.all": "All units",
    "filters.unit.help": "Type to search by unit name or code. Figures cover the selected unit and all units under it.",
    "filters.unit.ended": "until {date}",
    "filters.unit.search": "Find a unit",
    "filters.unit.search_hint": "Unit name or code, with or without diacritics",
    "filters.unit.search_help": "Type and press Enter: the matching units are added to the Unit list below.",
    "filters.unit.help_large": "The list holds the selected unit, the units above it and the units under it; use Find a unit for any other. Figures cover the selected unit and all units under it.",
    "filters.unit.matches": "{shown} of {total} units matching «{query}» are in the Unit list.",
    "filters.unit.no_match": "No unit matches «{query}».",
    "filters.field": "Field",
    "filters.subject": "Subject",
    "filters.movement": "Movement",
    "filters.kind": "Kind",
    "filters.all": "All",
    "filters.reset": "Clear filters",
    "filters.share": "The address bar keeps the filters and the page you are on: copy it to share this view.",
    "filters.no_years": "No yearly figures yet.",
    "common.period": "Phase {a}-{b}",
    "common.year_single": "Year {year}",
    "common.scope": "Scope",
    "common.download_csv": "CSV",
    "common.download_xlsx": "Excel",
    "common.download_help": "Download exactly the figures shown under the current filters",
    "common.year": "Year",
    "common.count": "Count",
    "common.share": "Share",
    "common.unit": "Unit",
    "common.code": "Unit code",
    "common.level": "Level",
    "common.none": "No figures.",
    "common.table": "Table",
    "common.vs": "vs {period}",
    "common.filters_line": "{period} · {unit}",
    "common.filters_ignored": "Filters that do not apply here: {names}.",
    "fig.registrations": "Registrations",
    "fig.collective": "Collective",
    "fig.individual": "Individual",
    "fig.grassroots_units": "Grassroots party organisations",
    "fig.units_with_registration": "Organisations with registrations",
    "fig.coverage_rate": "Participation rate",
    "fig.units_with_conference": "Organisations holding a conference",
    "fig.conference_rate": "Conference rate",
    "fig.target_compliance_rate": "Branches meeting the target",
    "fig.recognised": "Recognised models",
    "fig.recognition_rate": "Recognition rate",
    "fig.awards": "Awards",
    "fig.awards_collective": "Collectives awarded",
    "fig.awards_individual": "Individuals awarded",
    "fig.nominations": "Nominations",
    "fig.awards_per_registration": "Awards / 100 registrations",
    "fig.below_target": "Below target",
    "fig.mean_score": "Mean score",
    "fig.models": "Models (by code)",
    "overview.title": "Overview",
    "overview.compare_to": "Compare with",
    "overview.compare.previous": "Previous period of equal length ({period})",
    "overview.compare.none": "No comparison",
    "overview.cards.delta_help": "Change against {period}",
    "overview.compare.uneven": "Note: {a} has data for {na} years, {b} for {nb}; the counts of the two"
    " periods cover different numbers of years.",
    "overview.compare.no_data": "{b} has no data: no change is shown.",
    "overview.narrative": "Summary",
    "overview.by_year.title": "Registrations per year",
    "overview.by_field.title": "Registrations by field",
    "overview.by_movement.title": "Registrations by movement",
    "overview.by_kind.title": "Registrations by kind",
    "overview.coverage": "{a} / {b} organisations registered",
    "overview.conference": "{a} / {b} organisations held a commendation conference",
    "units.title": "Units",
    "units.ranking": "Ranking of the units under {unit}",
    "units.ranking.help": "Click a column header to sort; select a row to drill into that unit.",
    "units.below_target_note": "Cells in red: units with a branch that missed the target (1 DVK + 1 QCDC) in at least one year of the period.",
    "units.n_below": "{n} of {total} units below target",
    "units.tree.title": "Registrations across the hierarchy",
    "units.tree.kind": "Chart type",
    "units.tree.treemap": "Treemap",
    "units.tree.sunburst": "Sunburst",
    "units.tree.truncated": "The scope holds {n} units: the chart draws the top levels, each tile including the units under it. Choose a unit (the Unit filter or «Drill into a unit» above) to see deeper.",
    "units.drill": "Drill into a unit",
    "units.drill.button": "Open {unit}",
    "units.drill.pick": "Select a unit to drill into",
    "units.up": "Up one level: {unit}",
    "units.leaf": "{unit} has no units under it.",
    "units.chart.title": "Registrations by unit",
    "compare.title": "Compare periods",
    "compare.a": "Period A",
    "compare.b": "Period B",
    "compare.table": "Every figure, {a} against {b}",
    "compare.col.figure": "Figure",
    "compare.col.change": "Change",
    "compare.col.change_pct": "Change (%)",
    "compare.by_field": "Registrations by field",
    "compare.by_subject": "Registrations by subject",
    "compare.by_unit": "Registrations by unit",
    "compare.risers": "Biggest risers",
    "compare.fallers": "Biggest fallers",
    "compare.movers.title": "Units with the largest rise and fall (registrations)",
    "compare.same": "Both periods are the same: choose two different periods.",
    "awards.title": "Awards",
    "awards.by_level": "Awards by level",
    "awards.by_form": "Awards by form",
    "awards.by_subject": "Awards by subject",
    "awards.by_year": "Awards per year",
    "awards.nominations": "Nominations by level",
    "awards.per_registration": "Awards per 100 registrations",
    "awards.status": "Status",
    "awards.level": "Awarding level",
    "awards.form": "Form",
    "quality.title": "Targets and quality",
    "quality.target_note": "Target: every branch registers at least 1 “Dân vận khéo” model and 1 QCDC model each year.",
    "quality.matrix": "Share of branches meeting the target, by unit and year",
    "quality.matrix.colorbar": "Met target",
    "quality.scores": "Distribution of model scores",
    "quality.score": "Score",
    "quality.threshold": "Recognition threshold {x} points",
    "quality.recognition_trend": "Recognition, target and participation rates per year",
    "quality.no_scores": "No scores in this period.",
    "quality.matrix.per": "Per",
    "quality.matrix.per.branch": "Branch",
    "quality.matrix.per.child": "Child unit",
    "data.title": "Records",
    "data.table": "Table",
    "data.table.dang_ky": "Model registrations",
    "data.table.khen_thuong": "Awards",
    "data.table.hoi_nghi": "Conferences",
    "data.rows": "{n} rows match the filters",
    "data.page": "Page",
    "data.page_of": "Page {page} of {pages} · rows {a}–{b} of {n}",
    "data.page_size": "Rows per page",
    "data.download_all": "Download all {n} filtered rows",
    "import.title": "Import data",
    "import.intro": (
        "Upload Excel workbooks (.xlsx, one sheet per table) or CSV files (one file per table) in the "
        "template's format. Everything is checked first and every problem listed; nothing is written "
        "until you confirm."
    ),
    "import.template": "Download the empty template (.xlsx)",
    "import.uploader": "Choose files",
    "import.uploader.button": "Upload",
    "import.uploader.limits": "Up to {limit} MB per file • XLSX, CSV",
    "import.check": "Check",
    "import.checking": "Checking {n} file(s)…",
    "import.ok": "The data is valid. Review the row counts below, then click “Import into the database”.",
    "import.problems": "{n} problem(s): nothing can be imported yet. Fix the files as listed below and upload again.",
    "import.problems.download": "Download the list of problems",
    "import.notices": "Notes",
    "import.counts": "Rows per table",
    "import.confirm": "Import into the database",
    "import.importing": "Importing…",
    "import.done": "Import finished. The report pages now show the new data.",
    "import.failed": "The import failed: {error}",
    "import.unavailable": "Importing is not available on this server yet.",
    "import.col.file": "File",
    "import.col.sheet": "Sheet",
    "import.col.row": "Row",
    "import.col.column": "Column",
    "import.col.value": "Value",
    "import.col.reason": "Reason",
    "import.col.table": "Table",
    "import.col.added": "New rows",
    "import.col.updated": "Updated rows",
    "import.stale": "The files changed since the last check: check them again.",
    "import.too_large": (
        "The file {name} is {size} MB, over the {limit} MB limit per uploaded file. "
        "Split it (for example by year or by table) and upload the parts."
    ),
    "import.no_permission": "This account may not import data.",
    "import.out_of_scope": (
        "Nothing imported: the files hold data of units outside your account's scope ({units}). "
        "The account {name} may only import data of {unit} and the units under it."
    ),
    "import.foreign_rows": (
        "Nothing imported: {n} rows ({tables}) have the key of stored data of a unit outside your scope; "
        "importing them would overwrite that unit's data. Check the registration codes / decision numbers."
    ),
    "import.scope_unverified": (
        "The units of the rows in the files could not be checked ({error}), so an account limited to a unit "
        "cannot import them. Ask an administrator to import them."
    ),
    "app.no_db.ask_importer": "No data yet. Ask someone allowed to import data to build the demo or import files.",
    # logins and access
    "page.login": "Log in",
    "login.title": "Log in",
    "login.intro": (
        "The dashboard is for users with an account. "
        "Each account sees the figures of its own unit and the units under it."
    ),
    "login.name": "User name",
    "login.password": "Password",
    "login.submit": "Log in",
    "login.failed": "Wrong user name or password.",
    "login.oidc": "Log in with your organisation account",
    "login.oidc_or": "Or use your organisation's account:",
    "login.oidc_unavailable": "Organisation logins are not available: the server lacks the Authlib package.",
    "login.reload_note": "Reloading the page or opening a link in a new tab asks for the login again.",
    "auth.open_notice": "Open mode: no users configured — anyone who can reach the dashboard sees all the data",
    "auth.users_error": "The users file cannot be used, the dashboard is stopped: {error}",
    "auth.role.viewer": "Viewer",
    "auth.role.importer": "Importer",
    "auth.role.admin": "Administrator",
    "auth.scope_all": "All units",
    "auth.logout": "Log out",
    "auth.unit_missing": (
        "The unit {unit} of the account {name} is not in the database, so there are no figures to show. "
        "Ask an administrator to update the account."
    ),
    "auth.unit_refused": "The unit in the link is outside your account's scope: showing {unit}.",
    "auth.not_logged_in": "Not logged in: no data.",
}

# Record columns (the data page): the template's own Vietnamese headers.
VI.update({f"col.{c.alias}": c.header for table in vocab.TABLES for c in table.columns})

EN.update(
    {
        "col.ma_don_vi": "Unit code",
        "col.ten_don_vi": "Unit name",
        "col.ma_cap_tren": "Parent unit code",
        "col.cap": "Level",
        "col.loai_hinh": "Type",
        "col.hieu_luc_tu": "Valid from",
        "col.hieu_luc_den": "Valid until",
        "col.ma_ke_thua": "Successor unit code",
        "col.nam": "Year",
        "col.so_dang_vien": "Party members",
        "col.so_nguoi_lao_dong": "Staff",
        "col.ma_dang_ky": "Registration code",
        "col.ma_mo_hinh": "Model code",
        "col.doi_tuong": "Subject",
        "col.ten_chu_the": "Collective / individual",
        "col.ten_mo_hinh": "Model name",
        "col.loai": "Kind",
        "col.phong_trao": "Movement",
        "col.linh_vuc": "Field",
        "col.ngay_dang_ky": "Registered on",
        "col.ket_qua": "Result",
        "col.diem": "Score",
        "col.cap_cong_nhan": "Recognised at level",
        "col.so_quyet_dinh": "Decision number",
        "col.ngay_quyet_dinh": "Decision date",
        "col.hinh_thuc": "Form",
        "col.cap_khen_thuong": "Awarding level",
        "col.trang_thai": "Status",
        "col.loai_hoi_nghi": "Conference type",
        "col.ngay": "Date",
        "col.so_nguoi_du": "Attendees",
        "col.so_dang_vien_du": "Party members attending",
    }
)

STRINGS: dict[str, dict[str, str]] = {"vi": VI, "en": EN}

# Stored enum labels (queries.vocab) are Vietnamese; English users see these translations.
VALUES_EN: dict[str, str] = {
    "Đảng bộ Khối": "Bloc party committee",
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


def current_lang() -> str:
    """The language chosen in the sidebar (Vietnamese until the user switches)."""
    import streamlit as st  # imported here so the dictionaries stay importable anywhere

    lang = st.session_state.get("lang", DEFAULT_LANG)
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str | None = None, **values: object) -> str:
    """The text of `key` in `lang` (default: the current language), with `{name}` fields filled."""
    table = STRINGS[lang or current_lang()]
    text = table.get(key)
    if text is None:
        text = VI.get(key, key)  # a missing key shows itself rather than crashing a page
    return text.format(**values) if values else text


def tv(value: object, lang: str | None = None) -> str:
    """A stored (Vietnamese) enum label as the user reads it in `lang`."""
    if value is None:
        return ""
    text = str(value)
    if (lang or current_lang()) == "en":
        return VALUES_EN.get(text, text)
    return text
