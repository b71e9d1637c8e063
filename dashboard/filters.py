"""The global filters in the sidebar, and the URL that keeps them (and each page's own choices).

The URL holds codes, not labels, so a link works in either language: `?from=2021&to=2023&unit=DB01
&field=kinh-te&subject=tap-the&movement=qcdc&kind=mo-hinh&lang=en`. Values equal to their default
are left out. A link is read once, when a session starts; after that the widgets rule and every run
writes the URL back (Streamlit clears the query string on a page switch, the rewrite restores it).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl
import streamlit as st

from dashboard import fmt, shared
from dashboard.escape import md
from dashboard.i18n import DEFAULT_LANG, LANGS, current_lang, t, tv
from queries import labels, parse, periods, structure, vocab
from queries.figures import Filters
from queries.formatting import fmt_period

PHASES: tuple[tuple[int, int], ...] = ((2021, 2025), (2021, 2023), (2018, 2020))
DEFAULT_PERIOD = (2021, 2023)
CUSTOM = "custom"
ALL = ""  # the session value of a filter that is not set ("Tất cả")

K_LANG, K_PRESET, K_YEARS, K_UNIT = "lang", "f_preset", "f_years", "f_unit"
K_STRUCTURE = "f_structure"  # DOMAIN.md section 4a: as it was (the default) or on today's structure


@dataclass(frozen=True)
class Choice:
    """One optional categorical filter: its session key, URL parameter, label key and values."""

    key: str
    param: str
    label: str
    values: tuple[str, ...]


CHOICES = (
    Choice("f_field", "field", "filters.field", vocab.FIELDS),
    Choice("f_subject", "subject", "filters.subject", vocab.SUBJECTS),
    Choice("f_movement", "movement", "filters.movement", vocab.MOVEMENTS),
    Choice("f_kind", "kind", "filters.kind", vocab.KINDS),
)

_URL_LOADED = "_url_loaded"
_PAGE_PARAMS = "_page_params"
_UNIT_REFUSED = "_unit_refused"
_URL_UNKNOWN = "_url_unknown"  # a unit or year in the link that the data does not hold


# --- values <-> URL ----------------------------------------------------------------------------


def slug(value: str) -> str:
    """ASCII URL form of a label: "Văn hóa - xã hội" -> "van-hoa-xa-hoi"."""
    text = unicodedata.normalize("NFD", value).replace("đ", "d").replace("Đ", "D")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn").lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def from_slug(text: str, values: tuple[str, ...]) -> str | None:
    """The label whose slug (or loose spelling) is `text`, or None."""
    key = vocab.fold_value(text)
    for value in values:
        if slug(value) == text or vocab.fold_value(value) == key:
            return value
    return None


_ASCII_NUMBER = re.compile(r"[0-9]{1,9}")


def ascii_int(text: str | None) -> int | None:
    """A URL's whole number: ASCII digits only, else None.

    `str.isdigit()` accepts "²" and `int()` accepts "١٢" and " 12_0 ", so neither decides alone.
    """
    if text is None or not _ASCII_NUMBER.fullmatch(text):
        return None
    return int(text)


# --- periods -----------------------------------------------------------------------------------


def year_options() -> list[int]:
    """The years the period slider offers: the data's years, widened to the phases they touch."""
    span = shared.year_span() if shared.db_exists() else None
    lo, hi = span if span else (min(p[0] for p in PHASES), max(p[1] for p in PHASES))
    for a, b in PHASES:
        if a <= hi and b >= lo:
            lo, hi = min(lo, a), max(hi, b)
    return list(range(lo, hi + 1))


def presets(years: list[int]) -> dict[str, tuple[int, int]]:
    """Preset id -> period: the phases within the slider's range, then each year, newest first."""
    out: dict[str, tuple[int, int]] = {}
    for a, b in PHASES:
        if a >= years[0] and b <= years[-1]:
            out[f"{a}-{b}"] = (a, b)
    for y in reversed(years):
        out[str(y)] = (y, y)
    return out


def default_period(years: list[int]) -> tuple[int, int]:
    """2021-2023 (the seeds' review phase) when the data covers it, else the last three years."""
    if DEFAULT_PERIOD[0] in years and DEFAULT_PERIOD[1] in years:
        return DEFAULT_PERIOD
    return (max(years[0], years[-1] - 2), years[-1])


def period_label(period: tuple[int, int], lang: str | None = None) -> str:
    """ "Giai đoạn 2021-2023" or "Năm 2023"."""
    return labels.period_name(*period, lang or current_lang())


def previous_period(period: tuple[int, int]) -> tuple[int, int]:
    """The period of equal length just before this one (2021-2023 -> 2018-2020)."""
    a, b = period
    length = b - a + 1
    return (a - length, a - 1)


def parse_period(text: str | None) -> tuple[int, int] | None:
    """ "2018-2020" or "2021" -> a (from, to) pair; None for anything else (queries.periods)."""
    return periods.parse_period(text)


def dump_period(period: tuple[int, int]) -> str:
    """The URL form of a period: "2021-2023", or "2021" for one year."""
    return fmt_period(*period)


# --- units -------------------------------------------------------------------------------------


def _single_root() -> str | None:
    outline = shared.unit_outline()
    roots = outline.filter(outline["depth"] == 0)
    return roots["ma_don_vi"][0] if roots.height == 1 else None


def normalize_unit(code: str | None) -> str:
    """The unit filter's value for a code: ALL for everything (including the only root) or an unknown code."""
    if not code or not shared.db_exists():
        return ALL
    known = set(shared.unit_outline()["ma_don_vi"].to_list())
    if code not in known or code == _single_root():
        return ALL
    return code


def unit_label(code: str | None, lang: str | None = None) -> str:
    """The name of a unit, or of the whole scope for None / ALL."""
    if not code:
        root = _single_root() if shared.db_exists() else None
        return (
            shared.unit_names().get(root, t("filters.unit.all", lang))
            if root
            else t("filters.unit.all", lang)
        )
    return shared.unit_names().get(code, code)


def unit_parent(code: str | None, year_to: int, reading: str) -> str:
    """The parent of a unit as the unit filter expects it (ALL for the top): its superior in the
    period and reading shown (a unit that moved in 2025 goes up to the bloc in 2021-2023, as it
    was), if the user may see that superior."""
    if not code:
        return ALL
    parent = shared.unit_superior(code, year_to, reading)
    outline = shared.unit_outline()
    if parent is None or not outline.filter(outline["ma_don_vi"] == parent).height:
        return ALL
    return normalize_unit(parent)


# A unit list up to this long goes to the browser whole. A longer one (every bloc of a country:
# ten thousand units, 650 KB sent on every rerun and a second of the browser's time) is narrowed
# to the selected unit's path and children, plus the units matching the search box.
UNIT_LIST_LIMIT = 400
UNIT_MATCHES = 30  # search matches listed at most
K_UNIT_QUERY = "f_unit_q"


def _unit_options(large: bool, query: str = "") -> tuple[list[str], dict[str, str], int]:
    """The unit filter's options and labels (hierarchy shown by indentation), and how many units
    match `query` (`large` trees only; 0 otherwise). In a large tree the matches come first, then
    the selected unit's path and children.
    """
    outline = shared.unit_outline()
    root = _single_root()
    rows = _unique_names(outline)
    shift = 1 if root else 0
    rows = rows.with_columns(
        (
            pl.lit("— ").repeat_by((pl.col("depth") - shift + 1).clip(lower_bound=1)).list.join("")
            + pl.col("label")
        ).alias("label")
    )
    matched, total = rows.head(0), 0
    if large:
        keep = _unit_neighbourhood(rows, st.session_state.get(K_UNIT) or root)
        if query.strip():
            found = _unit_matches(rows, query)
            total = found.height
            matched = found.head(UNIT_MATCHES).filter(~pl.col("ma_don_vi").is_in(sorted(keep)))
        rows = rows.filter(pl.col("ma_don_vi").is_in(sorted(keep)))
    labels: dict[str, str] = {ALL: unit_label(ALL)}
    options: list[str] = [ALL]
    for code, label, ended in (
        pl.concat([matched, rows]).select("ma_don_vi", "label", "hieu_luc_den").iter_rows()
    ):
        if code == root:
            continue
        if ended is not None:
            label += f" ({t('filters.unit.ended', date=ended.strftime('%d/%m/%Y'))})"
        options.append(code)
        labels[code] = label
    return options, labels, total


def _unique_names(outline: pl.DataFrame) -> pl.DataFrame:
    """The outline's units with a `label` each, unique in the tree.

    The browser sends a chosen option's label back, so two units must never share one, and a
    unit's label must depend on the tree only (never on what is listed with it). A name several
    units bear gets its parent unit's name, and its code if that is not enough.
    """
    rows = outline.select("ma_don_vi", "ten_don_vi", "ma_cap_tren", "depth", "hieu_luc_den")
    parents = rows.select(pl.col("ma_don_vi").alias("ma_cap_tren"), pl.col("ten_don_vi").alias("_parent"))
    name = pl.col("ten_don_vi")
    with_parent = name + " · " + pl.col("_parent").fill_null(t("filters.unit.all"))
    return (
        rows.join(parents, on="ma_cap_tren", how="left", maintain_order="left")
        .with_columns(
            pl.when(name.count().over("ten_don_vi") > 1).then(with_parent).otherwise(name).alias("label")
        )
        .with_columns(
            pl.when(pl.len().over("label") > 1)
            .then(pl.col("label") + " (" + pl.col("ma_don_vi") + ")")
            .otherwise(pl.col("label"))
            .alias("label")
        )
        .drop("_parent")
    )


def unit_choice_labels() -> dict[str, str]:
    """Unit code -> a name no other unit shows (for lists of units to pick from)."""
    rows = _unique_names(shared.unit_outline())
    return dict(zip(rows["ma_don_vi"].to_list(), rows["label"].to_list(), strict=True))


def _unit_neighbourhood(rows: pl.DataFrame, selected: str | None) -> set[str]:
    """The selected unit, its ancestors and its children (the top units when none is selected)."""
    parent = dict(zip(rows["ma_don_vi"].to_list(), rows["ma_cap_tren"].to_list(), strict=True))
    keep: set[str] = set()
    code = selected if selected in parent else None
    while code is not None and code not in keep:  # a loop in the tree cannot hang the page
        keep.add(code)
        code = parent.get(code)
    under = rows.filter(pl.col("ma_cap_tren") == selected if selected in parent else pl.col("depth") == 0)
    return keep | set(under["ma_don_vi"].to_list())


def _unit_matches(rows: pl.DataFrame, query: str) -> pl.DataFrame:
    """Units whose name or code holds every word of `query`, ignoring case and diacritics."""
    words = [w for w in (vocab.fold(part) for part in query.split()) if w]
    if not words:
        return rows.head(0)
    hay = parse.fold_expr(pl.col("ten_don_vi")) + "|" + parse.fold_expr(pl.col("ma_don_vi"))
    return rows.filter(pl.all_horizontal(hay.str.contains(w, literal=True) for w in words))


def set_unit(code: str | None) -> None:
    """Callback: change the unit filter (drill down or up from a page)."""
    st.session_state[K_UNIT] = normalize_unit(code)


# --- session state from the URL and back --------------------------------------------------------


def load_url_once() -> None:
    """Seed the filters from the URL the session was opened with (a bookmark or a shared link)."""
    if st.session_state.get(_URL_LOADED):
        return
    st.session_state[_URL_LOADED] = True
    params = st.query_params
    years = year_options()
    if K_LANG not in st.session_state:  # the login page may have set it already
        lang = params.get("lang")
        st.session_state[K_LANG] = lang if lang in LANGS else DEFAULT_LANG

    a, b = ascii_int(params.get("from")), ascii_int(params.get("to"))
    unknown_years = [params.get(p) for p, y in (("from", a), ("to", b)) if params.get(p) and y not in years]
    a, b = (a if a in years else None), (b if b in years else None)
    if a is None and b is None:
        period = default_period(years)
    else:  # one end alone means that single year
        a, b = (a if a is not None else b), (b if b is not None else a)
        assert a is not None and b is not None  # one of them was given
        period = (min(a, b), max(a, b))
    st.session_state[K_YEARS] = period
    _sync_preset_from_years()
    raw_unit = params.get("unit")
    st.session_state[K_UNIT] = normalize_unit(raw_unit)
    user = shared.current_user()
    if raw_unit and not st.session_state[K_UNIT] and user is not None and user.is_scoped:
        # Outside the user's subtree (or made up): their own unit is shown, and the page says so.
        st.session_state[_UNIT_REFUSED] = raw_unit.strip() != user.unit
    elif raw_unit and not st.session_state[K_UNIT] and raw_unit != _single_root():
        st.session_state[_URL_UNKNOWN] = {"unit": raw_unit}  # named on the page, not silently replaced
    if unknown_years:
        st.session_state.setdefault(_URL_UNKNOWN, {})["years"] = ", ".join(str(y) for y in unknown_years)
    for choice in CHOICES:
        raw = params.get(choice.param)
        st.session_state[choice.key] = (from_slug(raw, choice.values) or ALL) if raw else ALL
    raw_structure = params.get("structure")
    st.session_state[K_STRUCTURE] = raw_structure if raw_structure in structure.READINGS else structure.AS_WAS


def page_param(
    key: str, param: str, default: Any, parse: Callable[[str], Any], dump: Callable[[Any], str]
) -> None:
    """Keep a page's own widget value (session key `key`) in the URL as `param`.

    Call before drawing the widget (which must use `key` and no default of its own): the first time
    the widget appears in a session, it takes the URL's value (a shared link), else `default`.
    """
    if key not in st.session_state:
        raw = st.query_params.get(param)
        value = parse(raw) if raw is not None else None
        st.session_state[key] = default if value is None else value
    st.session_state.setdefault(_PAGE_PARAMS, {})[param] = (key, default, dump)


def url_params() -> dict[str, str]:
    """The query string that reproduces the current view (defaults left out)."""
    out: dict[str, str] = {}
    years = year_options()
    period = st.session_state.get(K_YEARS, default_period(years))
    if tuple(period) != default_period(years):
        out["from"], out["to"] = str(period[0]), str(period[1])
    unit = st.session_state.get(K_UNIT)
    if unit:
        out["unit"] = unit
    for choice in CHOICES:
        value = st.session_state.get(choice.key)
        if value:
            out[choice.param] = slug(value)
    if st.session_state.get(K_STRUCTURE, structure.AS_WAS) != structure.AS_WAS:
        out["structure"] = st.session_state[K_STRUCTURE]
    for param, (key, default, dump) in st.session_state.get(_PAGE_PARAMS, {}).items():
        value = st.session_state.get(key, default)
        if value != default and value is not None:
            out[param] = dump(value)
    lang = st.session_state.get(K_LANG, DEFAULT_LANG)
    if lang != DEFAULT_LANG:
        out["lang"] = lang
    return out


def begin_run() -> None:
    """Start of every run: read the URL (first run only) and forget the previous page's parameters."""
    load_url_once()
    st.session_state[_PAGE_PARAMS] = {}


def scope_notice() -> None:
    """Once, above the page: the link asked for a unit outside the user's scope (their own is shown),
    or for a unit or year the data does not hold (named, with what is shown instead)."""
    if st.session_state.pop(_UNIT_REFUSED, False):
        st.warning(t("auth.unit_refused", unit=md(unit_label(ALL))), icon=":material/lock:")
    unknown = st.session_state.pop(_URL_UNKNOWN, {})
    if "unit" in unknown:
        shown = unit_label(st.session_state.get(K_UNIT))
        st.warning(
            t("url.unknown_unit", code=_as_text(unknown["unit"]), unit=md(shown)),
            icon=":material/search_off:",
        )
    if "years" in unknown:
        period = period_label(tuple(st.session_state.get(K_YEARS) or default_period(year_options())))
        st.warning(
            t("url.unknown_years", years=_as_text(unknown["years"]), period=period),
            icon=":material/event_busy:",
        )


def _as_text(raw: str, limit: int = 40) -> str:
    """A value from the link, cut short and with Markdown's special characters escaped: shown, never rendered."""
    return md(raw if len(raw) <= limit else raw[:limit] + "…")


def write_url() -> None:
    """End of every run: put the current view in the address bar, if it changed."""
    want = url_params()
    if st.query_params.to_dict() != want:
        st.query_params.from_dict(want)


# --- the sidebar -------------------------------------------------------------------------------


def _sync_years_from_preset() -> None:
    preset = st.session_state.get(K_PRESET)
    table = presets(year_options())
    if preset in table:
        st.session_state[K_YEARS] = table[preset]


def _sync_preset_from_years() -> None:
    period = tuple(st.session_state.get(K_YEARS, ()))
    match = [pid for pid, p in presets(year_options()).items() if p == period]
    st.session_state[K_PRESET] = match[0] if match else CUSTOM


def _reset() -> None:
    years = year_options()
    st.session_state[K_YEARS] = default_period(years)
    _sync_preset_from_years()
    st.session_state[K_UNIT] = ALL
    for choice in CHOICES:
        st.session_state[choice.key] = ALL
    st.session_state[K_STRUCTURE] = structure.AS_WAS


def _preset_label(pid: str, lang: str) -> str:
    # Format functions get the language passed in: Streamlit may call them outside the run.
    if pid == CUSTOM:
        return t("filters.preset.custom", lang)
    return period_label(parse_period(pid) or (0, 0), lang)


def _keep_values_across_languages() -> None:
    """Callback of the language switch: pin every filter to its value before the labels change.

    Selectboxes send back the label the user saw ("Giai đoạn 2018-2020"), which no longer matches
    an option once the labels are in the other language; a value set through st.session_state
    takes precedence over that stale label, so the view stays the same.
    """
    keys = [K_PRESET, K_UNIT, K_STRUCTURE, *(choice.key for choice in CHOICES)]
    keys += [key for key, _, _ in st.session_state.get(_PAGE_PARAMS, {}).values()]
    for key in keys:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def language_switch() -> None:
    """Tiếng Việt | English."""
    st.segmented_control(
        t("filters.lang"),
        LANGS,
        key=K_LANG,
        required=True,
        on_change=_keep_values_across_languages,
        format_func=lambda code: {"vi": "Tiếng Việt", "en": "English"}[code],
        label_visibility="collapsed",
        width="stretch",
    )


def sidebar() -> Filters:
    """Draw the global filters in the sidebar and return them."""
    years = year_options()
    lang = current_lang()
    with st.sidebar:
        language_switch()
        st.markdown(f"**{t('filters.header')}**")
        preset_ids = [*presets(years), CUSTOM]
        if st.session_state.get(K_PRESET) not in preset_ids:
            _sync_preset_from_years()
        st.selectbox(
            t("filters.preset"),
            preset_ids,
            key=K_PRESET,
            format_func=lambda pid: _preset_label(pid, lang),
            on_change=_sync_years_from_preset,
        )
        period = st.session_state.get(K_YEARS)
        if not period or period[0] not in years or period[1] not in years:
            st.session_state[K_YEARS] = default_period(years)
        # `value` makes it a range slider; the session state (seeded above) decides the actual range.
        st.select_slider(
            t("filters.years"),
            years,
            value=default_period(years),
            key=K_YEARS,
            on_change=_sync_preset_from_years,
        )

        if shared.db_exists():
            large = shared.unit_outline().height > UNIT_LIST_LIMIT
            query = ""  # the search box: large trees only
            if large:
                query = st.text_input(
                    t("filters.unit.search"),
                    key=K_UNIT_QUERY,
                    placeholder=t("filters.unit.search_hint"),
                    help=t("filters.unit.search_help"),
                )
            options, labels, matches = _unit_options(large, query)
            if st.session_state.get(K_UNIT) not in options:
                st.session_state[K_UNIT] = ALL
            st.selectbox(
                t("filters.unit"),
                options,
                key=K_UNIT,
                format_func=lambda code: labels.get(code, str(code)),
                help=t("filters.unit.help_large" if large else "filters.unit.help"),
            )
            if query.strip():
                shown = min(matches, UNIT_MATCHES)
                key = "filters.unit.matches" if matches else "filters.unit.no_match"
                st.caption(
                    t(
                        key,
                        shown=fmt.integer(shown, lang),
                        total=fmt.integer(matches, lang),
                        query=md(query.strip()),
                    )
                )
        for choice in CHOICES:
            if st.session_state.get(choice.key) not in (ALL, *choice.values):
                st.session_state[choice.key] = ALL
        for choice in CHOICES:
            # Short choices fit a segmented control; the fields and movements need a list.
            widget: Callable[..., Any] = st.segmented_control
            if choice.param in ("field", "movement"):
                widget = st.selectbox
            extra = {} if widget is st.selectbox else {"required": True, "width": "stretch"}
            widget(
                t(choice.label),
                [ALL, *choice.values],
                key=choice.key,
                format_func=lambda v: tv(v, lang) if v else t("filters.all", lang),
                **extra,
            )
        if st.session_state.get(K_STRUCTURE) not in structure.READINGS:
            st.session_state[K_STRUCTURE] = structure.AS_WAS
        st.segmented_control(
            t("filters.structure"),
            list(structure.READINGS),
            key=K_STRUCTURE,
            format_func=lambda reading: t(f"filters.structure.{reading}", lang),
            help=t("filters.structure.help"),
            required=True,
            width="stretch",
        )
        st.button(t("filters.reset"), on_click=_reset, icon=":material/filter_alt_off:", width="stretch")
        st.caption(t("filters.share"))
    return current()


def current() -> Filters:
    """The filters as the figures engine takes them."""
    years = year_options()
    a, b = st.session_state.get(K_YEARS) or default_period(years)
    values = {choice.param: st.session_state.get(choice.key) or None for choice in CHOICES}
    return Filters(
        year_from=int(a),
        year_to=int(b),
        unit=st.session_state.get(K_UNIT) or None,
        field=values["field"],
        subject=values["subject"],
        movement=values["movement"],
        kind=values["kind"],
        structure=st.session_state.get(K_STRUCTURE) or structure.AS_WAS,
    )


def with_period(f: Filters, period: tuple[int, int]) -> Filters:
    """The same filters over another period."""
    return f.with_period(period[0], period[1])
