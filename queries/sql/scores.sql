-- Registration scores (diem) of the scope and period in bins of $bin_width points; the last bin
-- is closed so that 100 falls into it.

with

@include scope_registrations

scored as (
    select diem, ket_qua
    from scope_registrations
    where diem is not null
),

binned as (
    select
        least(floor(diem / $bin_width), ceil(100 / $bin_width) - 1)::integer as bin_index,
        list_contains($recognised_results, ket_qua) as is_recognised
    from scored
),

score_bins as (
    select
        bin_index,
        count(*) as n_registrations,
        count(*) filter (where is_recognised) as n_recognised
    from binned
    group by bin_index
)

select * from score_bins
