// Draw annotation highlights on the article: the CSS Custom Highlight API where the browser has it
// (no DOM changes, so offsets stay simple), else <mark> elements wrapped around the text.

import { rangeFor } from "./text-offsets.js";

export const HAS_HIGHLIGHT_API =
  typeof CSS !== "undefined" && "highlights" in CSS && typeof Highlight === "function";

function unwrapMarks(root, selector) {
  const parents = new Set();
  root.querySelectorAll(selector).forEach((mark) => {
    parents.add(mark.parentNode);
    mark.replaceWith(...mark.childNodes);
  });
  parents.forEach((p) => p.normalize());
}

function wrapRange(range, className, id) {
  const container = range.commonAncestorContainer.nodeType === Node.TEXT_NODE
    ? range.commonAncestorContainer.parentNode : range.commonAncestorContainer;
  const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
  const nodes = [];
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    if (range.intersectsNode(t)) nodes.push(t);
  }
  for (const t of nodes) {
    let node = t;
    const s = t === range.startContainer ? range.startOffset : 0;
    const e = t === range.endContainer ? range.endOffset : t.data.length;
    if (s >= e) continue;
    if (e < node.data.length) node.splitText(e);
    if (s > 0) node = node.splitText(s);
    const mark = document.createElement("mark");
    mark.className = className;
    mark.dataset.id = id;
    node.parentNode.insertBefore(mark, node);
    mark.appendChild(node);
  }
}

export class Highlighter {
  constructor(root) {
    this.root = root;
    // Server-drawn highlights (for pages without scripts) give way to the live ones.
    unwrapMarks(root, "mark.hl");
  }

  draw(annotations, activeId = null, extra = null) {
    if (HAS_HIGHLIGHT_API) {
      const all = new Highlight();
      const active = new Highlight();
      for (const a of annotations) {
        const r = rangeFor(this.root, a.start, a.end);
        (a.id === activeId ? active : all).add(r);
      }
      CSS.highlights.set("pf-annotation", all);
      CSS.highlights.set("pf-active", active);
      const sel = new Highlight();
      if (extra) sel.add(rangeFor(this.root, extra.start, extra.end));
      CSS.highlights.set("pf-pending", sel);
      return;
    }
    unwrapMarks(this.root, "mark.pf-mark");
    for (const a of annotations) {
      wrapRange(rangeFor(this.root, a.start, a.end),
        a.id === activeId ? "pf-mark is-active" : "pf-mark", a.id);
    }
    if (extra) wrapRange(rangeFor(this.root, extra.start, extra.end), "pf-mark is-pending", "");
  }
}
