"""How many examples a property test draws: one budget per run, from $DVK_TEST_BUDGET.

`quick` (what `./run.sh test-fast` sets) draws a fifth, for the inner loop; `full` (the default, CI's)
draws the count the test names; `thorough` four times as many, for a search before a release.
"""

from __future__ import annotations

import os

SCALES = {"quick": 0.2, "full": 1.0, "thorough": 4.0}


def examples(count: int) -> int:
    """The number of examples for a test that names `count` for a full run."""
    budget = os.environ.get("DVK_TEST_BUDGET", "full")
    if budget not in SCALES:
        raise ValueError(f"DVK_TEST_BUDGET={budget!r}: expected one of {', '.join(SCALES)}")
    return max(5, round(count * SCALES[budget]))


def by_budget(quick: int, full: int, thorough: int) -> int:
    """One of three sizes for a test whose cost is not a number of examples (sessions, rows)."""
    budget = os.environ.get("DVK_TEST_BUDGET", "full")
    sizes = {"quick": quick, "full": full, "thorough": thorough}
    if budget not in sizes:
        raise ValueError(f"DVK_TEST_BUDGET={budget!r}: expected one of {', '.join(sizes)}")
    return sizes[budget]
