"""Chart builders are pure: checked on their figure's data, titles and axes, not on pixels."""

from __future__ import annotations

import re

import plotly.graph_objects as go
import polars as pl
import pytest

from dashboard import charts, theme
from queries import page_tables

STYLE = theme.style  # unrecorded, for the test of a wrong setting


@pytest.fixture(autouse=True)
def plotly_accepts_every_chart(monkeypatch):
    """theme.style builds each figure without Plotly's property checks, for speed: every figure a
    test here makes must come through those checks unchanged."""
    made: list[go.Figure] = []
    style = theme.style

    def recorded(*args, **kwargs):
        made.append(style(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(theme, "style", recorded)
    yield
    for fig in made:
        spec = fig.to_dict()
        assert go.Figure(spec).to_dict() == spec


def test_plotly_checks_catch_a_setting_style_passes_unchecked():
    fig = STYLE(go.Figure(), lang="vi", title="T", layout={"barmod": "stack"})
    with pytest.raises(ValueError, match="barmod"):
        go.Figure(fig.to_dict())


def test_a_charts_own_settings_merge_into_the_house_style():
    fig = go.Figure(go.Bar(x=["a"], y=[1]))
    styled = theme.style(
        fig,
        lang="en",
        title="T",
        x_title="X",
        layout={"margin": {"t": 96}, "barmode": "group"},
        xaxis={"type": "category"},
    )
    layout = styled.to_dict()["layout"]
    assert layout["margin"] == {"l": 8, "r": 8, "t": 96, "b": 8, "autoexpand": True}
    assert layout["xaxis"] == {"title": {"text": "X"}, "type": "category"}
    assert layout["barmode"] == "group" and layout["separators"] == ".,"
    assert "yaxis" not in layout  # no y title, no y settings: left to Plotly
    assert styled.data[0].x == ("a",) and not fig.layout.title.text  # the figure given is not changed


def _title(fig: go.Figure) -> str:
    return fig.layout.title.text


def _axes(fig: go.Figure) -> tuple[str, str]:
    return fig.layout.xaxis.title.text, fig.layout.yaxis.title.text


BY_YEAR = pl.DataFrame(
    {"year": [2021, 2022, 2023], "collective": [320, 352, 389], "individual": [1802, 1966, 2140]}
)


@pytest.mark.parametrize("lang, separators", [("vi", ",."), ("en", ".,")])
def test_stacked_bars_by_year(lang, separators):
    fig = charts.stacked_bars_by_year(
        BY_YEAR,
        year="year",
        series=[("collective", "Tập thể", theme.RED), ("individual", "Cá nhân", theme.GOLD)],
        title="Lượt đăng ký theo năm",
        x_title="Năm",
        y_title="Lượt đăng ký",
        lang=lang,
    )
    assert _title(fig) == "Lượt đăng ký theo năm"
    assert _axes(fig) == ("Năm", "Lượt đăng ký")
    assert fig.layout.separators == separators
    assert fig.layout.barmode == "stack"
    assert [t.name for t in fig.data] == ["Tập thể", "Cá nhân"]
    assert list(fig.data[0].x) == ["2021", "2022", "2023"]
    assert list(fig.data[0].y) == [320, 352, 389]
    assert list(fig.data[1].y) == [1802, 1966, 2140]
    assert fig.layout.yaxis.tickformat == ",d"  # thousands with the language's separator


def test_category_bars_sorted_translated_and_labelled():
    frame = pl.DataFrame({"category": ["Kinh tế", "Văn hóa - xã hội", "Khác"], "n": [2143, 1971, 157]})
    fig = charts.category_bars(
        frame,
        category="category",
        value="n",
        title="Registrations by field",
        category_title="Field",
        value_title="Registrations",
        lang="en",
        colors=theme.FIELD_COLORS,
    )
    bar = fig.data[0]
    assert _title(fig) == "Registrations by field"
    assert _axes(fig) == ("Registrations", "Field")
    assert list(bar.x) == [157, 1971, 2143]  # largest on top of a horizontal chart
    assert list(bar.y) == ["Other", "Culture and society", "Economy"]
    assert list(bar.marker.color) == [theme.FIELD_COLORS[c] for c in ("Khác", "Văn hóa - xã hội", "Kinh tế")]
    assert fig.layout.xaxis.range[1] > 2143  # room for the printed values


def test_category_bars_percent_format():
    frame = pl.DataFrame({"year": ["2021", "2022"], "rate": [0.5, 0.753]})
    fig = charts.category_bars(
        frame,
        category="year",
        value="rate",
        title="t",
        category_title="Năm",
        value_title="Tỉ lệ",
        lang="vi",
        percent=True,
        translate=False,
        sort=False,
    )
    assert list(fig.data[0].x) == [0.5, 0.753]
    assert fig.data[0].texttemplate == "%{x:.1%}"
    assert fig.layout.separators == ",."  # so 0.753 shows as 75,3%


def test_stacked_category_bars():
    frame = pl.DataFrame(
        {"level": ["Cơ sở", "Đảng ủy Khối"], "collective": [126, 61], "individual": [156, 110]}
    )
    fig = charts.stacked_category_bars(
        frame,
        category="level",
        series=[("collective", "Tập thể", theme.RED), ("individual", "Cá nhân", theme.GOLD)],
        title="Khen thưởng theo cấp",
        category_title="Cấp",
        value_title="Số lượng",
        lang="vi",
    )
    assert _title(fig) == "Khen thưởng theo cấp"
    assert _axes(fig) == ("Số lượng", "Cấp")
    assert fig.layout.barmode == "stack"
    assert list(fig.data[0].x) == [126, 61] and list(fig.data[1].x) == [156, 110]
    assert list(fig.data[0].y) == ["Cơ sở", "Đảng ủy Khối"]


@pytest.mark.parametrize("horizontal", [False, True])
def test_grouped_bars(horizontal):
    frame = pl.DataFrame({"category": ["Tập thể", "Cá nhân"], "a": [1061, 5908], "b": [605, 3510]})
    fig = charts.grouped_bars(
        frame,
        category="category",
        a="a",
        b="b",
        a_label="2021-2023",
        b_label="2018-2020",
        title="Đăng ký theo đối tượng",
        category_title="Đối tượng",
        value_title="Lượt đăng ký",
        lang="vi",
        horizontal=horizontal,
    )
    assert _title(fig) == "Đăng ký theo đối tượng"
    assert fig.layout.barmode == "group"
    assert [t.name for t in fig.data] == ["2021-2023", "2018-2020"]
    values = [list(t.x if horizontal else t.y) for t in fig.data]
    assert values == [[1061, 5908], [605, 3510]]
    expected_axes = ("Lượt đăng ký", "Đối tượng") if horizontal else ("Đối tượng", "Lượt đăng ký")
    assert _axes(fig) == expected_axes


def test_rate_line():
    frame = pl.DataFrame({"year": [2021, 2022], "recognition_rate": [0.8, None]})
    fig = charts.rate_line(
        frame,
        x="year",
        series=[("recognition_rate", "Tỉ lệ được công nhận", theme.RED)],
        title="Tỉ lệ theo năm",
        x_title="Năm",
        y_title="Tỉ lệ",
        lang="vi",
    )
    assert _title(fig) == "Tỉ lệ theo năm"
    assert _axes(fig) == ("Năm", "Tỉ lệ")
    assert list(fig.data[0].y) == [0.8, None]
    assert fig.layout.yaxis.tickformat == ".0%"


def test_heatmap_matrix_matches_the_frame():
    frame = pl.DataFrame(
        {"unit": ["B", "B", "A"], "year": [2021, 2022, 2021], "rate": [0.5, 1.0, 0.0]},
    )
    fig = charts.heatmap(
        frame,
        row="unit",
        column="year",
        value="rate",
        title="Đạt chỉ tiêu",
        row_title="Đơn vị",
        column_title="Năm",
        colorbar_title="Tỉ lệ",
        lang="vi",
    )
    heat = fig.data[0]
    assert _title(fig) == "Đạt chỉ tiêu"
    assert _axes(fig) == ("Năm", "Đơn vị")
    assert list(heat.y) == ["B", "A"]  # the frame's order
    assert list(heat.x) == ["2021", "2022"]
    assert [list(r) for r in heat.z] == [[0.5, 1.0], [0.0, None]]  # a missing cell stays empty


def test_score_histogram_marks_the_threshold():
    frame = pl.DataFrame(
        {"from": [65.0, 70.0, 75.0, 80.0], "to": [70.0, 75.0, 80.0, 85.0], "n": [3, 5, 8, 2]}
    )
    fig = charts.score_histogram(
        frame,
        start="from",
        end="to",
        count="n",
        threshold=75,
        threshold_label="Ngưỡng 75",
        title="Phân bố điểm",
        x_title="Điểm",
        y_title="Lượt đăng ký",
        lang="vi",
    )
    bar = fig.data[0]
    assert _title(fig) == "Phân bố điểm"
    assert _axes(fig) == ("Điểm", "Lượt đăng ký")
    assert list(bar.y) == [3, 5, 8, 2]
    assert list(bar.x) == [67.5, 72.5, 77.5, 82.5]
    assert list(bar.marker.color) == [theme.SLATE, theme.SLATE, theme.RED, theme.RED]
    lines = [s for s in fig.layout.shapes if s.type == "line"]
    assert len(lines) == 1 and lines[0].x0 == 75 and lines[0].x1 == 75
    assert fig.layout.annotations[0].text == "Ngưỡng 75"


def _hierarchy(frame: pl.DataFrame, max_nodes: int = page_tables.HIERARCHY_NODES, **options) -> go.Figure:
    """charts.hierarchy of a frame with columns id, parent, name, own (its nodes: page_tables)."""
    nodes = page_tables.hierarchy_nodes(
        frame, ids="id", parents="parent", labels="name", values="own", max_nodes=max_nodes
    )
    return charts.hierarchy(nodes, title="Cơ cấu", value_title="Lượt", lang="vi", **options)


@pytest.mark.parametrize("kind, trace", [("treemap", go.Treemap), ("sunburst", go.Sunburst)])
def test_hierarchy_adds_children_to_parents(kind, trace):
    frame = pl.DataFrame(
        {
            "id": ["R", "A", "A1", "B"],
            "parent": ["", "R", "A", "R"],
            "name": ["Root", "A", "A1", "B"],
            "own": [0, 2, 5, 1],
        }
    )
    fig = _hierarchy(frame, kind=kind)
    node = fig.data[0]
    assert isinstance(node, trace)
    assert _title(fig) == "Cơ cấu"
    assert list(node.ids) == ["R", "A", "A1", "B"]
    assert list(node.parents) == ["", "R", "A", "R"]
    assert list(node.values) == [0, 2, 5, 1]
    assert node.branchvalues == "remainder"
    assert list(node.customdata) == [8.0, 7.0, 5.0, 1.0]  # subtree totals, shown and coloured


def test_movers_colours_rises_and_falls():
    frame = pl.DataFrame({"unit": ["Up", "Down", "Flat"], "change": [12, -7, 0]})
    fig = charts.movers(
        frame,
        label="unit",
        change="change",
        title="Tăng giảm",
        label_title="Đơn vị",
        value_title="Thay đổi",
        lang="vi",
    )
    bar = fig.data[0]
    assert _title(fig) == "Tăng giảm"
    assert _axes(fig) == ("Thay đổi", "Đơn vị")
    assert list(bar.x) == [-7, 0, 12]
    assert list(bar.y) == ["Down", "Flat", "Up"]
    assert list(bar.marker.color) == [theme.FALL, theme.RISE, theme.RISE]


def test_long_labels_are_cut_unless_that_merges_two():
    long = "Chi bộ Ban Quản lý dự án đầu tư xây dựng công trình dân dụng và công nghiệp"
    short = charts.axis_labels([long, "Chi bộ A"])
    assert short[0].endswith("…") and len(short[0]) == charts.LABEL_LIMIT and short[1] == "Chi bộ A"
    twins = [long + " 1", long + " 2"]
    assert charts.axis_labels(twins) == twins


def test_every_builder_sets_a_title():
    names = [n for n in dir(charts) if not n.startswith("_") and callable(getattr(charts, n))]
    builders = {n for n in names if getattr(charts, n).__module__ == charts.__name__} - {"axis_labels"}
    tested = {
        "stacked_bars_by_year",
        "category_bars",
        "stacked_category_bars",
        "grouped_bars",
        "rate_line",
        "heatmap",
        "score_histogram",
        "hierarchy",
        "movers",
    }
    assert builders == tested  # a new builder needs a test above


def _tree_chart(frame: pl.DataFrame, max_nodes: int):
    node = _hierarchy(frame, max_nodes=max_nodes).data[0]
    return list(node.ids), list(node.parents), list(node.labels), list(node.values), list(node.customdata)


# R (own 1) with A (2), B (3); A with A1 (4), A2 (5); B with B1 (6); A1 with A1x (7): 7 units, 4 levels
TREE = pl.DataFrame(
    {
        "id": ["R", "A", "A1", "A1x", "A2", "B", "B1"],
        "parent": ["", "R", "A", "A1", "A", "R", "B"],
        "name": ["Gốc", "Đơn vị A", "A1", "A1x", "A2", "Đơn vị B", "B1"],
        "own": [1, 2, 4, 7, 5, 3, 6],
    }
)


def test_a_tree_within_the_limit_is_drawn_whole():
    ids, parents, _, values, totals = _tree_chart(TREE, max_nodes=7)
    assert ids == TREE["id"].to_list() and parents == TREE["parent"].to_list()
    assert values == [1, 2, 4, 7, 5, 3, 6]
    assert totals == [28, 18, 11, 7, 5, 9, 6]  # each unit with everything under it


def test_a_larger_tree_is_drawn_to_the_deepest_level_that_fits_its_units_summed_in():
    # levels: R | A, B | A1, A2, B1 | A1x -> 1 + 2 + 3 = 6 units fit in 6, the fourth level does not
    ids, parents, labels, values, totals = _tree_chart(TREE, max_nodes=6)
    assert ids == ["R", "A", "A1", "A2", "B", "B1"]
    assert parents == ["", "R", "A", "A", "R", "B"]
    assert labels == ["Gốc", "Đơn vị A", "A1", "A2", "Đơn vị B", "B1"]
    assert values == [1, 2, 11, 5, 3, 6]  # A1 carries A1x's 7: the areas still add up to 28
    assert totals == [28, 18, 11, 5, 9, 6]
    # with room for 3: the top two levels, A and B sized by their whole subtrees
    ids, _, _, values, _ = _tree_chart(TREE, max_nodes=3)
    assert (ids, values) == (["R", "A", "B"], [1, 18, 9])


def test_a_top_level_larger_than_the_limit_keeps_its_largest_units():
    tops = pl.DataFrame(
        {
            "id": ["K1", "K2", "K3", "K4", "K2a"],
            "parent": ["", "", "", "", "K2"],
            "name": ["K1", "K2", "K3", "K4", "K2a"],
            "own": [5, 1, 9, 2, 10],
        }
    )
    ids, _, _, values, _ = _tree_chart(tops, max_nodes=2)
    assert (ids, values) == (["K2", "K3"], [11, 9])  # K2 with K2a: 11; K3: 9; K1 (5) and K4 (2) left out


def test_the_chart_font_is_a_valid_css_font_list_starting_with_streamlits_face():
    """Unquoted, a family name with a part starting with a digit ("Source Sans 3") makes the browser
    drop the whole list: axes and legends were drawn in another face than Plotly measured, and
    legend entries were cut."""
    families = [part.strip() for part in theme.FONT.split(",")]
    assert families[0] == '"Source Sans"'  # the face Streamlit loads for its own text
    for family in families:
        if family.startswith('"'):
            assert family.endswith('"') and '"' not in family[1:-1], family
        else:
            assert all(re.fullmatch(r"[A-Za-z_-][\w-]*", word) for word in family.split()), family
