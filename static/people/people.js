// People pages: the skills matrix moves with the arrow keys, and keeps the focus on a cell after it is saved.
(function () {
  function cellButton(table, row, column) {
    const tr = table.tBodies[0] && table.tBodies[0].rows[row];
    if (!tr) { return null; }
    const td = tr.cells[column];
    return td ? td.querySelector(".skill-toggle") : null;
  }

  document.addEventListener("keydown", function (event) {
    const button = event.target.closest && event.target.closest(".skills-matrix .skill-toggle");
    if (!button) { return; }
    const moves = {ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1]};
    const move = moves[event.key];
    if (!move) { return; }
    const td = button.closest("td");
    const tr = td.parentElement;
    const table = tr.closest("table");
    const next = cellButton(table, tr.sectionRowIndex + move[0], td.cellIndex + move[1]);
    if (next) {
      event.preventDefault();
      next.focus();
    }
  });

  // htmx replaces the cell: give the focus back to the new button, so Space can toggle it again.
  let focusedCell = null;
  document.addEventListener("htmx:beforeRequest", function () {
    const active = document.activeElement;
    const td = active && active.closest && active.closest(".skills-matrix td[id]");
    focusedCell = td ? td.id : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!focusedCell) { return; }
    const cell = document.getElementById(focusedCell);
    const button = cell && cell.querySelector(".skill-toggle");
    if (button) { button.focus(); }
    focusedCell = null;
  });
})();
