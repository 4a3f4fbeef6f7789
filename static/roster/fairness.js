// Fairness report (Chart.js): how many agents worked 0, 1, 2 ... shifts of each kind in the chosen period.
// Data comes from the json_script tag written by roster/fairness.html; labels are translated there.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    const canvas = document.getElementById("fairness-chart");
    const source = document.getElementById("fairness-data");
    const words = document.getElementById("fairness-labels");
    if (!canvas || !source || !words || typeof Chart === "undefined") return;
    const data = JSON.parse(source.textContent);
    const colours = { duty: "#0d6efd", night: "#6f42c1", holiday: "#dc3545" };
    const kinds = Object.keys(data.histogram);
    const longest = Math.max.apply(null, kinds.map(function (kind) { return data.histogram[kind].length; }));
    const labels = [];
    for (let n = 0; n < longest; n += 1) labels.push(String(n));
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: labels,
        datasets: kinds.map(function (kind) {
          return { label: data.labels[kind], backgroundColor: colours[kind] || "#6c757d",
                   data: labels.map(function (_label, n) { return data.histogram[kind][n] || 0; }) };
        }),
      },
      options: {
        responsive: true, maintainAspectRatio: false,
        scales: {
          x: { title: { display: true, text: words.dataset.shifts } },
          y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: words.dataset.agents } },
        },
      },
    });
  });
})();
