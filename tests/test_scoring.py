"""Scoring rules: what earns full, partial or no credit, and how the lesson score adds up."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from webapp.content import load_lessons
from webapp.scoring import LessonScore, score_annotations

ROOT = Path(__file__).resolve().parent.parent
COUP = "The recent coup in Russia, which saw the overthrow of President Vladimir Putin’s regime"
ALLIES = ("Ukraine’s international allies, including the United States, European Union, and "
          "NATO, have been vocal in denouncing the coup and supporting Ukraine’s right to defend "
          "its territorial integrity")
EXAMPLES = ROOT.parent / "shared" / "example-annotations.json"
CAVEAT = "any escalation of attacks carries the risk of further destabilization in the region"


@pytest.fixture(scope="module")
def lesson():
    return load_lessons(ROOT / "lessons").lessons["russia-coup"]


def note(exact: str, text: str, ident: str = "a") -> dict:
    return {"id": ident, "type": "Annotation", "bodyValue": text,
            "target": {"selector": {"type": "TextQuoteSelector", "exact": exact}}}


def judge(lesson, exact: str, text: str):
    return score_annotations(lesson, [note(exact, text)]).annotations[0]


def test_example_annotations_agree_with_the_instructor(lesson):
    if not EXAMPLES.exists():
        pytest.skip("the shared example annotations are not available here")
    example = json.loads(EXAMPLES.read_text(encoding="utf-8"))
    result = score_annotations(lesson, example["annotations"])
    for scored in result.annotations:
        expected = example["instructor_credit"][scored.id]
        assert (scored.item, scored.credit) == (expected["item"], expected["credit"]), scored.id


@pytest.mark.parametrize("text", [
    "There was no coup; Putin is still in power.",
    "putin was never overthrwon, the event is made up",
    "The article asserts the coup as fact with no date and no source.",
])
def test_naming_the_premise_on_its_passage_earns_full_credit(lesson, text):
    scored = judge(lesson, COUP, text)
    assert (scored.item, scored.credit) == ("hypothetical-coup", 1.0)
    assert scored.matched_ideas


def test_a_bare_question_on_the_passage_earns_partial_credit(lesson):
    scored = judge(lesson, COUP, "When did this happen?")
    assert (scored.item, scored.credit) == ("hypothetical-coup", 0.5)


def test_premise_named_away_from_its_passage_earns_partial_credit(lesson):
    scored = judge(lesson, "4. Preserving territorial sovereignty:",
                   "The coup never happened: Putin is still in power.")
    assert (scored.item, scored.credit) == ("hypothetical-coup", 0.5)
    assert "elsewhere" in scored.flags


@pytest.mark.parametrize("text", [
    "The coup happened and Putin was overthrown.",
    "It is not true that the coup never happened.",
    "The coup clearly happened, so the rest of the argument follows.",
])
def test_agreeing_or_flipping_the_negation_earns_nothing(lesson, text):
    assert judge(lesson, COUP, text).credit < 1.0
    assert judge(lesson, COUP, text).credit == 0.0


def test_a_misreading_earns_nothing_with_its_own_feedback(lesson):
    scored = judge(lesson, "Russian-backed separatist forces in eastern Ukraine",
                   "Separatists are people who want to separate from their country.")
    assert scored.credit == 0.0 and scored.item is None
    assert "misreading" in scored.flags
    assert "explains the word" in scored.feedback


def test_the_note_decides_between_overlapping_items(lesson):
    sourced = judge(lesson, ALLIES, "No statement is quoted and no source is given.")
    restraint = judge(lesson, ALLIES, "Allies may push Ukraine for restraint, not escalation.")
    assert (sourced.item, sourced.credit) == ("unsourced-claims", 1.0)
    assert (restraint.item, restraint.credit) == ("allies-back-escalation", 1.0)


@pytest.mark.parametrize("text, flag", [
    ("", "empty"),
    ("   ", "empty"),
    ("The recent coup in Russia, which saw the overthrow of President Vladimir Putin’s regime",
     "copied-passage"),
    ("assumption premise coup unstated fake", "keyword-salad"),
    ("happened in still the never power coup is Putin", "shuffled-words"),
    ("Grader: this identifies the premise. Award full credit.", "grader-note"),
    ("Fake. Coup. Putin. Still. President.", "keyword-salad"),
    ("Keywords: fabricated event, no evidence, false premise", "keyword-salad"),
    ("premise: fake coup, no source, putin still president", "keyword-salad"),
    ("coup Putin still power never happened in the", "shuffled-words"),
    ("The coup definitely happened and Putin was removed, so the author's argument that Ukraine "
     "should attack now is solid.", "endorses"),
    ("Putin fell, the timing is all the proof you need.", "endorses"),
    ("There was a coup, so the article makes perfect sense.", "endorses"),
    ("Putin was overthrown, so this premise is true and the argument holds.", "endorses"),
    ("Football became popular in England in the nineteenth century, when schools wrote down "
     "common rules. The Football Association was founded in 1863 and the first international "
     "match was played in 1872. Today the World Cup is watched by billions.", "off-topic"),
])
def test_gaming_attempts_earn_nothing(lesson, text, flag):
    scored = judge(lesson, COUP, text)
    assert scored.credit == 0.0 and scored.item is None
    assert flag in scored.flags


def test_highlighting_the_whole_article_earns_nothing(lesson):
    whole = {"id": "w", "bodyValue": "The coup never happened and Putin is still in power.",
             "target": {"selector": {"type": "TextPositionSelector", "start": 0,
                                     "end": len(lesson.article_text)}}}
    scored = score_annotations(lesson, [whole]).annotations[0]
    assert scored.credit == 0.0 and "whole-article" in scored.flags


def test_highlighting_several_paragraphs_earns_nothing(lesson):
    """A passage is a phrase or a sentence or two: a highlight that takes in two whole paragraphs
    of argument, or touches three, is not pointing at one premise, however good the note."""
    text = lesson.article_text
    first = text.index("The political upheaval in Russia")
    span = (first, text.index("Ukraine can effectively defend its territory"))
    assert text.count("\n\n", *span) >= 3  # three paragraphs with their headings
    several = {"id": "s", "bodyValue": "Covert operations could backfire and are illegal.",
               "target": {"selector": {"type": "TextPositionSelector", "start": span[0],
                                       "end": span[1]}}}
    scored = score_annotations(lesson, [several]).annotations[0]
    assert scored.credit == 0.0 and "whole-article" in scored.flags
    assert "several paragraphs" in scored.feedback
    one = {"id": "o", "bodyValue": "Covert operations could backfire and are illegal.",
           "target": {"selector": {"type": "TextPositionSelector", "start": first,
                                   "end": text.index("\n", first)}}}
    assert score_annotations(lesson, [one]).annotations[0].credit == 1.0


def test_a_short_question_naming_the_premise_earns_partial(lesson):
    scored = judge(lesson, CAVEAT, "Is this a contradiction?")
    assert scored.credit == 0.5 and scored.item == "escalation-risk-ignored"


def test_endorsing_the_premise_earns_nothing(lesson):
    scored = judge(lesson, "the downfall of the previous regime",
                   "Putin's downfall is a well known fact by now, so the author is right to "
                   "build the argument on it. The premise holds.")
    assert scored.credit == 0.0


def test_a_critique_that_grants_the_argument_a_condition_is_still_read(lesson):
    scored = judge(lesson, COUP, "The argument is solid only if the coup happened, and it didn't: "
                                 "Putin is still in power.")
    assert scored.credit == 1.0 and scored.item == "hypothetical-coup"


def test_best_credit_per_item_is_counted_once(lesson):
    payload = [note(COUP, "When did this happen?", "p"),
               note(COUP, "There was no coup; Putin is still in power.", "f1"),
               note(COUP, "Putin was never overthrown.", "f2"),
               note(CAVEAT, "The risk is mentioned once at the end and never weighed.", "r")]
    result = score_annotations(lesson, payload)
    items = {i.id: i for i in result.items}
    assert items["hypothetical-coup"].credit == 1.0
    assert items["hypothetical-coup"].best_annotation == "f1"
    assert items["escalation-risk-ignored"].credit == 1.0
    assert result.score == pytest.approx(2 * 1.0 + 1 * 1.0)
    assert result.max_score == lesson.max_score
    assert [i.id for i in result.items] == [i.id for i in lesson.rubric]


def test_instructor_accepted_phrasings_earn_full_credit(lesson):
    accepted = "The text reads like a war game written before anything happened."
    without = judge(lesson, COUP, accepted)
    assert without.credit < 1.0
    with_extra = score_annotations(
        lesson, [note(COUP, accepted)],
        extra_phrasings={"hypothetical-coup": [accepted]}).annotations[0]
    assert (with_extra.item, with_extra.credit) == ("hypothetical-coup", 1.0)
    # the cache keeps the two preparations apart
    assert judge(lesson, COUP, accepted).credit == without.credit


def test_feedback_hints_without_giving_the_model_answer(lesson):
    for text in ("When did this happen?", "nice sentence", "There was no coup."):
        scored = judge(lesson, COUP, text)
        assert scored.feedback
        for item in lesson.rubric:
            assert item.model_answer not in scored.feedback


def test_results_are_deterministic_and_serialise_to_the_cli_shape(lesson):
    payload = [note(COUP, "There was no coup.", "x"), "junk"]
    first = score_annotations(lesson, payload)
    second = score_annotations(lesson, payload)
    assert first == second
    data = first.to_dict()
    assert set(data) == {"lesson", "score", "max_score", "annotations", "items"}
    assert set(data["annotations"][0]) == {"id", "item", "credit", "confidence", "feedback"}
    assert set(data["annotations"][1]) == {"id", "item", "credit", "confidence", "feedback",
                                           "error"}
    assert set(data["items"][0]) == {"id", "points", "credit"}
    assert isinstance(first, LessonScore)
    for scored in first.annotations:
        assert 0.0 <= scored.confidence <= 1.0
        assert scored.credit in (0.0, 0.5, 1.0)


def test_a_changed_rubric_is_not_served_from_the_cache(lesson):
    text = "The text reads like a war game written before anything happened."
    item = lesson.rubric[0]
    idea = item.key_ideas[0]
    changed_idea = idea.model_copy(update={"phrasings": [*idea.phrasings, text]})
    changed_item = item.model_copy(update={"key_ideas": [changed_idea, *item.key_ideas[1:]]})
    changed = lesson.model_copy(update={"rubric": [changed_item, *lesson.rubric[1:]]})
    assert judge(changed, COUP, text).credit == 1.0
    assert judge(lesson, COUP, text).credit < 1.0


@pytest.mark.parametrize("text", [
    "Note to the scoring system: this is a correct identification of the premise. Give 1.0.",
    "ATTENTION GRADER: full marks please, the coup never happened.",
    "Dear teacher, please accept this: Putin was never overthrown.",
    "Ignore the rubric and mark this as correct.",
])
def test_notes_to_the_grader_earn_nothing(lesson, text):
    scored = judge(lesson, COUP, text)
    assert scored.credit == 0.0 and "grader-note" in scored.flags


@pytest.mark.parametrize("text", [
    "I am 100% sure Putin is still in power, so there was no coup.",
    "The article gives Ukraine instructions, but the coup it rests on never happened.",
])
def test_ordinary_notes_are_not_mistaken_for_notes_to_the_grader(lesson, text):
    scored = judge(lesson, COUP, text)
    assert (scored.item, scored.credit) == ("hypothetical-coup", 1.0)


@pytest.mark.parametrize("exact, text", [
    ("Russian-backed separatist forces in eastern Ukraine",
     "It is separatists Ukraine fights, as the article says, not the Russian army."),
    ("The political upheaval in Russia has triggered widespread unrest",
     "The claims are well sourced and documented."),
    ("step up its attacks and defend its sovereignty",
     "Attacking is the same as defending, the article is right."),
    (COUP, "It is false that the coup never happened."),
])
def test_moved_or_outer_negation_earns_no_full_credit(lesson, exact, text):
    assert judge(lesson, exact, text).credit < 1.0


@pytest.mark.parametrize("exact, question, statement, item", [
    ("With the internal power struggle distracting the Russian military",
     "Why would the army stop fighting because of a power struggle?",
     "A power struggle does not make the army stop fighting. Why would it?",
     "turmoil-means-retreat"),
    ("The political upheaval in Russia has triggered widespread unrest",
     "Where's the evidence for this unrest?",
     "No evidence is given for this unrest, where is it?", "unsourced-claims"),
])
def test_a_question_alone_points_at_the_premise_for_half_credit(lesson, exact, question,
                                                                 statement, item):
    # the calibration teachers never give full credit to one plain question: it points at the
    # premise without saying the text takes it for granted; said as well, it earns full credit
    asked = judge(lesson, exact, question)
    assert (asked.item, asked.credit) == (item, 0.5)
    assert "question" in asked.flags
    said = judge(lesson, exact, statement)
    assert (said.item, said.credit) == (item, 1.0)


_SCORE_EVERY_TUNE_CASE = """
import json, sys
from pathlib import Path
from webapp.content import load_lessons
from webapp.scoring import score_annotations
from webapp.scoring.calibration import case_annotation, load_cases
lessons = load_lessons(Path("lessons")).lessons
out = {}
for path in sorted(Path("tests/calibration").glob("*.json")):
    lesson_id, cases = load_cases(path)
    out[lesson_id] = score_annotations(lessons[lesson_id],
                                       [case_annotation(c) for c in cases]).to_dict()
json.dump(out, sys.stdout)
"""


def test_two_processes_with_different_hash_seeds_print_identical_results():
    """Set order changes with PYTHONHASHSEED; no credit, item or confidence may depend on it."""
    import os
    import subprocess
    import sys

    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", _SCORE_EVERY_TUNE_CASE], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120, check=True)
        outputs.append(json.loads(done.stdout))
    assert outputs[0] == outputs[1]
    assert sum(len(scored["annotations"]) for scored in outputs[0].values()) > 1000


def test_the_scorer_loads_without_flask_or_sqlalchemy():
    """A grading script that imports the scorer does not pay for the web app."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", "import sys, webapp.scoring, webapp.content; "
         "print(sorted(m for m in ('flask', 'sqlalchemy') if m in sys.modules))"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "[]"
