"""Service tests of services/attempts.py: validation, drafts, hints, submit, try again, rules."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from webapp.extensions import db
from webapp.models import (
    Annotation,
    Assignment,
    Classroom,
    Learner,
    Membership,
    RubricExtension,
    User,
    utcnow,
)
from webapp.services import attempts as svc

COUP = "The recent coup in Russia, which saw the overthrow of President Vladimir Putin’s regime"
SEPARATISTS = "Russian-backed separatist forces in eastern Ukraine"


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield app


@pytest.fixture
def learner(ctx):
    row = Learner()
    db.session.add(row)
    db.session.commit()
    return row


@pytest.fixture
def ws(ctx):
    return svc.self_study("russia-coup")


def span(ws, phrase):
    start = ws.lesson.article_text.index(phrase)
    return start, start + len(phrase)


def note_on(ws, phrase, note, prompt="the-event", exact=True):
    start, end = span(ws, phrase)
    return svc.AnnotationInput(prompt_id=prompt, note=note, start=start, end=end,
                               exact=phrase if exact else None)


def make_assignment(learner, **rules):
    owner = User(email="t@example.org", display_name="T", password_hash="x")
    room = Classroom(name="9B", owner=owner, join_code="ABC123")
    db.session.add_all([owner, room])
    db.session.flush()
    db.session.add(Membership(classroom_id=room.id, learner_id=learner.id, display_name="Ana"))
    version = svc.self_study("russia-coup").version
    assignment = Assignment(classroom_id=room.id, lesson_version_id=version.id, **rules)
    db.session.add(assignment)
    db.session.commit()
    return svc.for_assignment(assignment.id, learner)


def test_add_annotation_stores_w3c_selectors(learner, ws):
    a = svc.add_annotation(learner, ws, note_on(ws, COUP, "The coup never happened."))
    text = ws.lesson.article_text
    assert (a.start, a.end, a.exact) == (0, len(COUP), COUP)
    assert a.prefix == "" and a.suffix == text[len(COUP):len(COUP) + svc.QUOTE_CONTEXT]
    assert a.attempt.status == "draft" and a.attempt.number == 1


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"note": "   "}, "note", "empty"),
    ({"note": "x" * 2001}, "note", "limit is 2,000"),
    ({"prompt_id": "no-such-prompt"}, "prompt_id", "no prompt"),
    ({"prompt_id": None}, "prompt_id", "Choose the prompt"),
    ({"start": -5}, "selection", "outside the article"),
    ({"end": 10**6}, "selection", "outside the article"),
    ({"start": 30, "end": 30}, "selection", "outside the article"),
    ({"exact": "words that are nowhere in it"}, "selection", "do not match"),
    ({"start": None}, "selection", "Select a passage"),
])
def test_bad_annotations_are_refused_with_the_field(learner, ws, change, field, words):
    kept = svc.add_annotation(learner, ws, note_on(ws, COUP, "The coup never happened."))
    data = dataclasses.replace(note_on(ws, SEPARATISTS, "Outdated framing."), **change)
    with pytest.raises(svc.ValidationError) as raised:
        svc.add_annotation(learner, ws, data)
    assert raised.value.field == field
    assert words in raised.value.message
    db.session.rollback()
    assert [a.id for a in svc.draft_of(learner, ws).annotations] == [kept.id]


def test_selection_is_trimmed_and_relocated_by_its_quote(learner, ws):
    start, end = span(ws, SEPARATISTS)
    assert ws.lesson.article_text[start - 1] == " "
    padded = svc.AnnotationInput("the-enemy", "Outdated.", start - 1, end)
    a = svc.add_annotation(learner, ws, padded)
    assert a.exact == SEPARATISTS
    # Offsets off by a few characters (a client counting differently) but the quote is right.
    moved = svc.AnnotationInput("the-enemy", "Outdated.", start + 3, end + 3, exact=SEPARATISTS)
    b = svc.add_annotation(learner, ws, moved)
    assert (b.start, b.end) == (start, end)


def test_too_many_annotations(app_config, learner, ws, ctx):
    ctx.config["MAX_ANNOTATIONS_PER_ATTEMPT"] = 2
    for _ in range(2):
        svc.add_annotation(learner, ws, note_on(ws, COUP, "The coup never happened."))
    with pytest.raises(svc.ValidationError) as raised:
        svc.add_annotation(learner, ws, note_on(ws, COUP, "The coup never happened."))
    assert raised.value.field == "annotations"
    assert "at most 2" in raised.value.message


def test_the_annotation_count_follows_every_change(app_config, learner, ws, ctx):
    """The count the per-attempt limit reads stays the number of annotations the attempt holds."""
    from sqlalchemy import func, select

    def counted_and_stored(attempt):
        db.session.expire_all()
        stored = db.session.scalar(select(func.count(Annotation.id)).where(
            Annotation.attempt_id == attempt.id))
        return db.session.get(type(attempt), attempt.id).annotation_count, stored

    a = svc.add_annotation(learner, ws, note_on(ws, COUP, "Source?"))
    b = svc.add_annotation(learner, ws, note_on(ws, SEPARATISTS, "Outdated.", "the-enemy"))
    draft = a.attempt
    assert counted_and_stored(draft) == (2, 2)
    svc.delete_annotation(b)
    assert counted_and_stored(draft) == (1, 1)
    svc.import_annotations(learner, ws, [svc.to_w3c(a)])
    assert counted_and_stored(draft) == (2, 2)
    with pytest.raises(svc.ValidationError):  # refused: nothing counted
        svc.add_annotation(learner, ws, note_on(ws, COUP, "   "))
    db.session.rollback()
    assert counted_and_stored(draft) == (2, 2)
    svc.submit(draft)
    second = svc.try_again(learner, ws)
    assert counted_and_stored(second) == (2, 2)
    # After a delete there is room again under the limit.
    ctx.config["MAX_ANNOTATIONS_PER_ATTEMPT"] = 2
    with pytest.raises(svc.ValidationError, match="at most 2"):
        svc.add_annotation(learner, ws, note_on(ws, COUP, "A third."))
    db.session.rollback()
    svc.delete_annotation(second.annotations[0])
    svc.add_annotation(learner, ws, note_on(ws, COUP, "A third, in place of the first."))
    assert counted_and_stored(second) == (2, 2)


def test_import_past_the_limit_is_refused_whole(learner, ws, ctx):
    a = svc.add_annotation(learner, ws, note_on(ws, COUP, "Source?"))
    ctx.config["MAX_ANNOTATIONS_PER_ATTEMPT"] = 2
    with pytest.raises(svc.ValidationError, match="at most 2 annotations; this would make 3"):
        svc.import_annotations(learner, ws, [svc.to_w3c(a), svc.to_w3c(a)])
    db.session.rollback()
    assert len(svc.draft_of(learner, ws).annotations) == 1


def test_update_and_delete(learner, ws):
    a = svc.add_annotation(learner, ws, note_on(ws, COUP, "First thought."))
    svc.update_annotation(a, note="The coup is fictional.", prompt_id="the-evidence")
    assert (a.note, a.prompt_id) == ("The coup is fictional.", "the-evidence")
    start, end = span(ws, SEPARATISTS)
    svc.update_annotation(a, start=start, end=end, exact=SEPARATISTS)
    assert a.exact == SEPARATISTS
    with pytest.raises(svc.ValidationError):
        svc.update_annotation(a, note="")
    db.session.rollback()
    assert db.session.get(Annotation, a.id).note == "The coup is fictional."
    svc.delete_annotation(a)
    assert svc.draft_of(learner, ws).annotations == []


def test_hints_one_at_a_time(learner, ws):
    total = len(ws.lesson.prompt("the-event").hints)
    for n in range(1, total + 1):
        _, revealed = svc.reveal_hint(learner, ws, "the-event")
        assert revealed == n
    with pytest.raises(svc.ValidationError, match="every hint"):
        svc.reveal_hint(learner, ws, "the-event")
    db.session.rollback()
    assert svc.hints_revealed(svc.draft_of(learner, ws)) == {"the-event": total}


def test_submit_scores_with_the_scorer_and_keeps_manual_decisions(learner, ws):
    good = svc.add_annotation(learner, ws, note_on(ws, COUP, "The coup never happened: Putin "
                                                              "is still in power."))
    copied = svc.add_annotation(learner, ws, note_on(ws, SEPARATISTS, SEPARATISTS, "the-enemy"))
    attempt = svc.submit(good.attempt)
    assert attempt.status == "submitted" and attempt.submitted_at is not None
    assert good.auto_item_id == "hypothetical-coup" and good.auto_credit == 1.0
    assert copied.auto_credit == 0.0
    assert attempt.max_score == ws.lesson.max_score
    assert attempt.auto_score == 2.0
    assert attempt.item_credits["hypothetical-coup"]["credit"] == 1.0
    for a in attempt.annotations:
        assert a.needs_review == (a.auto_confidence < svc.REVIEW_BELOW_CONFIDENCE)
        assert a.manual_credit is None

    # An instructor's override survives re-scoring and is what counts.
    copied.manual_credit, copied.manual_item_id = 0.5, "outdated-separatist-framing"
    db.session.commit()
    svc.score_attempt(attempt)
    db.session.commit()
    assert copied.manual_credit == 0.5 and copied.auto_credit == 0.0
    assert attempt.auto_score == 2.0
    assert svc.effective_score(attempt) == 3.0
    assert svc.effective_item_credits(attempt)["outdated-separatist-framing"] == 0.5

    with pytest.raises(svc.AttemptClosed):
        svc.update_annotation(good, note="changed after submitting")
    with pytest.raises(svc.AttemptClosed):
        svc.add_annotation(learner, ws, note_on(ws, COUP, "again"))


def test_low_confidence_is_queued_for_review(learner, ws, monkeypatch):
    import webapp.scoring as scoring

    real = scoring.score_annotations

    def with_confidence(lesson, payload, **kw):
        result = real(lesson, payload, **kw)
        levels = iter([svc.REVIEW_BELOW_CONFIDENCE - 0.01, svc.REVIEW_BELOW_CONFIDENCE])
        return dataclasses.replace(result, annotations=[
            dataclasses.replace(a, confidence=next(levels)) for a in result.annotations])

    monkeypatch.setattr(scoring, "score_annotations", with_confidence)
    a = svc.add_annotation(learner, ws, note_on(ws, COUP, "Source?"))
    b = svc.add_annotation(learner, ws, note_on(ws, COUP, "Is this true?"))
    svc.submit(a.attempt)
    assert (a.needs_review, b.needs_review) == (True, False)


def test_submit_needs_an_annotation(learner, ws):
    svc.reveal_hint(learner, ws, "the-event")
    with pytest.raises(svc.ValidationError) as raised:
        svc.submit(svc.draft_of(learner, ws))
    assert raised.value.field == "annotations"


def test_try_again_copies_the_latest_work(learner, ws):
    a = svc.add_annotation(learner, ws, note_on(ws, COUP, "Source?"))
    svc.reveal_hint(learner, ws, "the-event")
    first = svc.submit(a.attempt)
    second = svc.try_again(learner, ws)
    assert second.number == 2 and second.status == "draft"
    assert [(x.exact, x.note, x.prompt_id) for x in second.annotations] == [(COUP, "Source?",
                                                                            "the-event")]
    assert second.annotations[0].auto_credit is None
    assert svc.hints_revealed(second) == {"the-event": 1}
    svc.update_annotation(second.annotations[0], note="The coup never happened.")
    svc.submit(second)
    assert first.annotations[0].note == "Source?"
    attempts = svc.attempts_of(learner, ws)
    assert svc.best_attempt(attempts) is second
    assert svc.latest_attempt(learner, ws) is second


def test_w3c_export_shape(learner, ws):
    a = svc.add_annotation(learner, ws, note_on(ws, SEPARATISTS, "Outdated.", "the-enemy"))
    doc = svc.to_w3c(a)
    assert doc["type"] == "Annotation" and doc["id"].startswith("urn:uuid:")
    assert {"type": "TextualBody", "purpose": "tagging", "value": "the-enemy"} in doc["body"]
    quote, position = doc["target"]["selector"]
    assert quote["type"] == "TextQuoteSelector" and quote["exact"] == SEPARATISTS
    assert ws.lesson.article_text.endswith(quote["suffix"]) or quote["suffix"]
    assert position == {"type": "TextPositionSelector", "start": a.start, "end": a.end}
    collection = svc.export_attempt(a.attempt)
    assert collection["type"] == "AnnotationCollection" and collection["total"] == 1
    assert collection["first"]["items"] == [doc]


def test_assignment_rules(learner, ctx):
    past = make_assignment(learner, attempts_allowed=1, reveal_answers="after_due",
                           due_at=utcnow() + timedelta(days=1))
    a = svc.add_annotation(learner, past, note_on(past, COUP, "The coup never happened."))
    attempt = svc.submit(a.attempt)
    assert attempt.assignment_id == past.assignment.id
    assert not svc.answers_revealed(past, attempt)  # due date not reached yet
    with pytest.raises(svc.AttemptClosed, match="all the attempts"):
        svc.try_again(learner, past)
    past.assignment.due_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert svc.answers_revealed(past, attempt)
    # Self-study work is separate from class work.
    assert svc.attempts_of(learner, svc.self_study("russia-coup")) == []


def test_past_due_assignment_is_closed(learner, ctx):
    ws = make_assignment(learner, due_at=utcnow() - timedelta(hours=1), reveal_answers="never")
    with pytest.raises(svc.AttemptClosed, match="past its due date"):
        svc.add_annotation(learner, ws, note_on(ws, COUP, "The coup never happened."))


def test_not_a_member_cannot_open(learner, ctx):
    ws = make_assignment(learner)
    draft_note = svc.add_annotation(learner, ws, note_on(ws, COUP, "The coup never happened."))
    stranger = Learner()
    db.session.add(stranger)
    db.session.commit()
    assert svc.for_assignment(ws.assignment.id, stranger) is None
    assert svc.for_assignment(ws.assignment.id, None) is None
    membership = db.session.query(Membership).one()
    membership.removed_at = utcnow()
    db.session.commit()
    assert svc.for_assignment(ws.assignment.id, learner) is None
    with pytest.raises(svc.AttemptClosed, match="no longer a member"):
        svc.update_annotation(draft_note, note="Still here?")
    with pytest.raises(svc.AttemptClosed):
        svc.delete_annotation(draft_note)


def test_class_phrasings_reach_the_scorer(learner, ctx):
    ws = make_assignment(learner)
    note = "zorblax fnord quibble"
    a = svc.add_annotation(learner, ws, note_on(ws, COUP, note))
    svc.submit(a.attempt)
    assert a.auto_credit == 0.0
    db.session.add(RubricExtension(classroom_id=ws.assignment.classroom_id,
                                   lesson_id="russia-coup", item_id="hypothetical-coup",
                                   phrasing=note, created_by_id=ws.assignment.classroom.owner_id))
    db.session.commit()
    assert svc.extra_phrasings_for(a.attempt) == {"hypothetical-coup": [note]}
    svc.score_attempt(a.attempt)
    assert (a.auto_item_id, a.auto_credit) == ("hypothetical-coup", 1.0)


def test_classmates_highlights_are_anonymous_spans(learner, ctx):
    ws = make_assignment(learner, classmates_visible="after_submit")
    other = Learner()
    db.session.add(other)
    db.session.flush()
    db.session.add(Membership(classroom_id=ws.assignment.classroom_id, learner_id=other.id,
                              display_name="Bo"))
    db.session.commit()
    theirs = svc.add_annotation(other, ws, note_on(ws, SEPARATISTS, "Outdated.", "the-enemy"))
    svc.submit(theirs.attempt)
    mine = svc.add_annotation(learner, ws, note_on(ws, COUP, "Never happened."))
    assert svc.classmate_highlights(learner, ws) == [span(ws, SEPARATISTS)]
    assert not svc.classmates_shown(ws, mine.attempt)
    svc.submit(mine.attempt)
    assert svc.classmates_shown(ws, mine.attempt)


def test_try_again_after_the_lesson_changed_reanchors(learner, ws):
    from webapp.services.lessons import store_version

    a = svc.add_annotation(learner, ws, note_on(ws, SEPARATISTS, "Outdated.", "the-enemy"))
    b = svc.add_annotation(learner, ws, note_on(ws, "With Russia preoccupied", "Assumes.",
                                                "the-chain"))
    svc.submit(a.attempt)
    old_text = ws.lesson.article_text
    new_text = "Editor’s note: lightly edited.\n\n" + old_text.replace(
        "With Russia preoccupied with its internal affairs, ", "")
    store_version(ws.lesson.model_copy(update={"article_text": new_text}))
    db.session.commit()
    edited = svc.self_study("russia-coup")
    assert edited.version.version == ws.version.version + 1
    draft = svc.try_again(learner, edited)
    assert draft.lesson_version_id == edited.version.id
    # The passage still in the text moved and was found again; the removed one is left out.
    assert [(x.exact, new_text[x.start:x.end]) for x in draft.annotations] == [
        (SEPARATISTS, SEPARATISTS)]
    assert b.attempt.annotations[1].exact == "With Russia preoccupied"
    assert [x.number for x in svc.attempts_of(learner, edited)] == [1, 2]
