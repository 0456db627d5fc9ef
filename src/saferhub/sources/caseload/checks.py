"""Validating a caseload extract: every column read, then the checks across columns (CRNs
once each, sentences that fit the setting, needs that match the assessment, ages)."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from saferhub.errors import InputError, Problem
from saferhub.rules import needs as rules
from saferhub.sources.caseload.columns import NEED_COLUMNS, SCHEMA
from saferhub.sources.caseload.values import (
    Problems,
    Read,
    index_columns,
    read_column,
    value_of,
)

_LETTERS = pa.array([chr(code) for code in range(ord("A"), ord("Z") + 1)])


def _without_blank_rows(
    raw: pa.Table, line_of: Callable[[int], int]
) -> tuple[pa.Table, Callable[[int], int]]:
    """Rows left blank, often at the end of a spreadsheet's export, are not people."""
    blank_row = pc.equal(pc.utf8_trim_whitespace(raw["crn"]), "")
    if not pc.any(blank_row).as_py():
        return raw, line_of  # every row has a CRN, so none is blank
    for name in raw.column_names:
        text = raw[name].cast(pa.string())
        blank_row = pc.and_(blank_row, pc.equal(pc.utf8_trim_whitespace(text), ""))
    if not pc.any(blank_row).as_py():
        return raw, line_of
    kept = pc.indices_nonzero(pc.invert(blank_row))
    return raw.filter(pc.invert(blank_row)), lambda index: line_of(kept[index].as_py())


def validate(
    raw: pa.Table, shown: str, as_of: date | None, line_of: Callable[[int], int]
) -> tuple[pa.Table, date, bool]:
    if raw.num_rows:
        raw, line_of = _without_blank_rows(raw, line_of)
    if raw.num_rows == 0:
        raise InputError(Problem(shown, None, None, "has a header row but no people."))
    problems = Problems()
    extra: list[Problem] = []
    columns = index_columns(raw)
    # Each column is read on its own, so they are read in parallel; the checks across
    # columns follow.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        crn = pool.submit(_crns, raw, problems, line_of)
        names = list(columns)
        reads = dict(
            zip(
                names,
                pool.map(lambda n: read_column(raw, columns[n], problems), names),
                strict=True,
            )
        )
        typed: dict[str, pa.ChunkedArray] = {"crn": crn.result()}
    typed.update({name: read.values for name, read in reads.items()})
    _sentence_matches_setting(raw, typed, problems)

    assessment = typed["assessment_date"]
    today = date.today()
    value = value_of(raw, "assessment_date")
    problems.add(
        pc.fill_null(pc.greater(assessment, pa.scalar(today, pa.date32())), False),
        "assessment_date",
        lambda i: f"'{value(i)}' is in the future (today is {today.isoformat()}); check the date.",
    )
    as_of_given = as_of is not None
    if as_of is None:
        as_of = pc.max(assessment).as_py()
        if as_of is None:
            extra.append(
                Problem(
                    shown,
                    None,
                    "assessment_date",
                    "has no assessment dates to take the as-of date from; give the date the "
                    "extract was taken (--as-of YYYY-MM-DD).",
                )
            )
    if as_of is not None:
        after = pc.fill_null(pc.greater(assessment, pa.scalar(as_of, pa.date32())), False)
        if as_of > today:  # already reported as in the future
            after = pc.and_(after, pc.less_equal(assessment, pa.scalar(today, pa.date32())))
        problems.add(
            after,
            "assessment_date",
            lambda i: f"'{value(i)}' is after the as-of date, {as_of.isoformat()}.",
        )
    typed["date_of_birth"], typed["age"] = _ages(raw, reads, problems, as_of)
    _needs_match_assessment(raw, reads, problems)

    problems.raise_if_any(shown, line_of, extra)
    assert as_of is not None  # otherwise `extra` had a problem
    return pa.table([typed[f.name] for f in SCHEMA], schema=SCHEMA), as_of, as_of_given


def _crns(raw: pa.Table, problems: Problems, line_of: Callable[[int], int]) -> pa.ChunkedArray:
    """The CRNs, upper case; blank, malformed and repeated ones reported."""
    text = raw["crn"]
    valid = pc.match_substring_regex(text, rules.CRN_PATTERN)
    if not pc.all(valid).as_py():
        # Only tidy (spaces, lower case) when some CRN needs it: it copies every value.
        text = pc.utf8_upper(pc.utf8_trim_whitespace(text))
        valid = pc.match_substring_regex(text, rules.CRN_PATTERN)
    blank = pc.equal(text, "")
    problems.add(blank, "crn", lambda i: "is empty; every row needs the person's CRN.")
    value = value_of(raw, "crn")
    problems.add(
        pc.and_(pc.invert(blank), pc.invert(valid)),
        "crn",
        lambda i: f"'{value(i)}' is not a CRN: a CRN is a letter and six digits, such as X123456.",
    )
    if _may_repeat(text, valid):
        _duplicates(text, valid, problems, line_of)
    return text


def _may_repeat(crn: pa.ChunkedArray, valid: pa.ChunkedArray) -> bool:
    """Whether any CRN may appear twice (a quick test; `_duplicates` finds which)."""
    if not pc.all(valid).as_py():
        return pc.count_distinct(crn).as_py() < len(crn)
    # Every CRN is a letter and six digits, so each is a number below 26 million: sorting
    # a million numbers is several times quicker than hashing a million strings.
    letter = pc.index_in(pc.utf8_slice_codeunits(crn, 0, 1), value_set=_LETTERS)
    digits = pc.cast(pc.utf8_slice_codeunits(crn, 1, 7), pa.int32())
    keys = np.sort(pc.add(pc.multiply(pc.cast(letter, pa.int32()), 1_000_000), digits))
    return bool((keys[1:] == keys[:-1]).any())


def _duplicates(
    crn: pa.ChunkedArray, valid: pa.ChunkedArray, problems: Problems, line_of: Callable[[int], int]
) -> None:
    first: dict[str, int] = {}
    rows: list[bool] = []
    for index, (code, ok) in enumerate(zip(crn.to_pylist(), valid.to_pylist(), strict=True)):
        rows.append(bool(ok) and code in first)
        if ok and code not in first:
            first[code] = index
    problems.add(
        pa.array(rows),
        "crn",
        lambda i: (
            f"{crn[i].as_py()} is also on row {line_of(first[crn[i].as_py()])}; "
            "list each person once."
        ),
    )


def _sentence_matches_setting(
    raw: pa.Table, typed: dict[str, pa.ChunkedArray], problems: Problems
) -> None:
    custodial = pa.array(sorted(rules.CUSTODIAL_SENTENCES))
    is_custodial = pc.is_in(typed["sentence_type"], value_set=custodial)
    known = pc.is_valid(typed["sentence_type"])
    in_community = pc.fill_null(pc.equal(typed["setting"], rules.COMMUNITY), False)
    in_custody = pc.fill_null(
        pc.is_in(typed["setting"], value_set=pa.array([rules.CUSTODY, rules.OMIC])), False
    )
    value = value_of(raw, "sentence_type")
    problems.add(
        pc.and_(in_community, is_custodial),
        "sentence_type",
        lambda i: (
            f"'{value(i)}' is served in custody, but the setting is community: someone "
            "released from a custodial sentence is on licence or post-sentence supervision."
        ),
    )
    problems.add(
        pc.and_(pc.and_(in_custody, known), pc.invert(is_custodial)),
        "sentence_type",
        lambda i: f"'{value(i)}' is not a custodial sentence, but the setting is custody.",
    )


def _needs_match_assessment(raw: pa.Table, reads: dict[str, Read], problems: Problems) -> None:
    """Needs come from an assessment: yes or no with one, not assessed without."""
    assessment = reads["assessment_date"]
    no_date = assessment.where(lambda p: p is None)
    dated = pc.is_valid(assessment.values)
    for name in NEED_COLUMNS:
        need = reads[name]
        value = value_of(raw, name)
        problems.add(
            pc.and_(no_date, pc.is_valid(need.values)),
            name,
            lambda i, value=value: (
                f"is '{value(i)}' but the row has no assessment_date: needs come from an OASys "
                "assessment, so a person without one has every need 'not assessed'."
            ),
        )
        problems.add(
            pc.and_(dated, need.where(lambda p: p is None)),
            name,
            lambda i: (
                "is not assessed, but the row has an assessment_date: an assessment "
                "records every need as yes or no."
            ),
        )


def _ages(
    raw: pa.Table, reads: dict[str, Read], problems: Problems, as_of: date | None
) -> tuple[pa.ChunkedArray, pa.ChunkedArray]:
    """Dates of birth and ages on the as-of date, from date_of_birth or, failing that, age."""
    rows = raw.num_rows
    limits = f"{rules.MIN_AGE} to {rules.MAX_AGE}"
    no_dates = pa.chunked_array([pa.nulls(rows, pa.date32())])
    no_ages = pa.chunked_array([pa.nulls(rows, pa.int16())])
    dob, dob_age, dob_blank = no_dates, no_ages, pc.is_null(no_dates)
    if "date_of_birth" in reads:
        read = reads["date_of_birth"]
        dob, dob_blank = read.values, read.where(lambda p: p is None)
        if as_of is not None:
            born = [p if isinstance(p, date) else None for p in read.parsed]
            ages = [rules.age_at(b, as_of) if b is not None and b <= as_of else None for b in born]
            value = value_of(raw, "date_of_birth")
            problems.add(
                read.column.spread([b is not None and b > as_of for b in born], pa.bool_()),
                "date_of_birth",
                lambda i: (
                    f"'{value(i)}' is after the as-of date, {as_of.isoformat()}: a date "
                    "of birth cannot be in the future."
                ),
            )
            problems.add(
                read.column.spread(
                    [a is not None and not rules.MIN_AGE <= a <= rules.MAX_AGE for a in ages],
                    pa.bool_(),
                ),
                "date_of_birth",
                lambda i: (
                    f"'{value(i)}' gives an age outside {limits} on {as_of.isoformat()}, "
                    "which is not possible on a probation caseload."
                ),
            )
            dob_age = read.column.spread(ages, pa.int16())
    given = no_ages
    if "age" in reads:
        read = reads["age"]
        given = read.values
        value = value_of(raw, "age")
        out_of_range = read.where(
            lambda p: isinstance(p, int) and not rules.MIN_AGE <= p <= rules.MAX_AGE
        )
        problems.add(
            pc.and_(dob_blank, out_of_range),
            "age",
            lambda i: (
                f"'{value(i)}' is outside {limits}, which is not possible on a probation caseload."
            ),
        )
        problems.add(
            pc.and_(dob_blank, read.where(lambda p: p is None)),
            "date_of_birth" if "date_of_birth" in reads else "age",
            lambda i: "is empty; every row needs a date of birth or an age.",
        )
    else:
        problems.add(
            dob_blank, "date_of_birth", lambda i: "is empty; every row needs a date of birth."
        )
    # The date of birth wins: an age in the extract was true on the day it was taken.
    return dob, pc.if_else(pc.is_valid(dob), dob_age, given)
