"""Fresh notes on the four newer lessons, written apart from their calibration sets and rubric
phrasings, to measure how the scorer generalises: paraphrases, misspellings, negation-flipped and
agreeing notes, restatements of the passage and vague doubts."""

from __future__ import annotations

from pathlib import Path

import pytest

from webapp.content import load_lessons
from webapp.scoring import score_annotations

ROOT = Path(__file__).resolve().parent.parent

# (lesson, item whose first passage is highlighted, note, expected credit)
CASES = [
    # crime-wave
    ("crime-wave", "counts-not-rates", "The town got bigger, so a raw count going up proves little; "
     "we need crimes per thousand residents.", 1.0),
    ("crime-wave", "counts-not-rates", "More crimes were recorded, so crime is clearly rising.", 0.0),
    ("crime-wave", "unequal-periods", "March to August is six months but winter is only three, "
     "that comparison is rigged.", 1.0),
    ("crime-wave", "reporting-change", "Easier reporting online means more gets reported, not "
     "that more crime happens.", 1.0),
    ("crime-wave", "reporting-change", "The app just made it easier to report crimes.", 0.5),
    ("crime-wave", "vivid-incident", "One viral video of a mugging isn't a trend.", 1.0),
    ("crime-wave", "vivid-incident", "Poor woman, that is awful.", 0.0),
    ("crime-wave", "post-hoc-station", "Just because it happened the same year doesn't mean "
     "closing the station caused it.", 1.0),
    ("crime-wave", "post-hoc-station", "It is causation, closing the station caused the rise.", 0.0),
    ("crime-wave", "pandemic-comparison", "Crime dropped everywhere during lockdown, the police "
     "had nothing to do with it.", 1.0),
    ("crime-wave", "pandemic-comparison", "The extra officers obviously worked.", 0.0),
    # mill-road-lane
    ("mill-road-lane", "false-dilemma", "It isn't either or, you could have a lane and parking "
     "both.", 1.0),
    ("mill-road-lane", "false-dilemma", "Yes, the shops will close if cars can't get there.", 0.0),
    ("mill-road-lane", "customers-drive", "Has anyone actually asked shoppers how they got "
     "there?", 1.0),
    ("mill-road-lane", "dated-traffic-survey", "That survey is from 2012, way too old to rely "
     "on.", 1.0),
    ("mill-road-lane", "dated-traffic-survey", "The survey is recent and reliable.", 0.0),
    ("mill-road-lane", "ring-fenced-money", "The cycling grant cant be spent on potholes anyway.",
     1.0),
    ("mill-road-lane", "slippery-slope", "One lane won't automatically lead to closing every "
     "street.", 1.0),
    ("mill-road-lane", "slippery-slope", "Exactly, first one lane then the whole town.", 0.0),
    # morrowleaf-memory
    ("morrowleaf-memory", "one-small-study", "Twenty four participants is far too few to "
     "conclude anything.", 1.0),
    ("morrowleaf-memory", "one-small-study", "A study proves it works, great.", 0.0),
    ("morrowleaf-memory", "seller-funded", "The company selling the tea paid for this study, "
     "conflict of interest.", 1.0),
    ("morrowleaf-memory", "mice-to-humans", "Mice aren't humans, results might not transfer.",
     1.0),
    ("morrowleaf-memory", "authority-outside-field", "A heart surgeon is not a dementia expert.",
     1.0),
    ("morrowleaf-memory", "authority-outside-field", "He is a famous doctor so he knows.", 0.0),
    ("morrowleaf-memory", "natural-means-safe", "Natural does not mean harmless, hemlock is "
     "natural.", 1.0),
    ("morrowleaf-memory", "natural-means-safe", "Natural things are always safe.", 0.0),
    ("morrowleaf-memory", "anecdote-as-evidence", "One lady's story proves nothing.", 1.0),
    ("morrowleaf-memory", "anecdote-as-evidence", "hmm really?", 0.5),
    # screen-time-grades
    ("screen-time-grades", "correlation-as-cause", "Correlation isn't causation, something else "
     "could cause both.", 1.0),
    ("screen-time-grades", "correlation-as-cause", "Screens cause bad grades, this proves it.",
     0.0),
    ("screen-time-grades", "self-selected-survey", "Only parents who already worry about phones "
     "answered, biased sample.", 1.0),
    ("screen-time-grades", "percent-no-baseline", "60 percent of how many kids? Could be 5 to "
     "8.", 1.0),
    ("screen-time-grades", "base-rate-ownership", "Nearly every teen owns a smartphone, so 94 "
     "percent tells us nothing.", 1.0),
    ("screen-time-grades", "success-stories-only", "He only talked to the winners, survivorship "
     "bias.", 1.0),
    ("screen-time-grades", "one-school-before-after", "No comparison school without the ban.",
     1.0),
    ("screen-time-grades", "one-school-before-after", "The ban worked, grades went up.", 0.0),
]


@pytest.fixture(scope="module")
def scored():
    lessons = load_lessons(ROOT / "lessons").lessons
    out = []
    for lesson_id, item_id, note, _ in CASES:
        lesson = lessons[lesson_id]
        passage = next(i for i in lesson.rubric if i.id == item_id).passages[0]
        payload = [{"id": "a", "bodyValue": note,
                    "target": {"selector": {"type": "TextQuoteSelector", "exact": passage}}}]
        out.append(score_annotations(lesson, payload).annotations[0])
    return out


def test_fresh_notes_mostly_agree_with_the_instructor(scored):
    wrong = [f"{note!r}: expected {credit}, got {got.item} {got.credit} {got.flags}"
             for (_, item, note, credit), got in zip(CASES, scored, strict=True)
             if got.credit != credit or (credit and got.item != item)]
    assert len(wrong) <= 7, "\n".join(wrong)  # 31 of 37 at the time of writing


def test_fresh_agreeing_or_flipped_notes_never_earn_full_credit(scored):
    gamed = [note for (_, _, note, credit), got in zip(CASES, scored, strict=True)
             if credit == 0 and got.credit == 1.0]
    assert not gamed
