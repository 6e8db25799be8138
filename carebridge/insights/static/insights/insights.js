/* Charts of the satisfaction analysis pages, drawn with the locally served ECharts.
 * Each chart is a <div class="insights-chart" data-chart="KIND" data-source="ID"> whose data is the JSON
 * of <script id="ID" type="application/json"> (Django's json_script). Charts inside content swapped in by
 * htmx (a finished background run) are drawn after the swap. */
(function () {
  "use strict";
  var GREY = "#adb5bd";
  var BLUE = "#0d6efd";
  var RAW = "#868e96";  // raw (unadjusted) scores: a grey that no one confuses with the adjusted blue

  function round(x, d) { return x === null || x === undefined ? null : Math.round(x * Math.pow(10, d)) / Math.pow(10, d); }

  /* Horizontal error bars (CI) over a category y axis: data rows [index, lower, upper]. */
  function errorBars(rows) {
    return {
      type: "custom",
      name: "95% CI",
      renderItem: function (params, api) {
        var y = api.value(0), lo = api.coord([api.value(1), y]), hi = api.coord([api.value(2), y]);
        var h = api.size([0, 1])[1] * 0.25;
        var style = { stroke: "#212529", lineWidth: 1.2 };
        return { type: "group", children: [
          { type: "line", shape: { x1: lo[0], y1: lo[1], x2: hi[0], y2: hi[1] }, style: style },
          { type: "line", shape: { x1: lo[0], y1: lo[1] - h, x2: lo[0], y2: lo[1] + h }, style: style },
          { type: "line", shape: { x1: hi[0], y1: hi[1] - h, x2: hi[0], y2: hi[1] + h }, style: style }
        ] };
      },
      encode: { x: [1, 2], y: 0 },
      data: rows.filter(function (r) { return r[1] !== null && r[2] !== null; }),
      z: 10
    };
  }

  function indexBars(chart, rows) {
    var shown = rows.filter(function (r) { return !r.suppressed && r.estimate !== null; });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "item" },
      grid: { left: 150, right: 30, top: 10, bottom: 25 },
      xAxis: { type: "value", min: 0, max: 100 },
      yAxis: { type: "category", inverse: true, data: shown.map(function (r) { return r.label; }) },
      series: [
        { type: "bar", name: "index", data: shown.map(function (r) {
          return { value: round(r.estimate, 1), itemStyle: { color: r.small ? GREY : BLUE } };
        }), label: { show: true, position: "insideLeft", color: "#fff" } },  // away from the CI whisker at the bar's end
        errorBars(shown.map(function (r, i) { return [i, r.lower, r.upper]; }))
      ]
    });
  }

  function stackedBox(chart, items) {
    var shown = items.filter(function (r) { return r.top; });
    function series(key, name, color) {
      return { type: "bar", stack: "box", name: name, itemStyle: { color: color },
        data: shown.map(function (r) { return round(100 * r[key].share, 1); }) };
    }
    var names = JSON.parse(chart.getDom().dataset.names || "{}");
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 200, right: 30, top: 30, bottom: 25 },
      xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", inverse: true, data: shown.map(function (r) { return r.code + " " + r.label; }) },
      series: [series("bottom", names.bottom || "bottom", "#dc3545"), series("middle", names.middle || "middle", "#ffc107"),
               series("top", names.top || "top", "#198754")]
    });
  }

  function csiGraph(chart, model) {
    var n = model.nodes.length;
    var nodes = model.nodes.map(function (node, i) {
      var angle = Math.PI * (1 - i / Math.max(1, n - 1));
      return { id: node.code, name: node.label + "\n" + (node.index === null ? "–" : node.index.toFixed(1)),
        x: 400 + 320 * Math.cos(angle) * (i % 2 ? 0.8 : 1), y: 300 - 220 * Math.sin(angle) + (i % 2 ? 60 : 0),
        symbolSize: 78, itemStyle: { color: BLUE } };
    });
    var links = model.edges.map(function (e) {
      return { source: e.source, target: e.target,
        value: e.coef, label: { show: true, formatter: (e.coef === null ? "–" : e.coef.toFixed(2)) + (e.significant ? "*" : "") },
        lineStyle: { width: 1 + 6 * Math.abs(e.coef || 0), type: e.significant ? "solid" : "dashed", color: e.significant ? "#212529" : GREY } };
    });
    chart.setOption({
      animation: false,
      tooltip: {},
      series: [{ type: "graph", layout: "none", roam: true, edgeSymbol: ["none", "arrow"], edgeSymbolSize: 10,
        label: { show: true, color: "#fff", fontSize: 12 }, data: nodes, links: links }]
    });
  }

  function ipaScatter(chart, grid) {
    var names = JSON.parse(chart.getDom().dataset.names || "{}");
    chart.setOption({
      animation: false,
      tooltip: { formatter: function (p) { return p.data.name + "<br>" + p.data.value[0] + " / " + p.data.value[1]; } },
      grid: { left: 60, right: 40, top: 20, bottom: 50 },
      xAxis: { type: "value", name: names.performance || "performance", nameLocation: "middle", nameGap: 30, scale: true },
      yAxis: { type: "value", name: names.importance || "importance", nameLocation: "middle", nameGap: 40, scale: true },
      series: [{ type: "scatter", symbolSize: 14,
        data: grid.points.map(function (p) {
          return { name: p.label, value: [p.performance, round(p.importance, 3)],
            itemStyle: { color: p.quadrant === "concentrate_here" ? "#dc3545" : BLUE } };
        }),
        label: { show: true, position: "right", formatter: function (p) { return p.data.name; } },
        markLine: { silent: true, symbol: "none", lineStyle: { color: GREY, type: "dashed" },
          data: [{ xAxis: grid.performance_cut }, { yAxis: grid.importance_cut }] } }]
    });
  }

  function driverBars(chart, drivers) {
    chart.setOption({
      animation: false,
      tooltip: {},
      grid: { left: 160, right: 40, top: 10, bottom: 25 },
      xAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", inverse: true, data: drivers.map(function (d) { return d.label; }) },
      series: [{ type: "bar", data: drivers.map(function (d) { return d.pct; }), itemStyle: { color: BLUE } },
        errorBars(drivers.map(function (d, i) { return [i, d.pct_low, d.pct_high]; }))]
    });
  }

  function trendLines(chart, trends) {
    // The month still under way (this calendar month) is starred and marked: its figures are not final.
    var today = new Date();
    var current = today.getFullYear() + "-" + ("0" + (today.getMonth() + 1)).slice(-2);
    var partial = trends.months.indexOf(current) >= 0 ? current + "*" : null;
    var partialLabel = chart.getDom().dataset.partialLabel || "";
    var months = trends.months.map(function (m) { return m === current ? m + "*" : m; });
    chart.setOption({
      animation: false,
      // Each point carries its n (tooltip); a point on too few answers to rank is drawn hollow and grey.
      tooltip: { trigger: "axis", formatter: function (items) {
        return [items.length ? items[0].axisValue : ""].concat(items.map(function (item) {
          var d = item.data || {};
          return item.marker + item.seriesName + ": " + (d.value === null || d.value === undefined ? "—" : d.value) +
            (d.n !== undefined ? " (n=" + d.n + ")" : "") + (d.small && d.value !== null ? " ⚠" : "");
        })).join("<br>");
      } },
      legend: { top: 0, type: "scroll" },
      grid: { left: 50, right: 20, top: 40, bottom: 30 },
      xAxis: { type: "category", data: months },
      yAxis: { type: "value", min: 0, max: 100 },
      series: trends.series.map(function (s, i) {
        return { type: "line", name: s.label, connectNulls: false, lineStyle: { width: i === 0 ? 3 : 1.5 },
          showSymbol: true, showAllSymbol: true, symbolSize: 6,
          markLine: i === 0 && partial ? { silent: true, symbol: "none", lineStyle: { color: GREY, type: "dashed" },
            label: { formatter: partialLabel, position: "insideEndTop", color: "#6c757d" }, data: [{ xAxis: partial }] } : undefined,
          data: s.points.map(function (p) {
            return { value: p.suppressed ? null : round(p.estimate, 1), n: p.n, small: p.small,
              symbol: p.small ? "emptyCircle" : "circle",
              itemStyle: p.small ? { color: GREY, borderWidth: 2 } : undefined };  // emptyCircle strokes in "color"
          }) };
      })
    });
  }

  function benchmarkBars(chart, data) {
    var names = JSON.parse(chart.getDom().dataset.names || "{}");
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 150, right: 30, top: 30, bottom: 25 },
      // The index runs 0–100 and the axis starts at 0, so bar lengths compare honestly; raw (grey) and
      // adjusted (blue) are told apart by colour and by the legend, and each bar says its value.
      xAxis: { type: "value", min: 0, max: function (v) { return Math.max(100, Math.ceil(v.max / 10) * 10); } },
      yAxis: { type: "category", inverse: true, axisLabel: { interval: 0 }, data: data.units.map(function (u) { return u.label; }) },
      series: [
        { type: "bar", name: names.raw || "", itemStyle: { color: RAW }, barGap: "10%",
          label: { show: true, position: "right", fontSize: 10, color: "#495057" },
          data: data.units.map(function (u) {
            return { value: round(u.raw.estimate, 1), itemStyle: { color: RAW, opacity: u.small ? 0.45 : 1 } }; }) },
        { type: "bar", name: names.adjusted || "", itemStyle: { color: BLUE },
          label: { show: true, position: "right", fontSize: 10, color: BLUE },
          data: data.units.map(function (u) {
            return { value: round(u.adjusted, 1), itemStyle: { color: BLUE, opacity: u.small ? 0.45 : 1 } }; }) }
      ]
    });
  }

  var RENDERERS = { "index-bars": indexBars, "stacked-box": stackedBox, "csi-graph": csiGraph,
    "ipa-scatter": ipaScatter, "driver-bars": driverBars, "trend-lines": trendLines, "benchmark": benchmarkBars };

  function draw(root) {
    root.querySelectorAll(".insights-chart").forEach(function (el) {
      if (el.dataset.drawn) { return; }
      var source = document.getElementById(el.dataset.source);
      var render = RENDERERS[el.dataset.chart];
      if (!source || !render) { return; }
      el.dataset.drawn = "1";
      var chart = echarts.init(el, null, { renderer: "svg" });
      render(chart, JSON.parse(source.textContent));
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  draw(document);
  document.body.addEventListener("htmx:afterSettle", function () { draw(document); });
})();
