// The reading view: select a passage (mouse or sentence-by-sentence with the keyboard), attach it
// to a prompt with an explanation, and save every change to the server at once.

import { Highlighter } from "./highlights.js";
import {
  articleText, offsetAtPoint, rangeToOffsets,
} from "./text-offsets.js";

const reader = document.getElementById("reader");
const article = document.getElementById("article");
const statusBox = document.getElementById("status");
const listEl = document.getElementById("annotation-list");
const emptyEl = document.getElementById("no-annotations");
const countEl = document.getElementById("annotation-count");
const floatBtn = document.getElementById("annotate-float");
const modeBtn = document.getElementById("sentence-mode");
const dialog = document.getElementById("editor");
const form = document.getElementById("editor-form");
const quoteEl = document.getElementById("editor-quote");
const promptSel = document.getElementById("editor-prompt");
const noteEl = document.getElementById("editor-note");
const wordsEl = document.getElementById("editor-words");
const wordsField = document.getElementById("editor-words-field");
const noteCount = document.getElementById("editor-note-count");
const deleteBtn = document.getElementById("editor-delete");
const titleEl = document.getElementById("editor-title");

const API = reader.dataset.api;
const NOTE_MAX = Number(reader.dataset.noteMax);
const CSRF = document.querySelector('meta[name="csrf-token"]').content;

const text = Array.from(articleText(article));
const slice = (s, e) => text.slice(s, e).join("");
const promptLabels = new Map(
  Array.from(promptSel.options).filter((o) => o.value).map((o, i) => [o.value, `Prompt ${i + 1}`]),
);

let annotations = Array.from(listEl.querySelectorAll("li[data-id]")).map((li) => ({
  id: li.dataset.id,
  start: Number(li.dataset.start),
  end: Number(li.dataset.end),
  prompt_id: li.dataset.prompt || null,
  exact: li.dataset.exact,
  note: li.querySelector(".ann-note").textContent,
}));

const highlighter = new Highlighter(article);
let activeId = null;
let pending = null; // {start, end} of a selection being annotated
let editing = null; // annotation being edited
let newId = null; // id chosen for the annotation being written, so a retried save is stored once

function freshId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
let returnFocus = null;

// --- status messages ---------------------------------------------------------------------------

let statusTimer = null;
function say(message, kind = "info") {
  statusBox.textContent = message;
  statusBox.dataset.kind = kind;
  statusBox.classList.add("is-visible");
  clearTimeout(statusTimer);
  if (kind !== "error") {
    statusTimer = setTimeout(() => statusBox.classList.remove("is-visible"), 4000);
  }
}

// --- server ------------------------------------------------------------------------------------

async function call(method, url, body) {
  let response;
  try {
    response = await fetch(url, {
      method,
      headers: { "Content-Type": "application/json", "X-CSRFToken": CSRF, Accept: "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch {
    throw { field: null, message: "Could not reach the server. Nothing was lost: try again." };
  }
  let data = {};
  try { data = await response.json(); } catch { /* keep {} */ }
  if (!response.ok) {
    throw { field: data.field || null, message: data.message || `The server answered ${response.status}.` };
  }
  return data;
}

// --- drawing -----------------------------------------------------------------------------------

function redraw() {
  highlighter.draw(annotations, activeId, dialog.open && !editing ? pending : null);
}

function markActive() {
  for (const li of listEl.children) li.classList.toggle("is-active", li.dataset.id === activeId);
}

function renderList() {
  listEl.replaceChildren();
  const sorted = [...annotations].sort((a, b) => a.start - b.start || a.end - b.end);
  for (const a of sorted) {
    const li = document.createElement("li");
    li.className = "annotation-item";
    li.id = `ann-${a.id}`;
    li.dataset.id = a.id;
    if (a.id === activeId) li.classList.add("is-active");
    const quote = document.createElement("blockquote");
    quote.className = "quote";
    quote.textContent = a.exact;
    const prompt = document.createElement("p");
    prompt.className = "ann-prompt";
    prompt.textContent = promptLabels.get(a.prompt_id) || "";
    const note = document.createElement("p");
    note.className = "ann-note";
    note.textContent = a.note;
    const actions = document.createElement("div");
    actions.className = "ann-actions";
    const edit = document.createElement("button");
    edit.type = "button";
    edit.className = "button button-small button-quiet";
    edit.textContent = "Edit";
    edit.dataset.editId = a.id;
    edit.setAttribute("aria-label", `Edit annotation on “${a.exact.slice(0, 40)}”`);
    edit.addEventListener("click", () => openEditor(a, edit));
    const del = document.createElement("button");
    del.type = "button";
    del.className = "button button-small button-quiet";
    del.textContent = "Delete";
    del.setAttribute("aria-label", `Delete annotation on “${a.exact.slice(0, 40)}”`);
    del.addEventListener("click", () => remove(a));
    actions.append(edit, del);
    li.append(quote, prompt, note, actions);
    listEl.append(li);
  }
  emptyEl.hidden = annotations.length > 0;
  countEl.textContent = `(${annotations.length})`;
}

// --- unsaved notes survive a reload -------------------------------------------------------------
// Annotations are saved on the server as soon as they are saved; a note still being written in the
// editor is kept in this browser until it is saved or cancelled.

const UNSAVED_KEY = `premise-finder:unsaved:${location.pathname}`;

function rememberUnsaved() {
  if (!dialog.open) return;
  try {
    localStorage.setItem(UNSAVED_KEY, JSON.stringify({
      editing: editing ? editing.id : null, pending, prompt_id: promptSel.value, note: noteEl.value,
    }));
  } catch { /* storage full or disabled: nothing to do */ }
}

function forgetUnsaved() {
  try { localStorage.removeItem(UNSAVED_KEY); } catch { /* ignore */ }
}

function restoreUnsaved() {
  let saved = null;
  try { saved = JSON.parse(localStorage.getItem(UNSAVED_KEY) || "null"); } catch { saved = null; }
  if (!saved || !saved.note) return;
  const target = saved.editing ? annotations.find((a) => a.id === saved.editing) : null;
  if (saved.editing && !target) { forgetUnsaved(); return; }
  if (!target) {
    if (!saved.pending || !(saved.pending.end > saved.pending.start) || saved.pending.end > text.length) {
      forgetUnsaved();
      return;
    }
    pending = saved.pending;
  }
  openEditor(target, null);
  promptSel.value = saved.prompt_id || "";
  noteEl.value = saved.note;
  updateCount();
  say("Restored the note you had not saved yet. Save it or cancel.");
}

// --- the editor dialog -------------------------------------------------------------------------

function showFieldError(field, message) {
  const ids = { note: "editor-note-error", prompt_id: "editor-prompt-error", words: "editor-words-error" };
  const el = document.getElementById(ids[field] || "editor-error");
  el.textContent = message;
  el.hidden = false;
  if (field === "note") noteEl.setAttribute("aria-invalid", "true");
  if (field === "prompt_id") promptSel.setAttribute("aria-invalid", "true");
  if (field === "words") wordsEl.setAttribute("aria-invalid", "true");
  ({ prompt_id: promptSel, words: wordsEl }[field] || noteEl).focus();
}

function clearErrors() {
  for (const id of ["editor-note-error", "editor-prompt-error", "editor-words-error", "editor-error"]) {
    const el = document.getElementById(id);
    el.hidden = true;
    el.textContent = "";
  }
  noteEl.removeAttribute("aria-invalid");
  promptSel.removeAttribute("aria-invalid");
  wordsEl.removeAttribute("aria-invalid");
}

// The part of the pending passage the learner narrowed it to (or all of it); null if not in it.
function narrowed() {
  const words = wordsEl.value.trim();
  if (!words) return pending;
  const passage = slice(pending.start, pending.end);
  let at = passage.indexOf(words);
  if (at < 0) at = passage.toLowerCase().indexOf(words.toLowerCase());
  if (at < 0) return null;
  const start = pending.start + Array.from(passage.slice(0, at)).length;
  return { start, end: start + Array.from(words).length };
}

function updateCount() {
  const n = Array.from(noteEl.value).length;
  noteCount.textContent = `${n.toLocaleString()} of ${NOTE_MAX.toLocaleString()} characters`;
  noteCount.classList.toggle("is-over", n > NOTE_MAX);
}

function openEditor(annotation, opener) {
  returnFocus = opener || document.activeElement;
  editing = annotation;
  clearErrors();
  hideFloat();
  if (annotation) {
    activeId = annotation.id;
    titleEl.textContent = "Edit annotation";
    quoteEl.textContent = annotation.exact;
    promptSel.value = annotation.prompt_id || "";
    noteEl.value = annotation.note;
    deleteBtn.hidden = false;
    wordsField.hidden = true;
  } else {
    newId = freshId();
    wordsField.hidden = false;
    wordsEl.value = "";
    titleEl.textContent = "New annotation";
    quoteEl.textContent = slice(pending.start, pending.end).trim();
    if (!promptSel.value) promptSel.value = "";
    noteEl.value = "";
    deleteBtn.hidden = true;
  }
  updateCount();
  dialog.showModal();
  redraw();
  markActive();
  (annotation || promptSel.value ? noteEl : promptSel).focus();
}

function closeEditor() {
  if (dialog.open) dialog.close();
}

// Put focus back where the editor was opened from (or on the annotation's own Edit button).
function focusAfterEdit(back, id) {
  if (back && document.contains(back)) { back.focus(); return; }
  const editId = back && back.dataset ? back.dataset.editId : null;
  const again = editId ? listEl.querySelector(`[data-edit-id="${editId}"]`) : null;
  const own = id ? listEl.querySelector(`[data-edit-id="${id}"]`) : null;
  (again || own)?.focus();
}

dialog.addEventListener("close", () => {
  // The close event is queued: a learner quick enough to reopen the editor (Cancel, then Enter on
  // the Edit button the browser has already refocused) must not have the new session cleared.
  if (dialog.open) return;
  editing = null;
  pending = null;
  redraw();
  if (returnFocus) focusAfterEdit(returnFocus, null);
  returnFocus = null;
});

document.getElementById("editor-cancel").addEventListener("click", () => {
  forgetUnsaved();
  closeEditor();
});
dialog.addEventListener("cancel", forgetUnsaved); // Escape
noteEl.addEventListener("input", () => { updateCount(); rememberUnsaved(); });
promptSel.addEventListener("change", rememberUnsaved);

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors();
  const body = { prompt_id: promptSel.value || null, note: noteEl.value };
  if (!body.prompt_id) { showFieldError("prompt_id", "Choose the prompt this annotation answers."); return; }
  if (!body.note.trim()) { showFieldError("note", "Write what the passage takes for granted before saving: the explanation is empty."); return; }
  say("Saving…");
  try {
    if (editing) {
      const saved = await call("PATCH", `/api/annotations/${editing.id}`, body);
      annotations = annotations.map((a) => (a.id === saved.id ? saved : a));
      activeId = saved.id;
    } else {
      const span = narrowed();
      if (!span) {
        showFieldError("words", "These words are not in the selected passage. Copy them exactly, or leave this empty to annotate the whole passage.");
        say("These words are not in the selected passage.", "error");
        return;
      }
      const saved = await call("POST", `${API}/annotations`, { ...body, id: newId, start: span.start, end: span.end, exact: slice(span.start, span.end) });
      annotations.push(saved);
      activeId = saved.id;
      window.getSelection().removeAllRanges();
    }
    const back = returnFocus;
    returnFocus = null; // focus is handled here, after the list is redrawn
    forgetUnsaved();
    renderList();
    closeEditor();
    redraw();
    focusAfterEdit(back, activeId);
    say("Saved.", "success");
  } catch (error) {
    showFieldError(error.field, error.message);
    say(error.message, "error");
  }
});

async function remove(annotation) {
  say("Deleting…");
  try {
    await call("DELETE", `/api/annotations/${annotation.id}`);
    annotations = annotations.filter((a) => a.id !== annotation.id);
    if (activeId === annotation.id) activeId = null;
    if (dialog.open) { returnFocus = null; forgetUnsaved(); closeEditor(); }
    renderList();
    redraw();
    (listEl.querySelector("button") || document.getElementById("annotations-title")).focus();
    say("Annotation deleted.", "success");
  } catch (error) {
    say(error.message, "error");
  }
}

deleteBtn.addEventListener("click", () => { if (editing) remove(editing); });

// --- mouse selection ---------------------------------------------------------------------------

function hideFloat() { floatBtn.hidden = true; }

function selectionOffsets() {
  const sel = window.getSelection();
  if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
  const offsets = rangeToOffsets(article, sel.getRangeAt(0));
  if (!offsets || !slice(offsets.start, offsets.end).trim()) return null;
  return offsets;
}

function placeFloat() {
  if (sentenceMode) return;
  const offsets = selectionOffsets();
  if (!offsets) { hideFloat(); return; }
  const rects = window.getSelection().getRangeAt(0).getClientRects();
  const last = rects[rects.length - 1];
  const host = floatBtn.offsetParent || document.body;
  const box = host.getBoundingClientRect();
  floatBtn.style.top = `${last.bottom - box.top + 6}px`;
  floatBtn.style.left = `${Math.max(0, Math.min(last.right - box.left - 40, box.width - 110))}px`;
  floatBtn.hidden = false;
}

let selTimer = null;
document.addEventListener("selectionchange", () => {
  clearTimeout(selTimer);
  selTimer = setTimeout(placeFloat, 120);
});
article.addEventListener("mouseup", () => setTimeout(placeFloat, 0));

// Keep the selection when the button is pressed.
floatBtn.addEventListener("mousedown", (event) => event.preventDefault());
floatBtn.addEventListener("click", () => {
  const offsets = selectionOffsets();
  if (!offsets) { hideFloat(); return; }
  pending = offsets;
  openEditor(null, null);
});

// Clicking a highlight opens its note.
article.addEventListener("click", (event) => {
  if (sentenceMode || !window.getSelection().isCollapsed) return;
  let at = null;
  const mark = event.target.closest && event.target.closest("mark.pf-mark[data-id]");
  if (mark && mark.dataset.id) {
    const a = annotations.find((x) => x.id === mark.dataset.id);
    if (a) { openEditor(a, null); return; }
  }
  at = offsetAtPoint(article, event.clientX, event.clientY);
  if (at === null) return;
  const hits = annotations.filter((a) => a.start <= at && at < a.end)
    .sort((a, b) => (a.end - a.start) - (b.end - b.start));
  if (hits.length) openEditor(hits[0], null);
});

// --- keyboard: select by sentence --------------------------------------------------------------

const sentences = Array.from(article.querySelectorAll(".sentence")).map((el) => {
  const start = Number(el.dataset.start);
  const end = Number(el.dataset.end);
  const raw = slice(start, end);
  const lead = raw.length - raw.trimStart().length;
  const trail = raw.length - raw.trimEnd().length;
  return { el, start: start + Array.from(raw.slice(0, lead)).length,
    end: end - Array.from(raw.slice(raw.length - trail)).length };
});
let sentenceMode = false;
let anchorIdx = 0;
let focusIdx = 0;

function markSentences() {
  const lo = Math.min(anchorIdx, focusIdx);
  const hi = Math.max(anchorIdx, focusIdx);
  sentences.forEach((s, i) => s.el.classList.toggle("is-kbd-selected", sentenceMode && i >= lo && i <= hi));
  sentences[focusIdx]?.el.scrollIntoView({ block: "nearest" });
}

function announceSelection() {
  const lo = Math.min(anchorIdx, focusIdx);
  const hi = Math.max(anchorIdx, focusIdx);
  const label = lo === hi ? `Sentence ${lo + 1} of ${sentences.length}` : `Sentences ${lo + 1} to ${hi + 1} of ${sentences.length}`;
  say(`${label}: ${slice(sentences[focusIdx].start, sentences[focusIdx].end)}`);
}

function setSentenceMode(on) {
  sentenceMode = on;
  modeBtn.setAttribute("aria-pressed", String(on));
  modeBtn.textContent = on ? "Stop selecting by sentence" : "Select by sentence";
  article.classList.toggle("is-sentence-mode", on);
  if (on) {
    article.tabIndex = 0;
    article.setAttribute("role", "textbox");
    article.setAttribute("aria-readonly", "true");
    article.setAttribute("aria-multiline", "true");
    article.setAttribute("aria-label", "Article. Up and down arrows move by sentence, Shift extends, Enter annotates, Escape stops.");
    hideFloat();
    article.focus();
    markSentences();
    announceSelection();
  } else {
    article.removeAttribute("tabindex");
    article.removeAttribute("role");
    article.removeAttribute("aria-readonly");
    article.removeAttribute("aria-multiline");
    article.removeAttribute("aria-label");
    markSentences();
  }
}

modeBtn.addEventListener("click", () => setSentenceMode(!sentenceMode));

article.addEventListener("keydown", (event) => {
  if (!sentenceMode) return;
  const moves = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 };
  if (event.key in moves) {
    event.preventDefault();
    focusIdx = Math.max(0, Math.min(sentences.length - 1, focusIdx + moves[event.key]));
    if (!event.shiftKey) anchorIdx = focusIdx;
    markSentences();
    announceSelection();
  } else if (event.key === "Home" || event.key === "End") {
    event.preventDefault();
    focusIdx = event.key === "Home" ? 0 : sentences.length - 1;
    if (!event.shiftKey) anchorIdx = focusIdx;
    markSentences();
    announceSelection();
  } else if (event.key === "Enter" || event.key === " ") {
    event.preventDefault();
    const lo = sentences[Math.min(anchorIdx, focusIdx)];
    const hi = sentences[Math.max(anchorIdx, focusIdx)];
    const existing = annotations.find((a) => a.start === lo.start && a.end === hi.end);
    if (existing) { openEditor(existing, article); return; }
    pending = { start: lo.start, end: hi.end };
    openEditor(null, article);
  } else if (event.key === "Escape") {
    event.preventDefault();
    setSentenceMode(false);
    modeBtn.focus();
  }
});

// --- hints -------------------------------------------------------------------------------------

for (const hintForm of document.querySelectorAll(".hint-form")) {
  hintForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const promptId = hintForm.querySelector('[name="prompt_id"]').value;
    const item = hintForm.closest(".prompt");
    const button = hintForm.querySelector("button");
    try {
      const data = await call("POST", `${API}/hints`, { prompt_id: promptId });
      const list = item.querySelector(".hint-list");
      list.replaceChildren(...data.hints.map((h) => {
        const li = document.createElement("li");
        li.className = "hint";
        li.textContent = h;
        return li;
      }));
      const newest = list.lastElementChild;
      say(`Hint ${data.revealed} of ${data.total}: ${data.hints[data.hints.length - 1]}`);
      if (data.revealed >= data.total) {
        newest.tabIndex = -1;
        hintForm.remove();
        newest.focus();
      } else {
        button.textContent = `Show a hint (${data.revealed + 1} of ${data.total})`;
      }
    } catch (error) {
      say(error.message, "error");
    }
  });
}

// --- start -------------------------------------------------------------------------------------

const plain = document.getElementById("plain-annotate");
if (plain && !plain.querySelector(".field-error")) plain.open = false;
renderList();
redraw();
reader.classList.add("is-enhanced");
restoreUnsaved();
if (!dialog.open) placeFloat(); // text selected before this script ran
