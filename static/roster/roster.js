// The roster grid (roster/views/grid.py). Cells are text; one shared <select>, the editor (#grid-editor), comes to
// the cell being edited: a click, Tab into the grid, or a keyboard move brings it there with the choices of that
// date (#grid-options). Changing its value posts the cell (htmx); the answer replaces the rows whose problems
// changed, the coverage and the problem list out of band, the editor's own row updated around it.
(function () {
  let choices = null; // {date: {q: [[value, label]], n: [...]}}: "q" for a qualified agent, "n" for a new hire
  let kept = null; // the cell's own content while the editor stands in it

  function editor() { return document.getElementById("grid-editor"); }

  function table() { return document.querySelector(".roster-grid[data-editable]"); }

  function dateOf(td) {
    const grid = table();
    const head = grid && grid.tHead ? grid.tHead.rows[0].cells[td.cellIndex] : null;
    return head ? head.dataset.date : undefined;
  }

  // A date cell of the editable grid's body (not a name, total or coverage cell).
  function isCell(td) {
    return Boolean(td && td.tagName === "TD" && td.parentElement.parentElement.tagName === "TBODY"
      && td.closest(".roster-grid[data-editable]") && dateOf(td));
  }

  function textOf(td) {
    const first = td.firstChild;
    return first && first.nodeType === Node.TEXT_NODE ? first.data : "";
  }

  function nameOf(tr) {
    const first = tr.cells[0].firstChild;
    return first && first.nodeType === Node.TEXT_NODE ? first.data.trim() : tr.cells[0].textContent.trim();
  }

  // Put the cell's own content back and send the editor home (hidden, outside the table).
  function leave() {
    const select = editor();
    const td = select.parentElement;
    if (td && td.tagName === "TD") {
      td.classList.remove("editing");
      td.replaceChildren.apply(td, kept || []);
    }
    kept = null;
    document.getElementById("grid-editor-home").appendChild(select);
  }

  // The editor's choices for the cell's date (a new hire's include shadowing), the cell's text selected.
  function fill(select, tr, date, text) {
    if (!choices) { choices = JSON.parse(document.getElementById("grid-options").textContent); }
    const list = choices[date][tr.classList.contains("new-hire") ? "n" : "q"];
    const options = list.map(function (pair) { return new Option(pair[1], pair[0], false, pair[1] === text); });
    if (text && !list.some(function (pair) { return pair[1] === text; })) {
      // A value this person cannot be given any more (e.g. a qualified agent as a shadow): shown, not offered.
      const current = new Option(text, "", true, true);
      current.disabled = true;
      options.unshift(current);
    }
    select.replaceChildren.apply(select, options);
  }

  function place(td, focus) {
    const select = editor();
    if (select.parentElement !== td) {
      leave();
      const tr = td.parentElement;
      const date = dateOf(td);
      fill(select, tr, date, textOf(td));
      select.dataset.agent = tr.id.slice("row-".length);
      select.dataset.date = date;
      select.setAttribute("aria-label", nameOf(tr) + " " + date);
      kept = Array.from(td.childNodes);
      td.replaceChildren(select);
      td.classList.add("editing");
      // The editor is the grid's tab stop from now on.
      td.removeAttribute("tabindex");
    }
    if (focus) {
      select.focus();
      select.scrollIntoView({ block: "nearest", inline: "nearest" });
    }
  }

  // Tab into the grid lands on its first cell, which calls the editor.
  function start() {
    const grid = table();
    if (!grid || !editor() || editor().closest(".roster-grid")) { return; }
    const first = Array.from(grid.tBodies[0].rows[0] ? grid.tBodies[0].rows[0].cells : []).find(isCell);
    if (first) { first.tabIndex = 0; }
  }

  document.addEventListener("DOMContentLoaded", start);
  if (document.readyState !== "loading") { start(); }

  document.addEventListener("focusin", function (event) {
    if (isCell(event.target)) { place(event.target, true); }
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); return; }
    const td = event.target.closest("td");
    if (!isCell(td) || event.target === editor()) { return; }
    place(td, true);
    // One click opens the choices where the browser allows it.
    try { editor().showPicker(); } catch (error) { /* older browsers: the editor is focused, Space opens it */ }
  });

  // The cell a change is for is taken when it happens: the user may move on before a queued request is sent.
  document.addEventListener("change", function (event) {
    const select = editor();
    if (event.target !== select) { return; }
    event.gridCell = { profile: select.dataset.agent, date: select.dataset.date, value: select.value };
    table().setAttribute("aria-busy", "true");
  }, true);

  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.elt !== editor()) { return; }
    const cell = event.detail.triggeringEvent && event.detail.triggeringEvent.gridCell;
    if (!cell) { event.preventDefault(); return; }
    event.detail.parameters.profile = cell.profile;
    event.detail.parameters.date = cell.date;
    event.detail.parameters.value = cell.value;
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.elt === editor() && table()) { table().removeAttribute("aria-busy"); }
  });

  // An answer replaces the rows whose problems changed. The row the editor stands in is updated in place instead,
  // cell by cell around the editor: moving the editor out and back would take the keyboard from it, and keys
  // pressed meanwhile would be lost.
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    const select = editor();
    const old = event.detail.target;
    const fresh = event.detail.fragment && event.detail.fragment.querySelector("tr");
    if (!select || !fresh || !old.contains(select)) { return; }
    event.detail.shouldSwap = false;
    Array.from(old.attributes).forEach(function (a) { if (a.name !== "id") { old.removeAttribute(a.name); } });
    Array.from(fresh.attributes).forEach(function (a) {
      if (a.name !== "hx-swap-oob") { old.setAttribute(a.name, a.value); }
    });
    const editing = select.parentElement;
    Array.from(fresh.cells).forEach(function (cell, i) {
      const current = old.cells[i];
      if (current !== editing) {
        current.replaceWith(cell);
        return;
      }
      Array.from(current.attributes).forEach(function (a) { current.removeAttribute(a.name); });
      Array.from(cell.attributes).forEach(function (a) { current.setAttribute(a.name, a.value); });
      current.classList.add("editing");
      kept = Array.from(cell.childNodes);
      fill(select, old, select.dataset.date, textOf(cell)); // what the server now holds for the cell
    });
  });

  // Spreadsheet-like moves between cells. Plain arrows keep changing the editor's value (what browsers and screen
  // readers expect of a <select>); Ctrl+arrows move, since Alt+arrows already open the list or go back in history.
  // Home/End go to the row's first/last date. An open list gets its keys itself, so none of this reaches it.
  const MOVES = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };

  function target(td, key) {
    const tr = td.parentElement;
    const cells = Array.from(tr.cells).filter(isCell);
    if (key === "Home" || key === "End") { return key === "Home" ? cells[0] : cells[cells.length - 1]; }
    const [down, across] = MOVES[key];
    if (across) { return cells[cells.indexOf(td) + across] || null; }
    let row = down < 0 ? tr.previousElementSibling : tr.nextElementSibling;
    while (row && !isCell(row.cells[td.cellIndex])) {
      row = down < 0 ? row.previousElementSibling : row.nextElementSibling;
    }
    return row ? row.cells[td.cellIndex] : null;
  }

  document.addEventListener("keydown", function (event) {
    const select = editor();
    if (event.target !== select || !select.closest(".roster-grid tbody")) { return; }
    if (event.altKey || event.metaKey || event.shiftKey) { return; }
    const isMove = event.ctrlKey && event.key in MOVES;
    const isEnd = event.key === "Home" || event.key === "End";
    if (!isMove && !isEnd) { return; }
    // Also at the grid's edge: a Ctrl+arrow or Home/End must never change the cell's value.
    event.preventDefault();
    const next = target(select.parentElement, event.key);
    if (next) { place(next, true); }
  });
})();
