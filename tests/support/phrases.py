"""What a written text (a narrative, a report's body) must say, phrase by phrase."""

from __future__ import annotations


def says(text: str, *phrases: str) -> None:
    """Every phrase stands in the text, as written; a failure names each one that does not."""
    missing = [phrase for phrase in phrases if phrase not in text]
    assert not missing, f"not in the text: {missing}"
