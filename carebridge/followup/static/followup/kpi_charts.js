/* Follow-up KPI trends: one line per KPI over the months (rates in %, the satisfaction index 0–100). */
(function () {
  "use strict";
  var el = document.getElementById("kpi-trend-chart");
  var source = document.getElementById("kpi-trend");
  if (!el || !source || typeof echarts === "undefined") { return; }
  var trend = JSON.parse(source.textContent);
  var chart = echarts.init(el);
  chart.setOption({
    animation: false,  // old hospital PCs: draw once, at once
    tooltip: { trigger: "axis" },
    legend: { top: 0, type: "scroll" },
    grid: { left: 45, right: 20, top: 40, bottom: 30 },
    xAxis: { type: "category", data: trend.months },
    yAxis: { type: "value", min: 0, max: 100 },
    series: trend.series.map(function (s) {
      return { name: s.label, type: "line", connectNulls: true, data: s.data };
    })
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
