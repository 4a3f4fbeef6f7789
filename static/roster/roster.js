// The roster grid: keep the keyboard where it was after an in-place edit replaces the row (htmx out-of-band swaps).
(function () {
  let focusedId = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    const active = document.activeElement;
    focusedId = active && active.id && active.id.startsWith("cell-") ? active.id : null;
    // While a cell is being saved, a second change to it would race the first: hold the grid still.
    if (event.detail.elt && event.detail.elt.matches && event.detail.elt.matches(".roster-grid select")) {
      document.querySelector(".roster-grid").setAttribute("aria-busy", "true");
    }
  });
  document.addEventListener("htmx:afterSettle", function () {
    const grid = document.querySelector(".roster-grid");
    if (grid) { grid.removeAttribute("aria-busy"); }
    if (focusedId) {
      const again = document.getElementById(focusedId);
      if (again && document.activeElement !== again) { again.focus(); }
    }
  });
  // The print page's button.
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });
})();
