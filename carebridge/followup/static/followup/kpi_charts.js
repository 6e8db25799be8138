/* Follow-up KPI trends: one line per KPI over the months (rates in %, the satisfaction index 0–100).
   Each point says how many rows it counts (n, in the tooltip); a point on fewer than trend.small_n rows
   is drawn hollow and grey, and the month still under way is starred and marked by a dashed line: its figures are not final. */
(function () {
  "use strict";
  var el = document.getElementById("kpi-trend-chart");
  var source = document.getElementById("kpi-trend");
  if (!el || !source || typeof echarts === "undefined") { return; }
  var trend = JSON.parse(source.textContent);
  var texts = el.dataset;
  var small = trend.small_n || 0;
  var partial = trend.partial_month;
  var months = trend.months.map(function (m) { return m === partial ? m + "*" : m; });
  var chart = echarts.init(el);
  chart.setOption({
    animation: false,  // old hospital PCs: draw once, at once
    tooltip: {
      trigger: "axis",
      formatter: function (items) {
        var lines = [items.length ? items[0].axisValue : ""];
        if (items.length && items[0].axisValue === partial + "*") { lines.push(texts.partialLabel || ""); }
        items.forEach(function (item) {
          var n = item.data && item.data.n !== undefined ? item.data.n : null;
          var value = item.data && item.data.value !== null && item.data.value !== undefined ? item.data.value : "—";
          lines.push(item.marker + item.seriesName + ": " + value + (n !== null ? " (n=" + n + ")" : "") +
            (n !== null && n > 0 && n < small ? " " + (texts.smallLabel || "") : ""));
        });
        return lines.join("<br>");
      }
    },
    legend: { top: 0, type: "scroll" },
    grid: { left: 45, right: 20, top: 40, bottom: 30 },
    xAxis: { type: "category", data: months },
    yAxis: { type: "value", min: 0, max: 100 },
    series: trend.series.map(function (s, index) {
      return {
        name: s.label, type: "line", connectNulls: false, symbolSize: 7, showSymbol: true, showAllSymbol: true,
        data: s.data.map(function (value, i) {
          var n = s.n ? s.n[i] : null;
          var few = n !== null && n < small;
          return { value: value, n: n,
            itemStyle: few ? { color: "#adb5bd", borderWidth: 2 } : undefined,  // emptyCircle strokes in "color"
            symbol: few ? "emptyCircle" : "circle" };
        }),
        markLine: index === 0 && partial ? { silent: true, symbol: "none",
          lineStyle: { color: "#6c757d", type: "dashed" },
          label: { show: true, position: "insideEndTop", color: "#6c757d", fontSize: 11, formatter: texts.partialShort || "" },
          data: [{ xAxis: partial + "*" }] } : undefined
      };
    })
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
