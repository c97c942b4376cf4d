// Map between DOM positions in the article and code-point offsets into the served text.
// Every paragraph/heading element of the article carries data-start (its first code point); the
// text nodes inside it are exactly the served text, whatever elements wrap them.

export const BLOCK = ".article-para, .article-heading";

export function cpLen(s) {
  let n = 0;
  for (const _ of s) n += 1;
  return n;
}

// UTF-16 index of the code point `cp` in s.
function utf16Index(s, cp) {
  let i = 0;
  let n = 0;
  for (const ch of s) {
    if (n === cp) return i;
    i += ch.length;
    n += 1;
  }
  return s.length;
}

export function blocks(root) {
  return Array.from(root.querySelectorAll(BLOCK));
}

export function articleText(root) {
  return blocks(root).map((b) => b.textContent).join("\n\n");
}

// Code-point offset of a DOM boundary point (node, offset) inside `root`.
export function pointToOffset(root, node, offset) {
  const el = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
  const block = el && el.closest(BLOCK);
  if (block && root.contains(block)) {
    const r = document.createRange();
    r.setStart(block, 0);
    r.setEnd(node, offset);
    return Number(block.dataset.start) + cpLen(r.toString());
  }
  // Between blocks: snap to the nearest block boundary that follows.
  const all = blocks(root);
  for (const b of all) {
    const pos = node.compareDocumentPosition(b);
    const after = node === b.parentNode
      ? Array.prototype.indexOf.call(node.childNodes, b) >= offset
      : Boolean(pos & Node.DOCUMENT_POSITION_FOLLOWING) && !(pos & Node.DOCUMENT_POSITION_CONTAINED_BY);
    if (after) return Number(b.dataset.start);
  }
  return all.length ? Number(all[all.length - 1].dataset.end) : 0;
}

// The DOM point at code-point offset `cp`; at a paragraph gap, the next block's start
// (or, with preferEnd, the previous block's end).
export function offsetToPoint(root, cp, preferEnd = false) {
  const all = blocks(root);
  let block = all.find((b) => Number(b.dataset.start) <= cp && cp <= Number(b.dataset.end));
  if (!block) {
    if (preferEnd) {
      const before = all.filter((b) => Number(b.dataset.end) <= cp);
      block = before[before.length - 1] || all[0];
      cp = Number(block.dataset.end);
    } else {
      block = all.find((b) => Number(b.dataset.start) >= cp) || all[all.length - 1];
      cp = Number(block.dataset.start);
    }
  }
  let rest = cp - Number(block.dataset.start);
  const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
  let last = null;
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    const len = cpLen(t.data);
    if (rest < len || (rest === len && preferEnd)) return [t, utf16Index(t.data, rest)];
    rest -= len;
    last = t;
  }
  return last ? [last, last.data.length] : [block, 0];
}

export function rangeFor(root, start, end) {
  const [sn, so] = offsetToPoint(root, start, false);
  const [en, eo] = offsetToPoint(root, end, true);
  const r = document.createRange();
  r.setStart(sn, so);
  r.setEnd(en, eo);
  return r;
}

// Offsets of the part of a DOM Range that lies in the article (a drag that starts or ends just
// outside the text keeps its inside part), or null when it does not touch the article.
export function rangeToOffsets(root, range) {
  if (!range.intersectsNode(root)) return null;
  const all = blocks(root);
  if (!all.length) return null;
  const start = root.contains(range.startContainer)
    ? pointToOffset(root, range.startContainer, range.startOffset) : Number(all[0].dataset.start);
  const end = root.contains(range.endContainer)
    ? pointToOffset(root, range.endContainer, range.endOffset) : Number(all[all.length - 1].dataset.end);
  return end > start ? { start, end } : null;
}

// Offset under a screen point (for clicks on highlights).
export function offsetAtPoint(root, x, y) {
  let node = null;
  let offset = 0;
  if (document.caretPositionFromPoint) {
    const pos = document.caretPositionFromPoint(x, y);
    if (pos) { node = pos.offsetNode; offset = pos.offset; }
  } else if (document.caretRangeFromPoint) {
    const r = document.caretRangeFromPoint(x, y);
    if (r) { node = r.startContainer; offset = r.startOffset; }
  }
  if (!node || !root.contains(node)) return null;
  return pointToOffset(root, node, offset);
}
