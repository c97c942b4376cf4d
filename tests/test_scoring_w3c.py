"""Reading W3C Web Annotation payloads: selectors, bodies, collections, and bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from webapp.content import load_lessons
from webapp.scoring import AnnotationFormatError, score_annotations

ROOT = Path(__file__).resolve().parent.parent
COUP = "The recent coup in Russia, which saw the overthrow of President Vladimir Putin’s regime"
FULL_NOTE = "There was no coup: Putin is still in power, so the whole article rests on a fiction."


@pytest.fixture(scope="module")
def lesson():
    return load_lessons(ROOT / "lessons").lessons["russia-coup"]


def annotation(**fields) -> dict:
    base = {"@context": "http://www.w3.org/ns/anno.jsonld", "id": "a1", "type": "Annotation",
            "body": [{"type": "TextualBody", "purpose": "commenting", "value": FULL_NOTE}],
            "target": {"selector": [{"type": "TextQuoteSelector", "exact": COUP}]}}
    base.update(fields)
    return base


def one(lesson, payload):
    result = score_annotations(lesson, payload)
    assert len(result.annotations) == 1
    return result.annotations[0]


def test_selector_list_and_single_selector_agree(lesson):
    as_list = one(lesson, [annotation()])
    single = one(lesson, [annotation(target={"selector": {"type": "TextQuoteSelector",
                                                          "exact": COUP}})])
    assert (as_list.item, as_list.credit) == (single.item, single.credit) == (
        "hypothetical-coup", 1.0)


def test_body_value_is_the_explanation(lesson):
    result = one(lesson, [annotation(body=None, bodyValue=FULL_NOTE)])
    assert result.credit == 1.0


def test_single_body_object_and_body_without_purpose(lesson):
    result = one(lesson, [annotation(body={"type": "TextualBody", "value": FULL_NOTE})])
    assert result.credit == 1.0


def test_tagging_body_is_not_read_as_the_explanation(lesson):
    body = [{"type": "TextualBody", "purpose": "tagging", "value": "the-event"},
            {"type": "TextualBody", "purpose": "commenting", "value": ""}]
    result = one(lesson, [annotation(body=body)])
    assert result.credit == 0.0 and "empty" in result.flags


def test_target_as_a_list(lesson):
    target = [{"source": "urn:lesson:russia-coup",
               "selector": {"type": "TextQuoteSelector", "exact": COUP}}]
    assert one(lesson, [annotation(target=target)]).credit == 1.0


@pytest.mark.parametrize("payload", [
    {"type": "AnnotationCollection", "items": [annotation()]},
    {"type": "AnnotationPage", "items": [annotation()]},
    {"type": "AnnotationCollection", "first": {"type": "AnnotationPage",
                                               "items": [annotation()]}},
])
def test_collections_are_accepted(lesson, payload):
    assert one(lesson, payload).credit == 1.0


@pytest.mark.parametrize("payload, message", [
    ("not annotations", "got str"),
    (42, "got int"),
    ({"type": "AnnotationCollection"}, "AnnotationCollection"),
    ({"items": "nope"}, "'items' must be a list"),
    (annotation(), "single annotation"),
])
def test_payload_that_is_not_a_list_or_collection_raises(lesson, payload, message):
    with pytest.raises(AnnotationFormatError) as caught:
        score_annotations(lesson, payload)
    assert message in str(caught.value)


def test_bad_annotations_get_an_error_and_no_credit(lesson):
    payload = [
        "not an object",
        annotation(id="no-target", target=None) | {"target": None},
        {"id": "missing-target", "body": {"value": FULL_NOTE}},
        annotation(id="nowhere", target={"selector": {"type": "TextQuoteSelector",
                                                      "exact": "Russia has withdrawn its troops"}}),
        annotation(id="bad-body", body=[{"type": "TextualBody", "value": 12}]),
        annotation(id="fine"),
    ]
    results = score_annotations(lesson, payload).annotations
    assert [r.id for r in results] == [None, "no-target", "missing-target", "nowhere", "bad-body",
                                       "fine"]
    for bad in results[:-1]:
        assert bad.error and bad.credit == 0.0 and bad.item is None
    assert "not an object" in results[0].error
    assert "not found in the article" in results[3].error
    assert results[-1].error is None and results[-1].credit == 1.0


def test_ids_are_copied_and_order_kept(lesson):
    payload = [annotation(id=f"urn:x:{i}") for i in range(5)]
    assert [r.id for r in score_annotations(lesson, payload).annotations] == [
        f"urn:x:{i}" for i in range(5)]


def _junk(rng, depth: int = 0):
    choices = [None, True, 3, -1, 2.5, "", "x", "The recent coup", [], {}]
    if depth < 3:
        choices += [
            [_junk(rng, depth + 1) for _ in range(rng.randrange(3))],
            {k: _junk(rng, depth + 1) for k in rng.sample(
                ["type", "exact", "prefix", "suffix", "start", "end", "selector", "value",
                 "purpose", "body", "bodyValue", "target", "id", "items"], rng.randrange(4))},
        ]
    return rng.choice(choices)


def test_malformed_annotations_never_raise(lesson):
    import random

    rng = random.Random(2)
    payload = []
    for _ in range(400):
        base = annotation()
        key = rng.choice(["body", "bodyValue", "target", "id"])
        base[key] = _junk(rng)
        if rng.random() < 0.3:
            base["target"] = {"selector": [_junk(rng), {"type": "TextPositionSelector",
                                                        "start": _junk(rng), "end": _junk(rng)}]}
        payload.append(base)
    results = score_annotations(lesson, payload).annotations
    assert len(results) == len(payload)
    for result in results:
        assert result.credit in (0.0, 0.5, 1.0)
        assert (result.error is None) or result.credit == 0.0
