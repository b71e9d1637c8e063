"""Small word helpers shared by the report's sections and tables: one language of two, English names of
the stored Vietnamese labels (queries.labels.phrase), counts of collectives and individuals."""

from __future__ import annotations

from queries import labels
from queries.figures import Filters
from queries.formatting import fmt_int, fmt_period

# At most this many units are named in a sentence; the rest are counted ("và 12 đơn vị khác").
NAMED_UNITS = 8


def pick(lang: str, vi: str, en: str) -> str:
    """The Vietnamese or the English text."""
    return en if lang == "en" else vi


def label(value: str, lang: str) -> str:
    """A stored Vietnamese label (field, movement, level, subject) as the report writes it."""
    return labels.phrase(value, lang)


def en_count(n: int, noun: str) -> str:
    """ "1 collective", "61 collectives"."""
    return f"{fmt_int(n, 'en')} {noun}{'' if n == 1 else 's'}"


def subjects(collective: int, individual: int, lang: str) -> str:
    """ "1.061 tập thể và 5.908 cá nhân" (zero parts left out)."""
    parts = []
    if collective:
        parts.append(pick(lang, f"{fmt_int(collective)} tập thể", en_count(collective, "collective")))
    if individual:
        parts.append(pick(lang, f"{fmt_int(individual)} cá nhân", en_count(individual, "individual")))
    if not parts:
        return pick(lang, "0 tập thể, cá nhân", "no collective or individual")
    return pick(lang, " và ", " and ").join(parts)


def period_words(f: Filters, lang: str) -> str:
    """ "giai đoạn 2021-2023" / "năm 2023" (or the English)."""
    period = fmt_period(f.year_from, f.year_to)
    if f.year_from == f.year_to:
        return pick(lang, f"năm {period}", f"in {period}")
    return pick(lang, f"giai đoạn {period}", f"over {period}")


def sentence(text: str) -> str:
    """Capital first letter, full stop last."""
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def names(names: list[str], lang: str) -> str:
    """The first NAMED_UNITS names, then how many more."""
    shown = ", ".join(names[:NAMED_UNITS])
    rest = len(names) - NAMED_UNITS
    if rest > 0:
        shown += pick(lang, f" và {fmt_int(rest)} đơn vị khác", f" and {fmt_int(rest, 'en')} other units")
    return shown
