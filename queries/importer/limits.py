"""The importer's sizes and limits, read at call time (tests lower them with monkeypatch)."""

from __future__ import annotations

import os

# CSV files are read in pieces of about this many bytes (memory stays bounded whatever the size);
# a smaller file is one piece. DVK_IMPORT_CHUNK_BYTES overrides it (tests read in tiny pieces).
CHUNK_BYTES = int(os.environ.get("DVK_IMPORT_CHUNK_BYTES") or 16 << 20)
# Rows of consecutive pieces are checked and stored together until they number at least this
# many: a piece of CHUNK_BYTES holds far more, so real files are checked a piece at a time; files
# cut into tiny pieces (tests) are not checked a record at a time. Tests that want several batches
# lower it (DVK_IMPORT_CHECK_ROWS or monkeypatch).
CHECK_ROWS = int(os.environ.get("DVK_IMPORT_CHECK_ROWS") or 10_000)
MAX_LISTED = 1000  # problems listed per table, rule and column; the rest are counted
MEMORY_LIMIT = "1GB"  # DuckDB's working memory while importing; beyond it, it spills to disk
COMMIT_ROWS = 1_000_000  # rows between commits inside the database's private copy (see _store_piece)
