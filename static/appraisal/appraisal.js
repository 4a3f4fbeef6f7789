// Appraisal charts (Chart.js): the band distribution per team and a person's 12-month trend.
// Data comes from json_script tags written by the templates; labels from data-* attributes (translated).
(function () {
  "use strict";

  function readJson(id) {
    const element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function bandChart() {
    const canvas = document.getElementById("band-chart");
    const data = readJson("band-distribution-data");
    const labels = document.getElementById("band-labels");
    if (!canvas || !data || !labels || typeof Chart === "undefined") return;
    const bands = [["excellent", "#198754"], ["good", "#0d6efd"], ["average", "#6c757d"], ["poor", "#dc3545"]];
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.map(function (item) { return item.team; }),
        datasets: bands.map(function (band) {
          return {
            label: labels.dataset[band[0]],
            backgroundColor: band[1],
            data: data.map(function (item) { return item.counts[band[0]] || 0; }),
          };
        }),
      },
      options: { responsive: true, maintainAspectRatio: false,
                 scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
    });
  }

  function trendChart() {
    const canvas = document.getElementById("trend-chart");
    const data = readJson("trend-data");
    const labels = document.getElementById("trend-labels");
    if (!canvas || !data || !labels || typeof Chart === "undefined") return;
    function series(key, label, colour) {
      return { label: label, borderColor: colour, backgroundColor: colour, spanGaps: false, tension: 0.2,
               data: data.map(function (point) { return point[key]; }) };
    }
    new Chart(canvas, {
      type: "line",
      data: {
        labels: data.map(function (point) { return point.month; }),
        datasets: [
          series("composite", labels.dataset.composite, "#0d6efd"),
          series("satisfaction", labels.dataset.satisfaction, "#198754"),
          series("on_time", labels.dataset.onTime, "#fd7e14"),
        ],
      },
      options: { responsive: true, maintainAspectRatio: false, scales: { y: { min: 0, max: 100 } } },
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    bandChart();
    trendChart();
  });
})();
