"""The synthetic partner breakdowns: deterministic, valid, and shaped like real returns."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from saferhub.reports.safe_cells import write_csv
from saferhub.sources.partner_breakdowns import read_breakdowns_file
from saferhub.synth.partner_breakdowns import FILE, generate
from saferhub.synth.world import World

AS_OF = date(2023, 10, 15)


def _rows(seed: int = 3) -> list[dict]:
    return generate(World(seed=seed, scale=1.0, as_of=AS_OF))[FILE]


def test_same_seed_same_rows_and_the_reader_accepts_them(tmp_path):
    rows = _rows()
    assert rows == _rows() and rows != _rows(4)
    path = tmp_path / FILE
    write_csv(path, list(rows[0]), rows)
    table = read_breakdowns_file(path)
    assert table.num_rows == len(rows)
    assert max(table["month"].to_pylist()) == date(2023, 9, 1)


def test_splits_agree_strands_overlap_and_levels_are_like_the_borough():
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for r in _rows():
        totals[
            (
                r["period"],
                r["measure"]
                + "|"
                + (r["category"] if r["measure"] in {"Hate crime", "Prevent referrals"} else ""),
            )
        ] += r["value"]
    months = sorted({period for period, _ in totals})
    for month in months:
        ward = totals[(month, "CCTV incidents by ward|")]
        assert ward == totals[(month, "CCTV incidents by incident type|")]
        assert ward == totals[(month, "CCTV incidents by hour|")]
    cctv = sum(totals[(m, "CCTV incidents by ward|")] for m in months) / len(months)
    hate = sum(totals[(m, "Hate crime|All hate crime")] for m in months) / len(months)
    prevent = sum(totals[(m, "Prevent referrals|Total")] for m in months) / len(months) * 3
    assert 60 < cctv < 100 and 45 < hate < 75 and 10 < prevent < 20
    strands = sum(
        v for (m, k), v in totals.items() if k.startswith("Hate crime|") and "All" not in k
    )
    assert strands > sum(totals[(m, "Hate crime|All hate crime")] for m in months)
