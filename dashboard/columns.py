"""Columns of the pages' tables as (column, label, kind), for ui.table and the downloads.

A template column has one rule: its label is `col.<alias>` (the template's header), its kind follows
from the vocabulary (a closed list of values is translated, a year is shown as text).
"""

from __future__ import annotations

from collections.abc import Iterable

from dashboard import ui
from dashboard.i18n import t
from queries import vocab

_KINDS = {vocab.INTEGER: ui.TEXT, vocab.NUMBER: ui.NUM, vocab.DATE: ui.DATE, vocab.TEXT: ui.TEXT}


def template(table: str, aliases: Iterable[str] | None = None) -> list[tuple[str, str, str]]:
    """The template columns of `table` (vocab): every one, or `aliases` in that order."""
    spec = {c.alias: c for c in vocab.TABLES_BY_NAME[table].columns}
    aliases = spec if aliases is None else aliases
    return [(a, t(f"col.{a}"), ui.VALUE if spec[a].choices else _KINDS[spec[a].type]) for a in aliases]
