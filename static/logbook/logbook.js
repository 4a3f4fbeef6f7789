// logbook: the entry form shows the fields each kind needs; Ctrl+Enter saves; the complaint chart.
(function () {
  "use strict";

  function checked(form, name) {
    const input = form.querySelector("input[name=" + name + "]:checked");
    return input ? input.value : "";
  }

  function toggle(form) {
    const kind = checked(form, "kind");
    const status = checked(form, "status");
    form.querySelectorAll(".when-task").forEach(function (el) { el.hidden = kind !== "task"; });
    form.querySelectorAll(".when-complaint").forEach(function (el) { el.hidden = kind !== "complaint"; });
    form.querySelectorAll(".when-open").forEach(function (el) { el.hidden = status !== "open"; });
  }

  document.querySelectorAll("form.entry-form").forEach(function (form) {
    toggle(form);
    // Back at the form after saving an entry (…/today/#entry-form): the next one is typed at once.
    if (window.location.hash === "#entry-form" && form.closest("#entry-form")) {
      const content = form.querySelector("[name=content]");
      if (content) content.focus();
    }
    form.addEventListener("change", function () { toggle(form); });
    form.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
  });

  const data = document.getElementById("complaint-data");
  const canvas = document.getElementById("complaint-chart");
  if (data && canvas && window.Chart) {
    const stats = JSON.parse(data.textContent);
    new window.Chart(canvas, {
      type: "bar",
      data: { labels: stats.labels, datasets: stats.datasets },
      options: { responsive: true, maintainAspectRatio: false, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
    });
  }
})();
