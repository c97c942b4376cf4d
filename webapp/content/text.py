"""The article's plain text exactly as the app serves it, and its paragraphs.

Offsets in ``TextPositionSelector`` count Unicode code points into :func:`served_text`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BLANK_LINES = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)*")
_SENTENCE_END = (".", "?", "!", '"', "”", "’", "'")


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One paragraph of the served text, with its offsets and whether it reads as a heading."""

    index: int
    start: int
    end: int
    text: str
    is_heading: bool


def _split(raw: str) -> list[str]:
    raw = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    parts = [p.strip() for p in _BLANK_LINES.split(raw)]
    return [p for p in parts if p]


def served_text(raw: str) -> str:
    """Paragraphs stripped of surrounding whitespace, joined by one blank line."""
    return "\n\n".join(_split(raw))


def _is_heading(text: str) -> bool:
    return "\n" not in text and len(text) < 100 and not text.endswith(_SENTENCE_END)


def article_paragraphs(text: str) -> list[Paragraph]:
    """Split served text into paragraphs with their code-point offsets."""
    paragraphs: list[Paragraph] = []
    position = 0
    for index, part in enumerate(text.split("\n\n")):
        paragraphs.append(
            Paragraph(index, position, position + len(part), part, _is_heading(part))
        )
        position += len(part) + 2
    return paragraphs
