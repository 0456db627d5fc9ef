"""Probabilistic matching of people with Splink on DuckDB.

The matcher takes a table of people (id, first name, last name, aliases, date of birth,
identifiers) and returns the pairs that may be the same person, each with a match weight:
the log2 of the Bayes factor for "same person" against "different people", plus the prior.

The m and u probabilities are fixed here rather than trained on each run, so the same
table always gives the same pairs and weights, on a laptop or in production. They were
set once by the documented method in docs/duplicates-and-sar.md: u from the chance of each
level among random pairs of distinct synthetic people (`saferhub synth`), m from the
rates of typos, day/month swaps, aliases and missing identifiers in recorded duplicates,
then checked against the golden set in tests/linkage.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

#: Pairs scoring at or above this match weight are listed as candidate duplicates.
DEFAULT_THRESHOLD = 2.0

# One in ten thousand random pairs is the same person: a partnership's records are
# mostly distinct people, with a few percent recorded twice.
_PRIOR = 1e-4


@dataclass(frozen=True)
class PersonRecord:
    """One person as the matcher sees them: no other fields are needed or used."""

    id: int | str
    first_name: str
    last_name: str
    date_of_birth: date | None = None
    aliases: Sequence[str] = field(default_factory=tuple)
    identifiers: Sequence[str] = field(default_factory=tuple)


@dataclass(frozen=True)
class ScoredPair:
    """Two records that may be the same person; `left_id` is the one first given."""

    left_id: int | str
    right_id: int | str
    match_weight: float
    match_probability: float


@functools.lru_cache(maxsize=1 << 16)  # names repeat: most of a large table is cache hits
def normalise_name(text: str) -> str:
    """Lower case without accents or punctuation: 'O'Brien-Smith' → 'obrien smith'."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"['’.]", "", text)
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def normalise_identifier(text: str) -> str:
    return re.sub(r"[^A-Z0-9:]", "", (text or "").upper())


def _row(record: PersonRecord) -> dict:
    first = normalise_name(record.first_name)
    last = normalise_name(record.last_name)
    names = {f"{first} {last}".strip()}
    names.update(normalise_name(alias) for alias in record.aliases)
    names.discard("")
    identifiers = sorted({normalise_identifier(i) for i in record.identifiers} - {""})
    return {
        "unique_id": str(record.id),
        "first_name": first or None,
        "last_name": last or None,
        "first_initial": first[:1] or None,
        "last_initial": last[:1] or None,
        "names": sorted(names),
        "dob": record.date_of_birth.isoformat() if record.date_of_birth else None,
        "birth_year": record.date_of_birth.year if record.date_of_birth else None,
        "identifiers": identifiers or None,
    }


def _frame(records: Iterable[PersonRecord]) -> pd.DataFrame:
    rows = [_row(r) for r in records]
    columns = [
        "unique_id", "first_name", "last_name", "first_initial", "last_initial",
        "names", "dob", "birth_year", "identifiers",
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def _settings(link_type: str = "dedupe_only"):
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    # Each comparison lists its levels from most to least alike; the m and u lists
    # follow the levels after the null level.
    names = cl.CustomComparison(
        output_column_name="name",
        comparison_levels=[
            cll.Or(cll.NullLevel("first_name"), cll.NullLevel("last_name")),
            cll.And(cll.ExactMatchLevel("first_name"), cll.ExactMatchLevel("last_name")),
            cll.ColumnsReversedLevel("first_name", "last_name"),
            cll.ArrayIntersectLevel("names", min_intersection=1).configure(
                label_for_charts="A name or alias in common"
            ),
            cll.Or(
                cll.And(
                    cll.ExactMatchLevel("first_name"),
                    cll.DamerauLevenshteinLevel("last_name", 2),
                ),
                cll.And(
                    cll.DamerauLevenshteinLevel("first_name", 2),
                    cll.ExactMatchLevel("last_name"),
                ),
            ).configure(label_for_charts="One name the same, the other mistyped"),
            cll.And(
                cll.JaroWinklerLevel("first_name", 0.88), cll.JaroWinklerLevel("last_name", 0.88)
            ),
            cll.And(cll.JaroWinklerLevel("last_name", 0.92), cll.ExactMatchLevel("first_initial")),
            cll.ElseLevel(),
        ],
    ).configure(
        m_probabilities=[0.78, 0.01, 0.05, 0.10, 0.02, 0.02, 0.02],
        u_probabilities=[0.0002, 0.00001, 0.0003, 0.0008, 0.001, 0.004, 0.99369],
    )
    swapped = (
        "substr(dob_l, 1, 4) = substr(dob_r, 1, 4)"
        " AND substr(dob_l, 6, 2) = substr(dob_r, 9, 2)"
        " AND substr(dob_l, 9, 2) = substr(dob_r, 6, 2)"
    )
    dob = cl.CustomComparison(
        output_column_name="dob",
        comparison_levels=[
            cll.NullLevel("dob"),
            cll.ExactMatchLevel("dob"),
            cll.CustomLevel(swapped, label_for_charts="Day and month swapped"),
            cll.LevenshteinLevel("dob", 1).configure(label_for_charts="One digit different"),
            cll.CustomLevel(
                "substr(dob_l, 1, 7) = substr(dob_r, 1, 7)", label_for_charts="Same month"
            ),
            cll.ElseLevel(),
        ],
    ).configure(
        m_probabilities=[0.88, 0.04, 0.05, 0.01, 0.02],
        u_probabilities=[0.00007, 0.00002, 0.002, 0.0015, 0.99641],
    )
    identifiers = cl.CustomComparison(
        output_column_name="identifiers",
        comparison_levels=[
            cll.NullLevel("identifiers"),
            cll.ArrayIntersectLevel("identifiers", min_intersection=1),
            cll.ElseLevel(),
        ],
    ).configure(
        # Different agencies give different local numbers, so no shared identifier is
        # only weak evidence against a match; a shared one is very strong for it.
        m_probabilities=[0.7, 0.3],
        u_probabilities=[0.0000001, 0.9999999],
    )
    return SettingsCreator(
        link_type=link_type,
        comparisons=[names, dob, identifiers],
        blocking_rules_to_generate_predictions=[
            block_on("dob"),
            block_on("first_name", "last_name"),
            block_on("birth_year", "first_initial", "last_initial"),
            block_on("names", arrays_to_explode=["names"]),
            block_on("identifiers", arrays_to_explode=["identifiers"]),
        ],
        probability_two_random_records_match=_PRIOR,
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )


def _predict(frames: list[pd.DataFrame], threshold: float) -> pd.DataFrame:
    import duckdb
    from splink import DuckDBAPI, Linker

    logging.getLogger("splink").setLevel(logging.WARNING)
    link_type = "dedupe_only" if len(frames) == 1 else "link_only"
    connection = duckdb.connect()
    try:
        db_api = DuckDBAPI(connection)
        tables = [db_api.register(f, table_name=f"people_{i}") for i, f in enumerate(frames)]
        linker = Linker(
            tables if len(tables) > 1 else tables[0],
            _settings(link_type),
            log_level=logging.WARNING,
        )
        predictions = linker.inference.predict(threshold_match_weight=threshold)
        return predictions.as_pandas_dataframe()
    finally:
        connection.close()


def _pairs(scored: pd.DataFrame, left: str = "l") -> list[ScoredPair]:
    right = "r" if left == "l" else "l"
    pairs = [
        ScoredPair(
            left_id=getattr(row, f"unique_id_{left}"),
            right_id=getattr(row, f"unique_id_{right}"),
            match_weight=round(float(row.match_weight), 3),
            match_probability=float(row.match_probability),
        )
        for row in scored.itertuples(index=False)
    ]
    # An id pair found by several blocking rules is scored once by Splink already.
    pairs.sort(key=lambda p: (-p.match_weight, str(p.left_id), str(p.right_id)))
    return pairs


def find_duplicates(
    records: Iterable[PersonRecord], *, threshold: float = DEFAULT_THRESHOLD
) -> list[ScoredPair]:
    """Pairs of records scoring at or above `threshold`, highest weight first.

    Deterministic: fixed parameters, and ties broken by the two ids.
    """
    frame = _frame(records)
    if len(frame) < 2:
        return []
    return _pairs(_predict([frame], threshold))


def match_incoming(
    existing: Iterable[PersonRecord],
    incoming: Iterable[PersonRecord],
    *,
    threshold: float = DEFAULT_THRESHOLD,
) -> list[ScoredPair]:
    """Records of an incoming extract (or a form) that may be people already held.

    Each pair has the existing record's id as `left_id` and the incoming one's as
    `right_id`; incoming records are not compared with each other.
    """
    held, new = _frame(existing), _frame(incoming)
    if held.empty or new.empty:
        return []
    scored = _predict([held, new], threshold)
    # Splink names the two tables by registration order, but orders each pair by
    # its own rule; put the held record on the left whichever way round it came.
    flipped = scored["source_dataset_l"] != "people_0"
    straight = _pairs(scored[~flipped], "l")
    swapped = _pairs(scored[flipped], "r")
    pairs = straight + swapped
    pairs.sort(key=lambda p: (-p.match_weight, str(p.left_id), str(p.right_id)))
    return pairs
