"""The statistics' reads of the app's own tables give exactly the rows the database holds.

`arrow` compiles each expression once and converts the rows without a pass per value;
these tests hold it to what the plain way (compile every time, convert column by column)
gave, for every type the reads use, on whichever database the tests run on (SQLite, or
PostgreSQL when DATABASE_URL names one).
"""

from __future__ import annotations

import gc
import json
from datetime import UTC, date, datetime

import ibis
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saferhub.app import database
from saferhub.app.database import arrow, sql, table
from saferhub.web.needs.models import CaseloadEntry, CaseloadExtract
from tests.factories_needs import CaseloadEntryFactory, CaseloadExtractFactory

pytestmark = pytest.mark.django_db

PLAIN = pa.schema(
    [
        ("id", pa.int64()),
        ("crn", pa.string()),
        ("ethnicity", pa.string()),
        ("tier", pa.string()),
        ("date_of_birth", pa.date32()),
        ("as_of", pa.date32()),
        ("as_of_given", pa.bool_()),
        ("loaded_at", pa.timestamp("us", tz="UTC")),
        ("age", pa.int64()),
        ("needs", pa.string()),
        ("registrations", pa.string()),
    ]
)
COMPUTED = pa.schema(
    [
        ("id", pa.int64()),
        ("tier_or_null", pa.string()),
        ("half_age", pa.float64()),
        ("given_if_older", pa.bool_()),
        ("later", pa.date32()),
        ("loaded_naive", pa.timestamp("us")),
        ("nothing", pa.string()),
    ]
)
RAW = ("needs", "registrations")


def _before(expr, schema: pa.Schema, raw: tuple[str, ...] = ()) -> pa.Table:
    """What `arrow` gave before it kept compiled SQL and converted whole rows."""
    query = str(
        ibis.to_sql(expr.select(*schema.names), dialect=database.DIALECTS[connection.vendor])
    )
    with connection.cursor() as cursor:
        cursor.execute(query)
        rows = cursor.fetchall()
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(schema)
    arrays = []
    for field, values in zip(schema, columns, strict=True):
        if field.name in raw:
            arrays.append(
                pa.array([v if v is None or isinstance(v, str) else json.dumps(v) for v in values])
            )
        elif pa.types.is_boolean(field.type):
            arrays.append(pa.array([None if v is None else bool(v) for v in values], field.type))
        elif pa.types.is_date32(field.type) and any(isinstance(v, str) for v in values):
            text = pa.array(values, pa.string())
            arrays.append(pc.cast(pc.strptime(text, "%Y-%m-%d", "s"), pa.date32()))
        else:
            arrays.append(pa.array(values, field.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def _entries(extract_id: int | None = None):
    entries = table(CaseloadEntry)
    extracts = table(CaseloadExtract)
    joined = entries.join(extracts, entries.extract_id == extracts.id)
    if extract_id is not None:
        joined = joined.filter(entries.extract_id == extract_id)
    return joined.order_by(entries.id), entries, extracts


def _plain(extract_id: int | None = None):
    joined, entries, extracts = _entries(extract_id)
    return joined.select(
        id=entries.id,
        crn=entries.crn,
        ethnicity=entries.ethnicity,
        tier=entries.tier,
        date_of_birth=entries.date_of_birth,
        as_of=extracts.as_of,
        as_of_given=extracts.as_of_given,
        loaded_at=extracts.loaded_at,
        age=entries.age,
        needs=entries.needs,
        registrations=entries.registrations,
    )


def _computed(extract_id: int | None = None):
    joined, entries, extracts = _entries(extract_id)
    return joined.select(
        id=entries.id,
        tier_or_null=entries.tier.nullif(""),
        half_age=entries.age / 2,
        given_if_older=ibis.ifelse(entries.age > 40, extracts.as_of_given, ibis.null("boolean")),
        later=ibis.coalesce(entries.assessment_date, extracts.as_of),
        loaded_naive=extracts.loaded_at,
        nothing=ibis.null("string"),
    )


@pytest.fixture
def entries():
    given = CaseloadExtractFactory(as_of_given=True)
    found = CaseloadExtractFactory(as_of_given=False, as_of=date(2024, 2, 29))
    CaseloadEntryFactory(
        extract=given,
        tier="",
        ethnicity='Mixed, "other"\nline two',
        date_of_birth=None,
        assessment_date=None,
        age=45,
        needs={"ete": True, "finance": None, "accommodation": False},
        registrations={"iom": True, "note": "Zoë", "score": 2.5, "list": [1, None]},
    )
    CaseloadEntryFactory(extract=given, tier="B2", age=30, needs={}, registrations={})
    CaseloadEntryFactory(extract=found, tier="A1", age=61, date_of_birth=date(1963, 1, 31))
    return given, found


def test_plain_columns_read_as_before(entries):
    expected = _before(_plain(), PLAIN, RAW)
    got = arrow(_plain(), PLAIN, raw=RAW)
    assert got.schema == PLAIN
    assert got.equals(expected)
    assert got.num_rows == 3
    # NULL and empty text stay apart, and JSON comes back as the JSON stored.
    assert got["tier"].to_pylist()[:2] == ["", "B2"]
    assert got["date_of_birth"].to_pylist()[0] is None
    assert got["as_of_given"].to_pylist() == [True, True, False]
    assert got["ethnicity"][0].as_py() == 'Mixed, "other"\nline two'
    assert json.loads(got["registrations"][0].as_py()) == {
        "iom": True,
        "note": "Zoë",
        "score": 2.5,
        "list": [1, None],
    }


def test_computed_columns_read_as_before(entries):
    expected = _before(_computed(), COMPUTED)
    got = arrow(_computed(), COMPUTED)
    assert got.schema == COMPUTED
    assert got.equals(expected)
    assert got["tier_or_null"].to_pylist() == [None, "B2", "A1"]
    assert got["half_age"].to_pylist() == [22.5, 15.0, 30.5]
    assert got["given_if_older"].to_pylist() == [True, None, False]
    assert got["later"].to_pylist() == [date(2021, 10, 15), date(2021, 9, 1), date(2021, 9, 1)]
    assert got["nothing"].null_count == 3


def test_timestamps_are_the_instant_stored(entries):
    given, _ = entries
    got = arrow(_plain(given.pk), PLAIN, raw=RAW)
    assert got["loaded_at"][0].as_py() == given.loaded_at


def test_no_rows_still_have_every_column(entries):
    for expr, schema in ((_plain(-1), PLAIN), (_computed(-1), COMPUTED)):
        got = arrow(expr, schema, raw=RAW)
        assert got.num_rows == 0
        assert got.schema == schema
        assert got.equals(_before(expr, schema, RAW))


def test_an_expression_built_again_is_compiled_once(entries):
    given, found = entries
    arrow(_plain(given.pk), PLAIN, raw=RAW)
    before = database._compiled.cache_info()
    again = arrow(_plain(given.pk), PLAIN, raw=RAW)
    after = database._compiled.cache_info()
    assert (after.hits, after.misses) == (before.hits + 1, before.misses)
    assert again.num_rows == 2
    # Another value, and another database, are other SQL.
    assert arrow(_plain(found.pk), PLAIN, raw=RAW).num_rows == 1
    assert database._compiled.cache_info().misses == before.misses + 1
    assert sql(_plain(), PLAIN, "sqlite") != sql(_plain(), PLAIN, "postgresql")


def test_the_compiled_sql_kept_is_bounded():
    assert database._compiled.cache_info().maxsize == database.COMPILED_SQL_KEPT


def test_the_collector_runs_again_after_a_read_even_one_that_fails(entries):
    assert gc.isenabled()
    arrow(_plain(), PLAIN, raw=RAW)
    assert gc.isenabled()
    wrong = pa.schema([("crn", pa.int64())])
    with pytest.raises((pa.ArrowInvalid, pa.ArrowTypeError)):
        arrow(_plain(), wrong)
    assert gc.isenabled()
    # The failed read left the connection, and the transaction, ready for the next.
    assert arrow(_plain(), PLAIN, raw=RAW).num_rows == 3


def test_a_read_longer_than_a_batch_keeps_every_row_in_order(monkeypatch):
    monkeypatch.setattr(database, "ROWS_PER_MESSAGE", 2)
    monkeypatch.setattr(database, "ROWS_PER_BATCH", 3)
    extract = CaseloadExtractFactory()
    CaseloadEntryFactory.create_batch(7, extract=extract, tier="")
    got = arrow(_plain(extract.pk), PLAIN, raw=RAW)
    assert got.equals(_before(_plain(extract.pk), PLAIN, RAW))
    assert got["id"].to_pylist() == sorted(got["id"].to_pylist())
    assert got.num_rows == 7


def test_a_read_is_among_the_queries_django_counts(entries):
    with CaptureQueriesContext(connection) as queries:
        arrow(_plain(), PLAIN, raw=RAW)
    assert len(queries) == 1
    assert "needs_caseloadentry" in queries[0]["sql"]


def test_sqlite_text_times_with_an_offset_are_read_as_the_instant_they_name():
    text = pa.chunked_array([["2024-01-01 10:00:00+02:00", None, "2024-06-30 23:30:00.5"]])
    got = database._parsed(text, pa.timestamp("us", tz="UTC")).to_pylist()
    assert got[0] == datetime(2024, 1, 1, 8, tzinfo=UTC)
    assert got[1] is None
    assert got[2] == datetime(2024, 6, 30, 23, 30, 0, 500000, tzinfo=UTC)
    dates = database._parsed(pa.chunked_array([["2024-02-29", None]]), pa.date32())
    assert dates.to_pylist() == [date(2024, 2, 29), None]
