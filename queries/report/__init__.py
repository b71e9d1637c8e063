"""The phase report (DOMAIN.md §7): content.build(cur, filters, options) -> Report, render.render(report) -> .docx.

`report_docx` is the one call the command line and the dashboard share, so both give the same file.
"""

from __future__ import annotations

from pathlib import Path

from queries.figures import Filters
from queries.report.options import ReportOptions

__all__ = ["ReportOptions", "build_report", "default_options", "report_docx"]


def default_options(cur, f: Filters, options: ReportOptions) -> ReportOptions:
    """The options with the letterhead defaults of the scope's unit filled in (what a form shows first)."""
    from queries.report.options import resolve

    return resolve(cur, f.unit, options)


def build_report(cur, f: Filters, options: ReportOptions):
    """The report's content (queries.report.model.Report) for these filters and options."""
    from queries.report import content

    return content.build(cur, f, options)


def report_docx(cur, f: Filters, options: ReportOptions, template: Path | bytes | None = None) -> bytes:
    """The report as .docx bytes."""
    from queries.report import render

    return render.render(build_report(cur, f, options), template)
