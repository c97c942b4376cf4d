"""How the learner pages cut the article: sentences for the keyboard and no-JS paths, segments."""

from __future__ import annotations

from webapp.learner.text import excerpt, render_article, sentences

TEXT = ("1. A heading:\n\n"
        "He said “It is over.” Then he left! Did it work? Yes.\n"
        "A new line here\n\n"
        "Last paragraph… with an ellipsis. The end.")


def test_sentences_cover_the_text_with_offsets():
    found = sentences(TEXT)
    assert [s.text for s in found] == [
        "1. A heading:", "He said “It is over.”", "Then he left!", "Did it work?", "Yes.",
        "A new line here", "Last paragraph…", "with an ellipsis.", "The end."]
    for s in found:
        assert TEXT[s.start:s.end] == s.text
    assert [s.index for s in found] == list(range(len(found)))


def test_rendered_paragraphs_hold_exactly_the_text():
    views = render_article(TEXT, own=[(18, 40)], model=[(30, 60)], classmates=[(0, 5)])
    assert [v.is_heading for v in views] == [True, False, False]
    for view in views:
        joined = "".join(seg.text for sv in view.sentences for seg in sv.segments)
        assert joined == TEXT[view.start:view.end]
    segments = [seg for v in views for sv in v.sentences for seg in sv.segments]
    own = "".join(seg.text for seg in segments if seg.annotations == [1])
    assert own == TEXT[18:40]
    both = [seg for seg in segments if seg.annotations and seg.model]
    assert "".join(seg.text for seg in both) == TEXT[30:40]
    assert all("hl-own" in seg.css and "hl-model" in seg.css for seg in both)
    assert [seg.ends for seg in segments if seg.ends] == [[1]]
    assert segments[0].classmates == 1 and "hl-class" in segments[0].css


def test_excerpt_cuts_at_words():
    text = "word " * 40 + "TARGET" + " word" * 40
    start = text.index("TARGET")
    before, passage, after = excerpt(text, start, start + 6, context=20)
    assert passage == "TARGET"
    assert before.startswith("…") and after.endswith("…")
    assert not before[1:].startswith(" ") and len(before) <= 21
