/* Inquiry statistics: counts as bars, median response time (minutes) as a line; locally served ECharts. */
(function () {
  "use strict";
  document.querySelectorAll(".inquiry-chart").forEach(function (el) {
    var rows = JSON.parse(el.dataset.rows || "[]");
    var chart = echarts.init(el);
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { top: 0, data: [el.dataset.countLabel, el.dataset.medianLabel] },
      grid: { left: 50, right: 50, top: 30, bottom: el.dataset.rotate ? 90 : 30 },
      xAxis: { type: "category", data: rows.map(function (r) { return r.label; }),
               axisLabel: { rotate: el.dataset.rotate ? 30 : 0, interval: 0 } },
      yAxis: [{ type: "value", name: el.dataset.countLabel }, { type: "value", name: el.dataset.medianLabel }],
      series: [
        { name: el.dataset.countLabel, type: "bar", data: rows.map(function (r) { return r.count; }) },
        { name: el.dataset.medianLabel, type: "line", yAxisIndex: 1, connectNulls: true,
          data: rows.map(function (r) { return r.median; }) }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
