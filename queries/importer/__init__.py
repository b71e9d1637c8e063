"""import_files(): read .xlsx/.csv files, validate every row against the template, write all or nothing.

The pipeline, column-wise throughout (Polars expressions and DuckDB SQL over whole columns, no
loop per row), in bounded memory whatever the files' size:

1. open: each file is recognised (queries/readers/): a workbook's sheets are read whole (they are
   small), a CSV only its beginning (encoding, separator, header row). Each table found has its
   header row located under any title rows and its columns mapped to the template's aliases.
2. read and check, table by table in vocab.TABLES order (units first, so their codes are known):
   each source's rows come a piece at a time (a CSV in pieces of about CHUNK_BYTES, cut at record
   boundaries; a sheet in one piece); blank rows and a trailing total row are dropped, every row
   keeps `_row` (the row number Excel shows) and `_src` (its file/sheet). Each piece is cleaned
   (NFC, trimmed) and typed (parse.py), checked rule by rule (the first MAX_LISTED problems per
   rule and column are listed, the rest counted), and put into DuckDB: a stage table, or straight
   into the table when it is still empty (see _check_rows). Across rows, in SQL: duplicate keys,
   the unit tree (missing parents, successors, cycles).
3. write: all of this happens inside ONE store.write_transaction, on the database's private copy;
   only when there is no problem at all are the staged tables upserted by key, with a row per
   file and table in nhat_ky_nhap, and the copy swapped in; else the copy is discarded. A dry run
   (or files already known bad) checks the same way in a private in-memory connection that reads
   the live database, read-only.

Keys (DOMAIN.md section 3): don_vi ma_don_vi; quy_mo ma_don_vi + nam; khen_thuong ma_khen_thuong =
"so_quyet_dinh|year of the decision (else nam)|doi_tuong|ten_chu_the", texts in lower case with
single spaces (parse.award_key); hoi_nghi ma_hoi_nghi = "ma_don_vi|nam|loai_hoi_nghi|yyyy-mm-dd" (empty
date part without a date); dang_ky ma_dang_ky, or when empty "DK-" + 16 hex digits of SHA-1 over
the fold()-ed nam|ma_don_vi|doi_tuong|ten_chu_the|ten_mo_hinh|phong_trao (parse.registration_key):
stable across re-imports and re-typing in another case, accent placement or spacing, but a
corrected model name makes a new row, and adding codes later to rows imported without them
does not find the old rows.

By stage (each module says more):

* `report` (Problem and Notice, both a Finding; TableCount, ImportReport: what the caller gets),
  `limits` (the sizes and limits: CHUNK_BYTES, MAX_LISTED, MEMORY_LIMIT, COMMIT_ROWS);
* `sources` (1. open: files recognised, tables and headers located);
* `validate` (the checks of single values), `keys` (derived keys, how a key is shown), `units` (the
  checks across unit rows), `problems` (checks into listed and counted Problems, in reading order);
* `staging` (stage tables, duplicate keys in SQL), `rows` (2. read and check: one pass over every
  source's rows);
* `write` (3. the upsert by key and the counts), `run` (import_files and typed_columns: the dry
  run, or the checks and the write in one write transaction).
"""

from __future__ import annotations

from queries.importer.report import Finding, ImportReport, Notice, Problem, Progress, TableCount
from queries.importer.run import import_files, typed_columns

__all__ = [
    "Finding",
    "ImportReport",
    "Notice",
    "Problem",
    "Progress",
    "TableCount",
    "import_files",
    "typed_columns",
]
