"""Checks turned into Problems: the first MAX_LISTED per table, rule and column listed, the rest
counted; problems sorted in reading order."""

from __future__ import annotations

from queries import vocab
from queries.importer import limits
from queries.importer.report import Problem
from queries.importer.sources import Source
from queries.importer.validate import _Check


def _problems(checks: list[_Check], sources: list[Source]) -> list[Problem]:
    """Turn the offending rows of every check into Problems (one loop step per problem)."""
    out = []
    for check in checks:
        if check.rows.height == 0:
            continue
        param_cols = [c for c in check.rows.columns if c.startswith("p_")]
        for record in check.rows.iter_rows(named=True):
            src = sources[record["_src"]]
            params = dict(check.params)
            for c in param_cols:
                params[c[2:]] = record[c]
            if "src" in params:
                other = sources[params.pop("src")]
                params["other"] = {"file": other.file, "sheet": other.sheet, "row": params.pop("row")}
            out.append(
                Problem(
                    src.file,
                    src.sheet,
                    int(record["_row"]),
                    src.header(check.alias),
                    record["value"],
                    check.code,
                    params,
                )
            )
    return out


# The order problems of one cell are listed in (after sorting by place): value checks and
# duplicate keys first, then the unit checks in this order.
_UNIT_RANK = {
    "unknown_unit": 1,
    "missing_parent": 2,
    "branch_without_parent": 2,
    "unknown_successor": 3,
    "cycle": 4,
    "date_order": 5,
    "validity_overlap": 6,
    "validity_overlap_stored": 6,
    "successor_without_end": 7,
    "successor_inactive": 7,
    "succession_cycle": 8,
}


class _Collector:
    """Problems of the row checks: the first MAX_LISTED per table, rule and column are listed,
    the rest counted into one more_problems entry."""

    def __init__(self, sources: list[Source]):
        self.sources = sources
        self.found: list[tuple[int, int, Problem]] = []
        self.counts: dict[tuple[str, str, str], int] = {}
        self.headers: dict[tuple[str, str, str], str] = {}

    def add(self, table: vocab.Table, checks: list[_Check]) -> None:
        for check in checks:
            n = check.total if check.total is not None else check.rows.height
            if n == 0:
                continue
            key = (table.name, check.code, check.alias)
            have = self.counts.get(key, 0)
            room = limits.MAX_LISTED - have
            if room > 0:
                rows = check.rows.head(room)
                for problem in _problems([_Check(check.alias, check.code, rows, check.params)], self.sources):
                    self.found.append((_UNIT_RANK.get(check.code, 0), len(self.found), problem))
                    self.headers.setdefault(key, problem.column or check.alias)
            self.counts[key] = have + n

    @property
    def any(self) -> bool:
        """Whether a problem was found."""
        return bool(self.counts)

    def problems(self) -> list[Problem]:
        """The listed problems, then one entry per rule and column with more than were listed."""
        out = [p for _, _, p in sorted(self.found, key=lambda f: (f[0], f[1]))]
        for key, n in self.counts.items():
            if n > limits.MAX_LISTED:
                table, code, _ = key
                params = {"count": n - limits.MAX_LISTED, "table": table, "code": code}
                out.append(Problem(None, None, None, self.headers[key], None, "more_problems", params))
        return out


def _sorted(problems: list[Problem], names: list[str], sources: list[Source]) -> list[Problem]:
    """Problems in reading order: file, sheet (workbook order), row, column (template order)."""
    file_order: dict[str | None, int] = {n: i for i, n in reversed(list(enumerate(names)))}
    sheet_order: dict[tuple[str | None, str | None], int] = {}
    column_order: dict[tuple[str | None, str | None, str | None], int] = {}
    for src in sources:
        sheet_order.setdefault((src.file, src.sheet), src.index)
        for j, col in enumerate(src.table.columns):
            column_order.setdefault((src.file, src.sheet, src.header(col.alias)), j)

    def key(p: Problem):
        if p.code == "more_problems":  # after every listed problem, in the order found
            return (len(names) + 1, 0, 0, 0)
        return (
            file_order.get(p.file, len(names)),
            sheet_order.get((p.file, p.sheet), len(sources)),
            p.row if p.row is not None else -1,
            column_order.get((p.file, p.sheet, p.column), len(vocab.REGISTRATIONS.columns)),
        )

    return sorted(problems, key=key)
