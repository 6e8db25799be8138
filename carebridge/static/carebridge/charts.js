/* Charts drawn with the locally served ECharts; data comes from data-* attributes rendered by Django. */
(function () {
  "use strict";
  function monthly(el) {
    var rows = JSON.parse(el.dataset.months || "[]");
    var kinds = ["outpatient", "emergency", "inpatient", "checkup"];
    var labels = JSON.parse(document.getElementById("kind-labels") ? document.getElementById("kind-labels").textContent : "{}");
    var chart = echarts.init(el);
    chart.setOption({
      animation: false,  // old hospital PCs: draw once, at once
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 50, right: 20, top: 40, bottom: 30 },
      xAxis: { type: "category", data: rows.map(function (r) { return r.month; }) },
      yAxis: { type: "value" },
      series: kinds.map(function (k) {
        return { name: labels[k] || k, type: "bar", stack: "all", data: rows.map(function (r) { return r[k] || 0; }) };
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  function bars(el) {
    var rows = JSON.parse(el.dataset.rows || "[]");
    // One bar per group, every label shown (ECharts would drop every other one when crowded): the
    // chart grows with the number of groups instead.
    el.style.height = Math.max(120, 22 * rows.length + 40) + "px";
    var chart = echarts.init(el);
    chart.setOption({
      animation: false,
      tooltip: {},
      grid: { left: 10, right: 40, top: 10, bottom: 20, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, axisLabel: { interval: 0, width: 130, overflow: "truncate" },
        data: rows.map(function (r) { return r.label; }) },
      series: [{ type: "bar", barMaxWidth: 18, label: { show: true, position: "right" },
        data: rows.map(function (r) { return r.value; }) }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  document.querySelectorAll("#monthly-chart").forEach(monthly);
  document.querySelectorAll(".bar-chart").forEach(bars);
})();
