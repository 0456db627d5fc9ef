"""The needs report: narrative, rendered tables, JSON, and the public (suppressed) version."""

from __future__ import annotations

import csv
import json

import pytest
from tests.measures import needs_seed000 as seed
from tests.measures.needs_rows import person, write_csv

from saferhub.app import needs as app
from saferhub.app import publish
from saferhub.measures.needs import NO, YES, analyse
from saferhub.reports import needs as report
from saferhub.reports.writers import render_html
from saferhub.rules import disclosure
from saferhub.sources.caseload import read_caseload


@pytest.fixture(scope="module")
def barnet(tmp_path_factory):
    """The caseload built from seed 000's tables (see tests/measures/test_needs_golden.py)."""
    rows = seed.seed_caseload()
    path = tmp_path_factory.mktemp("needs_report") / "barnet.csv"
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return analyse(read_caseload(path, as_of=seed.AS_OF), area="Barnet")


def test_the_narrative_names_the_prevailing_needs_in_the_community_with_numbers(barnet):
    summary = report.narrative(barnet)["summary"]
    # Seed 000 line 46 says "Thinking and Behaviour (68%) and Attitudes (60%)": shares of
    # all 835 assessed people. Of the 591 assessed in the community they are 97% and 85%.
    assert (
        "In the community, the most common needs among the 591 assessed people are thinking & "
        "behaviour (97%) and attitudes (85%), followed by ETE (72%) and lifestyle & associates "
        "(48%)."
    ) in summary


def test_the_narrative_says_what_sets_a_group_apart(barnet):
    custody = next(s for s in report.narrative(barnet)["summary"] if s.startswith("In custody"))
    assert custody == (
        "In custody, the most common needs among the 244 assessed people are thinking & "
        "behaviour (95%) and attitudes (85%), followed by lifestyle & associates (73%) and ETE "
        "(62%). Lifestyle & associates is more common here than among everyone in the table "
        "(73% against 55%)."
    )


def test_the_narrative_counts_the_caseload_and_the_people_without_an_assessment(barnet):
    summary = report.narrative(barnet)["summary"]
    assert summary[1].startswith("835 of them (88%) have an OASys assessment")
    assert "The 112 without one are counted" in summary[1]


def test_the_narrative_covers_gender_ethnicity_and_age(barnet):
    needs = report.narrative(barnet)["needs"]
    starts = [sentence.split(",")[0] for sentence in needs]
    assert starts[:4] == [
        "Among men",
        "Among women",
        "Among Black",
        "Among White people",
    ]
    assert any(s.startswith("Among people aged 18–25") for s in needs)


def test_the_report_tables_lay_out_the_seed_rows(barnet):
    built = report.build_report(barnet)
    needs_section = next(s for s in built.sections if s.title == "Criminogenic needs")
    table = next(
        b
        for b in needs_section.blocks
        if getattr(b, "title", "").startswith("Criminogenic needs by community")
    )
    assert table.rows[0] == [
        "Accommodation",
        117,
        14.01,
        474,
        56.77,
        98,
        11.74,
        146,
        17.49,
    ]  # seed 000 line 31
    assert table.base == "% of all 835 assessed people in the table"
    titles = [s.title for s in built.sections]
    assert titles == [
        "Summary",
        "Criminogenic needs",
        "nDelius registrations",
        "Who is on the caseload",
        "Severe multiple disadvantage",
        "People without an OASys assessment",
    ]
    assert "Accommodation" in render_html(built)


def test_json_gives_every_table_with_its_base_counts_and_percentages(barnet):
    data = report.to_json(barnet)
    assert data["format"] == "saferhub.needs-analysis/1"
    assert (data["people"], data["assessed"], data["not_assessed_count"]) == (947, 835, 112)
    tables = {t["key"]: t for t in data["tables"]}
    needs = tables["needs_by_setting"]
    assert needs["base"] == {
        "kind": "total",
        "description": "% of all 835 assessed people in the table",
        "population": 835,
        "population_label": "assessed people",
    }
    first = needs["rows"][0]
    assert first["key"] == "accommodation"
    assert first["cells"][0] == {
        "column": "Community",
        "answer": "yes",
        "count": 117,
        "percent": 14.01,
        "denominator": 835,
        "suppressed": False,
    }
    gender = tables["gender_by_setting"]
    assert gender["base"]["kind"] == "row"
    assert gender["rows"][0]["cells"][0]["denominator"] == 869  # 567 / 869 = 65.25%
    assert len(data["not_assessed"]) == 112
    assert set(data["not_assessed"][0]) == {"crn", "setting", "sentence_type", "tier"}
    json.dumps(data)  # plain JSON types only


def test_the_public_version_hides_small_counts_and_anything_that_gives_them_away(barnet):
    public = publish.needs(barnet, disclosure.Audience.PUBLIC)
    table = public.table("registrations_by_setting")
    # Armed forces: 3 in the community and 2 in custody (seed 000 line 79) are hidden; the
    # yes and no totals and each setting's size are known, so the "no" counts go too.
    for column in ("Community", "Custody"):
        assert table.count("armed_forces", column, YES) is None
        assert table.count("armed_forces", column, NO) is None
        assert table.percent("armed_forces", column, YES) is None
    assert table.count("mappa", "Community", YES) == 168
    assert report.marker(table) == disclosure.CONFIDENTIAL
    assert public.not_assessed == () and public.public


def test_public_json_lists_no_one_and_marks_suppressed_cells(barnet):
    data = report.to_json(publish.needs(barnet, disclosure.Audience.PUBLIC))
    assert data["public"] is True and data["not_assessed"] is None
    registrations = next(t for t in data["tables"] if t["key"] == "registrations_by_setting")
    ppo = next(r for r in registrations["rows"] if r["key"] == "ppo")
    assert ppo["cells"][0]["suppressed"] and ppo["cells"][0]["count"] is None
    assert "X000" not in json.dumps(data)  # no CRN anywhere


def test_the_public_narrative_never_quotes_a_hidden_figure(tmp_path):
    rows = [person(f"G00000{i}", needs=("ete",)) for i in range(1, 4)]
    rows.append(person("G000004", setting="custody", needs=("ete", "accommodation")))
    caseload = read_caseload(write_csv(tmp_path / "few.csv", rows))
    analysis = publish.needs(analyse(caseload), disclosure.Audience.PUBLIC)
    text = " ".join(report.narrative(analysis)["summary"])
    assert "In the community" not in text and "In custody" not in text


def test_a_comparison_area_gets_its_own_section_and_sentence(tmp_path):
    here = [person("H000001", needs=("ete",)), person("H000002")]
    there = [person("J000001"), person("J000002")]
    analysis = analyse(
        read_caseload(write_csv(tmp_path / "here.csv", here)),
        area="Barnet",
        comparison=read_caseload(write_csv(tmp_path / "there.csv", there)),
        comparison_area="London",
    )
    built = report.build_report(analysis)
    section = next(s for s in built.sections if s.title == "Comparison with London")
    assert section.paragraphs[0].startswith(
        "Compared with London, the largest differences in needs in Barnet are: ETE (50% "
        "against 0%, 50 points higher)"
    )
    assert section.blocks[0].columns[-1] == "Difference (points)"


@pytest.mark.parametrize("fmt", ["html", "xlsx", "json"])
def test_the_service_writes_each_format(tmp_path, fmt):
    extract = write_csv(tmp_path / "caseload.csv", [person("K000001"), person("K000002")])
    written = app.needs_report(extract, tmp_path / f"needs.{fmt}", fmt, area="Barnet")
    assert written.exists() and written.stat().st_size > 0


def test_a_report_of_other_tables_leaves_out_what_it_has_not_got(tmp_path):
    from saferhub.measures.needs import TableSpec
    from saferhub.rules.needs import Base

    spec = TableSpec("needs_by_gender", "needs", "gender", Base.COLUMN, "Needs by gender")
    rows = [person("Q000001", needs=("ete",)), person("Q000002", gender="Female")]
    analysis = analyse(read_caseload(write_csv(tmp_path / "t.csv", rows)), tables=[spec])
    built = report.build_report(analysis)
    assert [s.title for s in built.sections] == ["Criminogenic needs"]
    assert report.narrative(analysis)["needs"][0].startswith("Among men")
