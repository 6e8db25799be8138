// Small 12-month trend charts of the cockpit: one per tile, the target as a dashed line.
(function () {
  "use strict";
  var source = document.getElementById("cockpit-trends");
  var monthsSource = document.getElementById("cockpit-months");
  if (!source || !monthsSource || typeof echarts === "undefined") { return; }
  var trends = JSON.parse(source.textContent);
  var months = JSON.parse(monthsSource.textContent);
  document.querySelectorAll(".cockpit-trend").forEach(function (node) {
    var values = trends[node.dataset.assignment] || [];
    var target = parseFloat(node.dataset.target);
    var chart = echarts.init(node, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      grid: { left: 2, right: 2, top: 4, bottom: 2 },
      xAxis: { type: "category", data: months, show: false },
      yAxis: { type: "value", show: false, scale: true },
      tooltip: { trigger: "axis" },
      series: [
        { type: "line", data: values, symbolSize: 3, connectNulls: false,
          markLine: isNaN(target) ? undefined : { symbol: "none", silent: true, lineStyle: { type: "dashed" },
            data: [{ yAxis: target }] } }
      ]
    });
  });
})();
