-- A unit's conferences of a year (fragment: `@include conference_counts` in a select over
-- `conferences`, grouped by unit and year): how many, how many commendation conferences, the
-- people attending, how many reported their party members attending and those members.
count(*) as n_conferences,
count(*) filter (where conferences.loai_hoi_nghi = $commendation) as n_commendation,
coalesce(sum(conferences.so_nguoi_du), 0) as attendees,
count(conferences.so_dang_vien_du) as n_member_reports,
coalesce(sum(conferences.so_dang_vien_du), 0) as members_attending
