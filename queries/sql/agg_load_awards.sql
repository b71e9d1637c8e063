-- agg_award for the figures engine's in-memory copy, (level, form, subject, status) as one code
-- in that order of significance.

select
    pos,
    nam,
    ((level * $n_forms + form) * $n_subjects + s) * $n_statuses + status as kind,
    n
from agg_award
