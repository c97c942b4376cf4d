"""Markdown for instructor-written prose (teacher notes), rendered with markdown-it's safe preset.

The ``js-default`` preset leaves raw HTML out (it is shown as text) and refuses ``javascript:``,
``vbscript:`` and ``file:`` links, so the output can be marked safe; learner text never goes
through here (it is always autoescaped).
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markupsafe import Markup

_md = MarkdownIt("js-default")


def render_markdown(text: str | None) -> Markup:
    return Markup(_md.render(text or ""))  # noqa: S704 - html disabled, links validated
