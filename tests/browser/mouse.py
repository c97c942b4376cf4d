"""Selecting text with the mouse, as a reader does: one helper for every browser test."""

from __future__ import annotations

_FIND = """([id, phrase]) => {
  const root = document.getElementById(id);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    const i = t.data.indexOf(phrase);
    if (i < 0) continue;
    t.parentElement.scrollIntoView({block: 'center'});
    const r = document.createRange();
    r.setStart(t, i); r.setEnd(t, i + phrase.length);
    const rects = r.getClientRects();
    const a = rects[0], b = rects[rects.length - 1];
    return {x1: a.left + 1, y1: a.top + a.height / 2,
            x2: b.right - 1, y2: b.top + b.height / 2};
  }
  return null;
}"""


def phrase_box(page, phrase: str, container_id: str = "article") -> dict:
    """Screen coordinates of the first and last character of ``phrase`` in ``#container_id``."""
    box = page.evaluate(_FIND, [container_id, phrase])
    assert box, f"{phrase!r} not found in #{container_id}"
    return box


def drag_across(page, phrase: str, container_id: str = "article") -> None:
    """Drag the mouse across ``phrase`` inside ``#container_id``."""
    box = phrase_box(page, phrase, container_id)
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move((box["x1"] + box["x2"]) / 2, box["y2"], steps=4)
    page.mouse.move(box["x2"], box["y2"], steps=4)
    page.mouse.up()
