"""The importer's notices grouped by kind, with a count, so the ones that matter stand out."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from queries import messages

# Kinds that say something may be wrong come first; "tables read" and encodings are information.
_ORDER = (
    "lossy_encoding",
    "ignored_column",
    "ignored_sheet",
    "empty_sheet",
    "total_row",
    "numbering_row",
    "title_rows",
    "blank_rows",
    "encoding",
    "table",
)


def grouped(notices: Sequence, lang: str = "vi") -> pl.DataFrame:
    """(code, kind, count, messages): one row per kind of notice, in the order above."""
    by_code: dict[str, list[str]] = {}
    for notice in notices:
        by_code.setdefault(notice.code, []).append(notice.message(lang))
    rank = {code: i for i, code in enumerate(_ORDER)}
    rows = []
    for code in sorted(by_code, key=lambda c: (rank.get(c, len(_ORDER)), c)):
        pair = messages.NOTICE_KINDS.get(code, (code, code))
        rows.append(
            {
                "code": code,
                "kind": pair[1] if lang == "en" else pair[0],
                "count": len(by_code[code]),
                "messages": by_code[code],
            }
        )
    schema = pl.Schema(
        {"code": pl.String(), "kind": pl.String(), "count": pl.Int64(), "messages": pl.List(pl.String())}
    )
    return pl.DataFrame(rows, schema=schema) if rows else pl.DataFrame(schema=schema)
