import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saferhub.errors import ConfigurationError
from saferhub.rules.checklist import (
    Answer,
    Checklist,
    Question,
    checklist_from_dict,
    default_checklist,
    parse_checklist_csv,
    parse_checklist_json,
)

DEFAULT = default_checklist()
answer_sets = st.dictionaries(
    st.sampled_from(DEFAULT.question_ids), st.sampled_from([*Answer, None])
)


def test_default_checklist_has_24_worded_example_questions_and_threshold_14():
    assert len(DEFAULT.questions) == 24
    assert DEFAULT.threshold == 14
    assert DEFAULT.is_example
    # Every question is a real question a referrer can answer, not a placeholder.
    assert not any(re.fullmatch(r"Question \d+", q.label) for q in DEFAULT.questions)
    assert all(q.label.endswith("?") and len(q.label) > 20 for q in DEFAULT.questions)
    assert len({q.label for q in DEFAULT.questions}) == 24


def _answers(yes: int) -> dict[str, str]:
    ids = DEFAULT.question_ids
    return {qid: ("yes" if i < yes else "no") for i, qid in enumerate(ids)}


def test_fourteen_yes_answers_is_visible_high_risk():
    result = DEFAULT.score(_answers(14))
    assert result.score == 14
    assert result.visible_high_risk


def test_thirteen_yes_answers_is_not_visible_high_risk():
    result = DEFAULT.score(_answers(13))
    assert result.score == 13
    assert not result.visible_high_risk


def test_not_known_and_unanswered_are_shown_not_scored():
    answers = {"q01": "yes", "q02": "not known", "q03": "No", "q04": ""}
    result = DEFAULT.score(answers)
    assert result.score == 1
    assert result.not_known == ("q02",)
    assert len(result.unanswered) == 21
    assert "1 not known" in result.explanation
    assert "21 unanswered" in result.explanation


@given(answer_sets)
def test_score_is_the_number_of_yes_answers(answers):
    result = DEFAULT.score(answers)
    assert result.score == sum(1 for a in answers.values() if a == Answer.YES)
    assert result.visible_high_risk == (result.score >= DEFAULT.threshold)
    total = len(result.yes) + len(result.no) + len(result.not_known) + len(result.unanswered)
    assert total == len(DEFAULT.questions)


@given(answer_sets, st.sampled_from(DEFAULT.question_ids))
def test_turning_an_answer_to_yes_never_lowers_the_score(answers, question):
    before = DEFAULT.score(answers).score
    after = DEFAULT.score({**answers, question: Answer.YES}).score
    assert after >= before


def test_answers_for_questions_not_in_the_checklist_are_refused():
    with pytest.raises(ConfigurationError, match="'q99', which is not in the checklist"):
        DEFAULT.score({"q99": "yes"})


@pytest.mark.parametrize("text", ["maybe", "Y", "1"])
def test_unknown_answers_are_refused(text):
    with pytest.raises(ConfigurationError, match="is not an answer"):
        Answer.parse(text)


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("YES", Answer.YES),
        (" no ", Answer.NO),
        ("Not known", Answer.NOT_KNOWN),
        ("not-known", Answer.NOT_KNOWN),
        ("not_known", Answer.NOT_KNOWN),
    ],
)
def test_answers_are_read_in_any_case_and_spelling(text, answer):
    assert Answer.parse(text) is answer


def test_json_round_trip_keeps_the_checklist():
    text = json.dumps(DEFAULT.to_dict())
    assert parse_checklist_json(text, "copy.json") == Checklist(
        DEFAULT.name, DEFAULT.version, DEFAULT.questions, DEFAULT.threshold, "copy.json"
    )


def test_a_partnership_can_load_its_own_csv_checklist():
    text = "\ufeffid,label,help\nA,First topic,\nB,Second topic,Ask gently\nC,Third topic,\n"
    checklist = parse_checklist_csv(text, "local.csv", name="Local", version="2", threshold=2)
    assert checklist.question_ids == ("A", "B", "C")
    assert checklist.questions[1] == Question("B", "Second topic", "Ask gently")
    assert checklist.score({"A": "yes", "C": "yes"}).visible_high_risk


def test_csv_without_the_label_column_is_refused():
    with pytest.raises(ConfigurationError, match=r"local\.csv: missing column.*label"):
        parse_checklist_csv("id,text\nA,x\n", "local.csv", name="Local", version="1")


def _definition(**changes):
    data = {
        "name": "Local",
        "version": "1",
        "threshold": 2,
        "questions": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}],
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "'name' must not be empty"),
        ({"version": " "}, "'version' must not be empty"),
        ({"questions": []}, "at least one question"),
        ({"questions": "a,b"}, "'questions' must be a list"),
        (
            {"questions": [{"id": "a", "label": "A"}, {"id": "a", "label": "B"}]},
            "repeats the id 'a'",
        ),
        ({"questions": [{"id": "a", "label": ""}]}, "question 1 \\('a'\\) needs a label"),
        ({"questions": [{"id": "1st", "label": "A"}]}, "has id '1st'"),
        ({"questions": [{"id": "a", "label": "A", "weight": 2}]}, "question 1 must be an object"),
        ({"threshold": 3}, "'threshold' is 3"),
        ({"threshold": 0}, "'threshold' is 0"),
        ({"threshold": "14"}, "'threshold' is '14'"),
        ({"extra": True}, "unexpected key"),
    ],
)
def test_bad_checklist_definitions_are_refused_at_construction(changes, message):
    with pytest.raises(ConfigurationError, match=message):
        checklist_from_dict(_definition(**changes), "local.json")


def test_malformed_json_names_the_line():
    with pytest.raises(ConfigurationError, match=r"local\.json: not valid JSON \(line 1"):
        parse_checklist_json("{not json", "local.json")
