// Lesson editor: pick a passage by selecting it in the article, and add or remove entries of the
// editor's lists (prompts, rubric items, ideas, misreadings) without a round trip to the server.
// Everything here is an enhancement: without JavaScript the same buttons submit the form and the
// server adds or removes the entry, and passages are typed into their text boxes.

const status = document.getElementById("picker-status");

function announce(message) {
  if (status) status.textContent = message;
}

function oneLine(text) {
  return text.replace(/\s+/g, " ").trim();
}

// ---------------------------------------------------------------- the article as the app serves it

function paragraphsOf(raw) {
  return raw.replace(/\r\n?/g, "\n").replace(/\ufeff/g, "")
    .split(/\n[ \t]*\n(?:[ \t]*\n)*/).map((p) => p.trim()).filter(Boolean);
}

function renderPicker(picker, raw) {
  const fragment = document.createDocumentFragment();
  for (const text of paragraphsOf(raw)) {
    const p = document.createElement("p");
    p.textContent = text;
    fragment.appendChild(p);
  }
  picker.replaceChildren(fragment);
}

// ---------------------------------------------------------------- the selection in the article

let lastSelection = null; // {text, start, end} of the last selection made inside a picker

function offsetIn(picker, node, offset) {
  // Offset into the served text: the paragraph's data-start plus the offset inside it.
  const block = (node.nodeType === Node.TEXT_NODE ? node.parentElement : node)
    ?.closest("[data-start]");
  if (!block || !picker.contains(block)) return null;
  const range = document.createRange();
  range.selectNodeContents(block);
  range.setEnd(node, offset);
  return Number(block.dataset.start) + range.toString().length;
}

function readSelection() {
  const selection = window.getSelection();
  if (!selection || selection.isCollapsed || selection.rangeCount === 0) return;
  const range = selection.getRangeAt(0);
  const picker = range.commonAncestorContainer.nodeType === Node.TEXT_NODE
    ? range.commonAncestorContainer.parentElement.closest("[data-picker]")
    : range.commonAncestorContainer.closest?.("[data-picker]");
  if (!picker) return;
  const text = selection.toString();
  if (!text.trim()) return;
  const start = offsetIn(picker, range.startContainer, range.startOffset);
  const end = offsetIn(picker, range.endContainer, range.endOffset);
  if (lastSelection && lastSelection.text === text && lastSelection.start === start
      && lastSelection.end === end) return; // the same selection, reported again
  choose({ text, start, end });
}

let selectTimer = null;

function choose(selection) {
  lastSelection = selection;
  // Wait until the selection settles: a drag or Shift+arrows report every step, and each report
  // would be announced.
  clearTimeout(selectTimer);
  selectTimer = setTimeout(() => onSelect(lastSelection), 250);
}

let onSelect = () => {};

document.addEventListener("selectionchange", readSelection);

for (const element of document.querySelectorAll(".js-only[hidden]")) element.hidden = false;

// ---------------------------------------------------------------- the lesson editor

const editor = document.getElementById("lesson-form");

if (editor) {
  const source = editor.querySelector("[data-article-source]");
  const picker = document.getElementById("article-picker");
  if (source && picker) {
    let timer = null;
    source.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => renderPicker(picker, source.value), 200);
    });
    renderPicker(picker, source.value);
  }
  // The keyboard path: text selected with Shift and the arrow keys in the Article box counts too.
  source?.addEventListener("select", () => {
    const text = source.value.slice(source.selectionStart, source.selectionEnd);
    if (!text.trim()) return;
    choose({ text, start: null, end: null });
  });

  onSelect = (chosen) => announce(`Selected: “${oneLine(chosen.text).slice(0, 80)}”`);

  editor.addEventListener("click", (event) => {
    const pick = event.target.closest("[data-pick-into]");
    if (pick) {
      event.preventDefault();
      addPassage(pick);
      return;
    }
    const add = event.target.closest("[data-list-add]");
    if (add && addEntry(add.dataset.listAdd)) {
      event.preventDefault();
      return;
    }
    const remove = event.target.closest("[data-list-remove]");
    if (remove) {
      event.preventDefault();
      removeEntry(remove);
    }
  });
}

function addPassage(button) {
  const target = document.getElementById(button.dataset.pickInto);
  if (!target) return;
  if (!lastSelection) {
    announce("First select a passage in the article, then press the button again.");
    return;
  }
  const passage = oneLine(lastSelection.text);
  const lines = target.value.split("\n").map((l) => l.trim()).filter(Boolean);
  if (lines.includes(passage)) {
    announce("That passage is already in this item.");
    return;
  }
  lines.push(passage);
  target.value = lines.join("\n");
  target.dispatchEvent(new Event("input", { bubbles: true }));
  announce(`Passage added: “${passage.slice(0, 80)}”`);
}

// Entries are named like rubric-0-key_ideas-1-label (WTForms FieldList). A new entry is the list's
// <template> renamed to the next free index; the server reads any indices, gaps included.

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function renameTree(root, from, to) {
  const pattern = new RegExp(`${escapeRegExp(from)}(?=$|[-:\\s"])`, "g");
  const rename = (element) => {
    for (const attribute of Array.from(element.attributes)) {
      if (attribute.value.includes(from)) {
        element.setAttribute(attribute.name, attribute.value.replace(pattern, to));
      }
    }
    if (element.tagName === "TEMPLATE") {
      for (const child of element.content.querySelectorAll("*")) rename(child);
    }
  };
  for (const element of root.querySelectorAll("*")) rename(element);
}

function entriesOf(container) {
  return Array.from(container.children).filter((el) => el.matches("[data-entry]"));
}

function addEntry(listName) {
  const container = document.querySelector(`[data-list="${CSS.escape(listName)}"]`);
  const template = container?.querySelector(`:scope > template[data-template-for="${CSS.escape(listName)}"]`);
  if (!container || !template) return false;
  const fresh = template.content.firstElementChild?.cloneNode(true);
  if (!fresh) return false;
  const indices = entriesOf(container).map((el) => Number(el.dataset.entry.slice(listName.length + 1)));
  const templateIndex = Number(fresh.dataset.entry.slice(listName.length + 1));
  const next = Math.max(templateIndex, ...indices.map((i) => i + 1), 0);
  const holder = document.createElement("div");
  holder.appendChild(fresh);
  renameTree(holder, `${listName}-${templateIndex}`, `${listName}-${next}`);
  container.insertBefore(fresh, template);
  const first = fresh.querySelector("input:not([type=hidden]), textarea, select");
  if (first) first.focus();
  announce("Added. Fill it in, then save the lesson.");
  return true;
}

function removeEntry(button) {
  const entry = button.closest("[data-entry]");
  if (!entry) return;
  const container = entry.parentElement;
  const heading = container.closest("fieldset, form");
  entry.remove();
  const next = entriesOf(container)[0]?.querySelector("input, textarea")
    || heading?.querySelector(`[data-list-add]`);
  if (next) next.focus();
  announce("Removed. Save the lesson to keep the change.");
}

// ---------------------------------------------------------------- try the rubric

const tryExact = document.querySelector("[data-try-exact]");

if (tryExact) {
  const start = document.querySelector("[data-try-start]");
  const end = document.querySelector("[data-try-end]");
  onSelect = (chosen) => {
    tryExact.value = chosen.text;
    start.value = chosen.start ?? "";
    end.value = chosen.end ?? "";
    announce(`Passage chosen: “${oneLine(chosen.text).slice(0, 80)}”`);
  };
  tryExact.addEventListener("input", () => {
    start.value = "";
    end.value = "";
  });
  document.getElementById("try-result")?.focus();
}
