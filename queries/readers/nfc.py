"""The fast test of whether UTF-8 bytes may hold text that NFC would change (text.py hands
UTF-8 that is already NFC to Polars as read)."""

from __future__ import annotations

import functools
import unicodedata


@functools.cache
def _nfc_unsafe() -> frozenset[int]:
    """The code points that can change under NFC or make their neighbours change: NFC quick check
    No or Maybe, or a nonzero combining class; text without any of them is NFC. None is below
    U+0300 or past plane 1, except the CJK compatibility ideographs U+2F800-U+2FA1F (tests check
    this against every code point)."""
    return unsafe_among([*range(0x300, 0x20000), *range(0x2F800, 0x2FA20)])


def unsafe_among(code_points) -> frozenset[int]:
    """Of these code points (no surrogates), those that can change under NFC or make their
    neighbours change, and the second parts they compose with."""
    unsafe = set()
    for cp in code_points:
        ch = chr(cp)
        if unicodedata.combining(ch):
            unsafe.add(cp)
            continue
        decomposition = unicodedata.decomposition(ch)
        if decomposition and not decomposition.startswith("<"):
            if unicodedata.normalize("NFC", ch) != ch:
                unsafe.add(cp)
            parts = decomposition.split()
            if len(parts) == 2:  # its second part may compose with what precedes it
                unsafe.add(int(parts[1], 16))
    unsafe.update(range(0x1161, 0x1176), range(0x11A8, 0x11C3))  # Hangul jamo compose by rule
    return frozenset(unsafe)


# Three-byte lead bytes common in Vietnamese text (Latin Extended Additional, punctuation,
# CJK punctuation, the BOM): their unsafe characters are looked up exactly, by the two bytes
# after the lead; any other lead byte of an unsafe character sends the block to the exact test.
_COMMON_LEADS = (0xE1, 0xE2, 0xE3, 0xEF)


@functools.cache
def _nfc_unsafe_bytes():
    import numpy as np

    rare = set()
    tables = {lead: np.zeros(4096, dtype=bool) for lead in _COMMON_LEADS}
    for cp in _nfc_unsafe():
        encoded = chr(cp).encode("utf-8")
        if encoded[0] in tables:
            tables[encoded[0]][((encoded[1] & 0x3F) << 6) | (encoded[2] & 0x3F)] = True
        else:
            rare.add(encoded[0])
    keep_rare = bytes(b for b in range(256) if b not in rare)  # translate() deletes these
    return keep_rare, {bytes([lead]): table for lead, table in tables.items() if table.any()}


def _maybe_not_nfc(block: bytes) -> bool:
    """False when these (valid UTF-8) bytes certainly hold no character NFC could change; True
    when they might. Fast: one pass deleting all but rare lead bytes, and for the lead bytes
    common in Vietnamese text a vectorised look at the two bytes after each."""
    import numpy as np

    others, tables = _nfc_unsafe_bytes()
    if block.translate(None, others):
        return True
    a = None
    for lead, table in tables.items():
        if lead in block:
            if a is None:
                a = np.frombuffer(block, dtype=np.uint8)
            at = np.flatnonzero(a[:-2] == lead[0])  # valid UTF-8: two bytes follow each lead
            second = a[at + 1] & 0x3F
            # first by the second byte alone: most have no unsafe character after them at all
            # (U+1E00-U+1EFF, Vietnamese letters, after 0xE1); the rest by both bytes
            if not _unsafe_seconds(lead)[second].any():
                continue
            if table[(second.astype(np.int32) << 6) | (a[at + 2] & 0x3F)].any():
                return True
    return False


@functools.cache
def _unsafe_seconds(lead: bytes):
    """For a common lead byte: whether some unsafe character starts with it and each second byte."""
    return _nfc_unsafe_bytes()[1][lead].reshape(64, 64).any(axis=1)
