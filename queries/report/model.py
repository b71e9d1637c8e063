"""The report as data: paragraphs and tables in order, the letterhead, the appendices.

content.py fills it from the figures engine; render.py writes it into a .docx; the dashboard previews
its outline as plain text. Nothing here knows about Word.
"""

from __future__ import annotations

from dataclasses import dataclass

H1, H2, BODY, PLACEHOLDER, CAPTION = "h1", "h2", "body", "placeholder", "caption"


@dataclass(frozen=True)
class Paragraph:
    """One paragraph: a section heading (H1 "I. …", H2 "1. …"), body text or a line to fill in."""

    text: str
    style: str = BODY


@dataclass(frozen=True)
class Table:
    """A table with its caption: header cells, body rows, an optional total row; all cells are text.

    `widths` are relative column widths; `numeric` columns are centred (figures), the others left.
    A cell may hold a line break ("\\n") for a value and its change.
    """

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    numeric: tuple[bool, ...]
    total: tuple[str, ...] | None = None
    note: str | None = None


@dataclass(frozen=True)
class Appendix:
    """A numbered appendix: "Phụ lục 1", its title and one table."""

    label: str
    title: str
    table: Table


@dataclass(frozen=True)
class Report:
    """Everything a report says, in reading order."""

    lang: str
    superior: str
    issuer: str
    symbol: str
    party: str  # "ĐẢNG CỘNG SẢN VIỆT NAM"
    date_line: str
    doc_type: str  # "BÁO CÁO"
    title: str
    body: tuple[Paragraph | Table, ...]
    recipients_label: str
    recipients: tuple[str, ...]
    on_behalf: str
    signer_title: str
    signer_name: str
    appendices: tuple[Appendix, ...]
    period: str = ""  # "2021-2023"
    attachment_note: str = ""  # "(Kèm theo Báo cáo số      -BC/ĐUK)" under each appendix title

    def outline(self) -> list[tuple[str, str]]:
        """(style, text) of every heading and paragraph of the body, tables as their captions."""
        lines = []
        for item in self.body:
            if isinstance(item, Table):
                lines.append((CAPTION, item.caption))
            else:
                lines.append((item.style, item.text))
        for appendix in self.appendices:
            lines.append((CAPTION, f"{appendix.label}: {appendix.title}"))
        return lines

    def text(self) -> str:
        """All the words of the body and the appendices, one paragraph or table row per line."""
        lines = [
            self.superior,
            self.issuer,
            self.symbol,
            self.party,
            self.date_line,
            self.doc_type,
            self.title,
        ]
        for item in self.body:
            lines.extend(_lines(item))
        for appendix in self.appendices:
            lines.extend([appendix.label, appendix.title, *_lines(appendix.table)])
        return "\n".join(lines)


def _lines(item: Paragraph | Table) -> list[str]:
    if isinstance(item, Paragraph):
        return [item.text]
    rows = [item.columns, *item.rows, *([item.total] if item.total else [])]
    return [item.caption, *(" | ".join(row) for row in rows), *([item.note] if item.note else [])]
