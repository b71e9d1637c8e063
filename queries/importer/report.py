"""What an import found and did: Problem and Notice (both a Finding), TableCount and ImportReport
(the importer's result)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

import polars as pl

from queries import import_diff, messages

Progress = Callable[[str, int, int], None]


@dataclass
class TableCount:
    """Rows of one table added (new key) and updated (key already stored); of the updated ones,
    changed (some value differs) and unchanged; missing: stored rows of a unit-year the import
    re-sends that it does not hold (kept; import_diff)."""

    added: int = 0
    updated: int = 0
    changed: int = 0
    unchanged: int = 0
    missing: int = 0


@dataclass
class Finding:
    """Something an import found, located as precisely as possible: a Problem or a Notice (their
    reasons come from messages.PROBLEMS and messages.NOTICES)."""

    SENTENCES: ClassVar[dict[str, tuple[str, str]]] = {}

    file: str | None
    sheet: str | None
    row: int | None
    column: str | None
    value: str | None
    code: str
    params: dict = field(default_factory=dict, repr=False, compare=False)

    def reason(self, lang: str = "vi") -> str:
        """Why, or what happened, without the location."""
        return messages.reason(
            self.SENTENCES, self.code, self.value, {"column": self.column, **self.params}, lang
        )

    def message(self, lang: str = "vi") -> str:
        """A full sentence naming file, sheet, row, column, value and reason."""
        where = messages.location(self.file, self.sheet, self.row, self.column, lang)
        return messages.sentence(where, self.reason(lang))


@dataclass
class Problem(Finding):
    """A reason to reject the import, located as precisely as possible."""

    SENTENCES: ClassVar[dict[str, tuple[str, str]]] = messages.PROBLEMS


@dataclass
class Notice(Finding):
    """Something the importer did on its own (ignored a column, skipped a total row...)."""

    SENTENCES: ClassVar[dict[str, tuple[str, str]]] = messages.NOTICES


def _frame(items: Sequence[Finding], lang: str) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "file": [p.file for p in items],
            "sheet": [p.sheet for p in items],
            "row": [p.row for p in items],
            "column": [p.column for p in items],
            "value": [p.value for p in items],
            "reason": [p.reason(lang) for p in items],
        },
        schema={
            "file": pl.String,
            "sheet": pl.String,
            "row": pl.Int64,
            "column": pl.String,
            "value": pl.String,
            "reason": pl.String,
        },
    )


@dataclass
class ImportReport:
    """What an import found and did. Nothing was written unless `written` is True."""

    problems: list[Problem] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    counts: dict[str, TableCount] = field(default_factory=dict)
    rows_read: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False
    written: bool = False
    import_id: int | None = None
    files: list[str] = field(default_factory=list)
    diffs: dict[str, import_diff.TableDiff] = field(default_factory=dict)
    db_version: str | None = None  # the database version checked against (store.read_version)
    file_hashes: list[str | None] = field(default_factory=list)

    def changes_frame(self) -> pl.DataFrame:
        """Every changed field and missing record, per table and unit (import_diff.changes_frame)."""
        return import_diff.changes_frame(self.diffs)

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems

    @property
    def problem_count(self) -> int:
        """How many problems were found: those listed plus those only counted (more_problems)."""
        more = [p for p in self.problems if p.code == "more_problems"]
        return len(self.problems) - len(more) + sum(p.params["count"] for p in more)

    def problems_frame(self, lang: str = "vi") -> pl.DataFrame:
        """The problems as a table: file, sheet, row, column, value, reason."""
        return _frame(self.problems, lang)

    def notices_frame(self, lang: str = "vi") -> pl.DataFrame:
        """The notices as a table: file, sheet, row, column, value, reason."""
        return _frame(self.notices, lang)

    def summary(self, lang: str = "vi") -> str:
        """One or two sentences: what was (or would be) added and updated, or why nothing was."""
        vi = lang != "en"

        def fmt(n: int) -> str:
            return messages.count(n, lang)

        if not self.ok:
            n = self.problem_count
            if vi:
                return f"Không nhập: phát hiện {fmt(n)} lỗi, cơ sở dữ liệu không thay đổi."
            return (
                f"Nothing imported: {fmt(n)} problem{'s' if n != 1 else ''} found, the database is unchanged."
            )
        parts = []
        for name, count in self.counts.items():
            label = messages.table_name(name, lang)
            if vi:
                part = f"{label}: {fmt(count.added)} dòng mới, {fmt(count.changed)} dòng thay đổi, "
                part += f"{fmt(count.unchanged)} dòng không đổi"
                if count.missing:
                    part += f", {fmt(count.missing)} dòng đã lưu không có trong tệp (giữ nguyên)"
            else:
                part = f"{label}: {fmt(count.added)} added, {fmt(count.changed)} changed, "
                part += f"{fmt(count.unchanged)} unchanged"
                if count.missing:
                    part += f", {fmt(count.missing)} stored not in the files (kept)"
            parts.append(part)
        detail = "; ".join(parts) if parts else ("không có dòng dữ liệu" if vi else "no data rows")
        if self.dry_run:
            head = (
                "Kiểm tra xong, không có lỗi (chạy thử, chưa ghi gì)"
                if vi
                else "Checked, no problems (dry run, nothing written)"
            )
            return f"{head}. {'Sẽ nhập' if vi else 'Would import'}: {detail}."
        return f"{'Đã nhập' if vi else 'Imported'}: {detail}."
