"""The article as the learner pages draw it: paragraphs, sentences and highlighted segments.

Every piece carries its code-point offsets into the served text, so the browser can turn a selection
into W3C positions without knowing anything else, and the no-JavaScript form can offer sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..content import article_paragraphs

# A sentence ends at . ? ! (with closing quotes/brackets) before whitespace, or at a line break.
_SENTENCE_END = re.compile(r"[.?!…]+[”\"’')\]]*(?=\s)|\n")


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Segment:
    start: int
    end: int
    text: str
    annotations: list[int] = field(default_factory=list)  # 1-based numbers of own annotations
    model: bool = False
    classmates: int = 0
    ends: list[int] = field(default_factory=list)  # own annotations that end with this segment

    @property
    def css(self) -> str:
        classes = []
        if self.annotations:
            classes.append("hl-own")
        if self.model:
            classes.append("hl-model")
        if self.classmates:
            classes.append("hl-class" if self.classmates < 3 else "hl-class hl-class-many")
        return " ".join(classes)


@dataclass(slots=True)
class SentenceView:
    sentence: Sentence
    segments: list[Segment]


@dataclass(slots=True)
class ParagraphView:
    index: int
    start: int
    end: int
    is_heading: bool
    sentences: list[SentenceView]


def sentences(text: str) -> list[Sentence]:
    """Every sentence of the article (headings are one sentence), in order."""
    out: list[Sentence] = []
    for para in article_paragraphs(text):
        pos = 0
        body = para.text
        cuts = [m.end() for m in _SENTENCE_END.finditer(body)] if not para.is_heading else []
        for cut in [*cuts, len(body)]:
            piece = body[pos:cut]
            lead = len(piece) - len(piece.lstrip())
            chunk = piece.strip()
            if chunk:
                start = para.start + pos + lead
                out.append(Sentence(len(out), start, start + len(chunk), chunk))
            pos = cut
    return out


def render_article(text: str, *, own: list[tuple[int, int]] = (),
                   model: list[tuple[int, int]] = (),
                   classmates: list[tuple[int, int]] = ()) -> list[ParagraphView]:
    """Paragraphs → sentences → segments, each segment knowing which highlights cover it."""
    all_sentences = sentences(text)
    views: list[ParagraphView] = []
    by_para = {p.index: p for p in article_paragraphs(text)}
    for para in by_para.values():
        inside = [s for s in all_sentences if para.start <= s.start < para.end]
        sentence_views = []
        for i, sentence in enumerate(inside):
            # Keep the whitespace between sentences inside the earlier one so the DOM text of
            # the paragraph is exactly the served text.
            end = inside[i + 1].start if i + 1 < len(inside) else para.end
            start = para.start if i == 0 else sentence.start
            sentence_views.append(SentenceView(
                Sentence(sentence.index, start, end, text[start:end]),
                _segments(text, start, end, own, model, classmates)))
        views.append(ParagraphView(para.index, para.start, para.end, para.is_heading,
                                   sentence_views))
    return views


def _segments(text: str, start: int, end: int, own, model, classmates) -> list[Segment]:
    cuts = {start, end}
    for spans in (own, model, classmates):
        for s, e in spans:
            if s < end and e > start:
                cuts.add(max(s, start))
                cuts.add(min(e, end))
    points = sorted(cuts)
    segments = []
    for a, b in zip(points, points[1:], strict=False):
        seg = Segment(a, b, text[a:b])
        seg.annotations = [n for n, (s, e) in enumerate(own, start=1) if s < b and e > a]
        seg.model = any(s < b and e > a for s, e in model)
        seg.classmates = sum(1 for s, e in classmates if s < b and e > a)
        seg.ends = [n for n, (s, e) in enumerate(own, start=1) if e == b]
        segments.append(seg)
    return segments


def excerpt(text: str, start: int, end: int, context: int = 60) -> tuple[str, str, str]:
    """(before, passage, after) around a passage, cut at word boundaries."""
    before = text[max(0, start - context):start]
    after = text[end:end + context]
    if start - context > 0 and " " in before:
        before = "…" + before[before.index(" ") + 1:]
    if end + context < len(text) and " " in after:
        after = after[:after.rindex(" ")] + "…"
    return before.replace("\n\n", " ¶ "), text[start:end], after.replace("\n\n", " ¶ ")
