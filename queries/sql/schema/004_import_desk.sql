-- Schema version 4: the import desk (queries/history.py).
-- db_version: one row, a new random id written by every store.write_transaction, so a preview
-- can tell whether the database changed before its confirmation, and undo which file to restore.
create table db_version (
    version_id   varchar not null,
    written_at   timestamp not null,
    previous_id  varchar            -- the version this write started from
);

-- lich_su: every step that changed the data through the desk (import, undo, redo), carried
-- forward into the restored file by an undo, so the history survives the step it undoes.
create table lich_su (
    step          integer not null,   -- 1, 2, 3... in order
    step_at       timestamp not null,
    action        varchar not null,   -- import | undo | redo
    who           varchar,
    import_id     integer,            -- nhat_ky_nhap.import_id of an import
    files         varchar,            -- JSON: [{"name": ..., "sha256": ...}]
    counts        varchar,            -- JSON: {"dang_ky": {"added": .., "changed": .., ...}}
    version_before varchar,           -- db_version of the database before the step
    version_after  varchar not null,  -- db_version written by the step
    undoes        integer             -- the step an undo / redo reverses
);

-- lich_su_don_vi: per import step, the units whose rows it added or changed (import_diff), so
-- the submission status can say when each unit's records last changed.
create table lich_su_don_vi (
    step        integer not null,
    table_name  varchar not null,
    ma_don_vi   varchar not null,
    n_new       bigint not null,
    n_changed   bigint not null
);
