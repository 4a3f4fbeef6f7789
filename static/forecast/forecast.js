// Demand forecast (Chart.js): per shift of the month, the headcount the team set beside the suggested one, and the
// contacts expected at the shift's busiest hour. Data comes from the json_script tag of forecast/month.html.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    const canvas = document.getElementById("forecast-chart");
    const source = document.getElementById("forecast-data");
    const words = document.getElementById("forecast-labels");
    if (!canvas || !source || !words || typeof Chart === "undefined") return;
    const data = JSON.parse(source.textContent);
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          { label: words.dataset.set, data: data.set, backgroundColor: "#6c757d", yAxisID: "y" },
          { label: words.dataset.suggested, data: data.suggested, backgroundColor: "#0d6efd", yAxisID: "y" },
          { label: words.dataset.contacts, data: data.contacts, type: "line", borderColor: "#dc3545",
            backgroundColor: "#dc3545", yAxisID: "contacts", tension: 0.2 },
        ],
      },
      options: {
        responsive: true, maintainAspectRatio: false,
        scales: {
          y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: words.dataset.agents } },
          contacts: { beginAtZero: true, position: "right", grid: { drawOnChartArea: false },
                      title: { display: true, text: words.dataset.contacts } },
        },
      },
    });
  });
})();
