"""`saferhub report marac` through the CLI runner, reading the app's (test) database."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook
from tests.factories_panels import (
    CaseFactory,
    ChildFactory,
    MemberAgencyFactory,
    PerpetratorFactory,
)
from typer.testing import CliRunner

from saferhub.commands import app
from saferhub.web.accounts.models import AgencyKind

pytestmark = pytest.mark.django_db
runner = CliRunner()


@pytest.fixture
def heard_cases():
    police = MemberAgencyFactory(name="Police (member)", kind=AgencyKind.POLICE)
    housing = MemberAgencyFactory(name="Housing (member)", kind=AgencyKind.HOUSING)
    first = CaseFactory(
        referring_agency=police, heard_date=date(2023, 7, 6), status="actions", is_repeat=True
    )
    ChildFactory(case=first, age=3)
    ChildFactory(case=first, age=8)
    second = CaseFactory(
        referring_agency=housing,
        heard_date=date(2023, 9, 28),
        status="actions",
        victim__gender="M",
        victim__date_of_birth=date(2006, 1, 1),
        referral_date=date(2023, 9, 20),
    )
    PerpetratorFactory(case=second, person__date_of_birth=date(2007, 5, 5))
    CaseFactory(referring_agency=police, heard_date=date(2023, 6, 29), status="closed")
    CaseFactory(referring_agency=police, heard_date=None, status="listed")


def test_json_report_counts_the_cases_heard_in_each_quarter(heard_cases, tmp_path):
    out = tmp_path / "marac.json"
    result = runner.invoke(
        app,
        [
            "report",
            "marac",
            "--quarter",
            "2023/24-Q2",
            "--quarters",
            "2",
            "--format",
            "json",
            "--out",
            str(out),
            "--adult-women",
            "100000",
        ],
    )
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}" in result.output
    data = json.loads(out.read_text())
    q1, q2 = data["quarters"]
    assert (q1["quarter"], q1["counts"]["cases_heard"]) == ("2023/24-Q1", 1)
    counts = q2["counts"]
    assert counts["cases_heard"] == 2
    assert (counts["repeat_cases"], counts["children"], counts["families_with_children"]) == (
        1,
        2,
        1,
    )
    assert (counts["male"], counts["aged_16_17"], counts["perpetrator_under_18"]) == (1, 1, 1)
    assert (counts["police_referrals"], counts["partner_referrals"]) == (1, 1)
    assert q2["per_10000_adult_women"] == 0.2


def test_xlsx_and_html_reports_are_written(heard_cases, tmp_path):
    for fmt in ("xlsx", "html"):
        out = tmp_path / f"marac.{fmt}"
        result = runner.invoke(
            app, ["report", "marac", "--quarter", "2023/24-Q2", "--format", fmt, "--out", str(out)]
        )
        assert result.exit_code == 0, result.output
    book = load_workbook(io.BytesIO((tmp_path / "marac.xlsx").read_bytes()))
    assert "Cases and repeats" in book.sheetnames
    assert "Domestic Abuse MARAC" in (tmp_path / "marac.html").read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--quarter", "2023-Q2"], "is not a financial quarter"),
        (["--quarter", "2023/24-Q2", "--format", "odt"], "'odt' is not a format"),
        (["--quarter", "2023/24-Q2", "--quarters", "20"], "Ask for 1 to 12 quarters"),
        (["--quarter", "2023/24-Q2", "--adult-women", "0"], "women aged 16"),
    ],
)
def test_bad_options_are_configuration_errors(tmp_path, args, message):
    result = runner.invoke(app, ["report", "marac", *args, "--out", str(tmp_path / "x")])
    assert result.exit_code != 0
    assert message in str(result.exception)


def test_a_stored_repeat_flag_the_rule_disagrees_with_is_named_in_every_format(tmp_path):
    police = MemberAgencyFactory(name="Police (member)", kind=AgencyKind.POLICE)
    earlier = CaseFactory(
        referring_agency=police, referral_date=date(2023, 3, 1), heard_date=date(2023, 3, 9)
    )
    # 366 days after the victim's last referral: not a repeat, though recorded as one.
    wrong = CaseFactory(
        referring_agency=police,
        victim=earlier.victim,
        referral_date=date(2024, 3, 1),
        heard_date=date(2024, 3, 7),
        status="actions",
        is_repeat=True,
    )
    for fmt in ("json", "xlsx"):
        out = tmp_path / f"marac.{fmt}"
        args = ["report", "marac", "--quarter", "2023/24-Q4", "--quarters", "1"]
        result = runner.invoke(app, [*args, "--format", fmt, "--out", str(out)])
        assert result.exit_code == 0, result.output
    check = json.loads((tmp_path / "marac.json").read_text())["repeat_flag_check"]
    assert [(d["case_id"], d["stored_is_repeat"]) for d in check["disagreements"]] == [
        (wrong.reference, True)
    ]
    book = load_workbook(io.BytesIO((tmp_path / "marac.xlsx").read_bytes()))
    text = " ".join(
        str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
    )
    assert "Repeat flags to correct" in book.sheetnames
    assert wrong.reference in text
