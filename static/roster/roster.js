// The roster grid: keep the keyboard where it was after an in-place edit replaces the row (htmx out-of-band swaps).
(function () {
  let lastCellId = null;
  // Remember the cell the keyboard is on: a swap replaces its <select>, and the user may have moved on meanwhile.
  document.addEventListener("focusin", function (event) {
    const el = event.target;
    if (el && el.id && el.id.startsWith("cell-") && el.closest(".roster-grid")) { lastCellId = el.id; }
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    // While a cell is being saved, a second change to it would race the first: hold the grid still.
    if (event.detail.elt && event.detail.elt.matches && event.detail.elt.matches(".roster-grid select")) {
      document.querySelector(".roster-grid").setAttribute("aria-busy", "true");
    }
  });
  document.addEventListener("htmx:afterSettle", function () {
    const grid = document.querySelector(".roster-grid");
    if (grid) { grid.removeAttribute("aria-busy"); }
    // Only when the swap took the focus away (it falls back to <body>): never pull it back from elsewhere.
    const active = document.activeElement;
    if (lastCellId && (!active || active === document.body)) {
      const again = document.getElementById(lastCellId);
      if (again) { again.focus(); }
    }
  });

  // Spreadsheet-like moves between cells. Plain arrows keep changing the focused <select>'s value (what browsers
  // and screen readers expect); Ctrl+arrows move, since Alt+arrows already open the list or go back in history.
  // Home/End go to the row's first/last date. An open list gets its keys itself, so none of this reaches it.
  const MOVES = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };

  function cellSelect(td) { return td ? td.querySelector("select") : null; }

  function rowCells(tr) { return Array.from(tr.cells).filter(cellSelect); }

  function target(select, key) {
    const td = select.closest("td");
    const tr = td.closest("tr");
    if (key === "Home" || key === "End") {
      const cells = rowCells(tr);
      return cellSelect(key === "Home" ? cells[0] : cells[cells.length - 1]);
    }
    const [down, across] = MOVES[key];
    if (across) {
      let next = across < 0 ? td.previousElementSibling : td.nextElementSibling;
      while (next && !cellSelect(next)) { next = across < 0 ? next.previousElementSibling : next.nextElementSibling; }
      return cellSelect(next);
    }
    let row = down < 0 ? tr.previousElementSibling : tr.nextElementSibling;
    while (row && !cellSelect(row.cells[td.cellIndex])) {
      row = down < 0 ? row.previousElementSibling : row.nextElementSibling;
    }
    return row ? cellSelect(row.cells[td.cellIndex]) : null;
  }

  document.addEventListener("keydown", function (event) {
    const select = event.target;
    if (!(select instanceof HTMLSelectElement) || !select.closest(".roster-grid tbody")) { return; }
    if (event.altKey || event.metaKey || event.shiftKey) { return; }
    const isMove = event.ctrlKey && event.key in MOVES;
    const isEnd = event.key === "Home" || event.key === "End";
    if (!isMove && !isEnd) { return; }
    // Also at the grid's edge: a Ctrl+arrow or Home/End must never change the cell's value.
    event.preventDefault();
    const next = target(select, event.key);
    if (next) {
      next.focus();
      next.scrollIntoView({ block: "nearest", inline: "nearest" });
    }
  });

  // The print page's button.
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });
})();
