/* The dashboards' charts: data from the page's json_script, drawn with the vendored ECharts in Chinese.
   Every bar, point and slice opens the list behind it. Tooltips render as rich text: the CSP forbids the
   inline styles of ECharts' HTML tooltips. */
(function () {
  "use strict";

  var COLORS = ["#5470c6", "#91cc75", "#fac858", "#ee6666", "#73c0de", "#3ba272", "#fc8452", "#9a60b4", "#ea7ccc"];

  function dark() {
    return document.querySelector(".dashboard-display") !== null;
  }

  function axisSeries(chart) {
    return chart.series.map(function (s) {
      return {
        name: s.name,
        type: s.type || (chart.kind === "line" ? "line" : "bar"),
        stack: chart.kind === "hbar" ? "total" : undefined,
        data: s.data,
        smooth: false,
        symbolSize: 8
      };
    });
  }

  function option(chart) {
    var base = {
      color: COLORS,
      backgroundColor: "transparent",
      animation: false,
      tooltip: { renderMode: "richText", trigger: chart.kind === "pie" ? "item" : "axis" },
      legend: { top: 0, type: "scroll" }
    };
    if (chart.kind === "pie") {
      base.series = [{
        type: "pie",
        radius: ["35%", "65%"],
        top: 24,
        name: chart.series[0].name,
        data: chart.categories.map(function (c, i) { return { name: c, value: chart.series[0].data[i] }; })
          .filter(function (d) { return d.value > 0; })
      }];
      return base;
    }
    var categoryAxis = { type: "category", data: chart.categories, axisLabel: { interval: 0, hideOverlap: true } };
    var valueAxis = { type: "value", minInterval: 1 };
    base.grid = { left: 8, right: 16, bottom: 8, top: 40, containLabel: true };
    if (chart.kind === "hbar") {
      base.xAxis = valueAxis;
      base.yAxis = categoryAxis;
    } else {
      base.xAxis = categoryAxis;
      base.yAxis = valueAxis;
      if (chart.categories.length > 12) {
        categoryAxis.axisLabel = { rotate: 45, interval: 0 };
      }
    }
    base.series = axisSeries(chart);
    return base;
  }

  function linkOf(chart, params) {
    var series = chart.series[params.seriesIndex] || chart.series[0];
    var index = params.dataIndex;
    if (chart.kind === "pie") {
      index = chart.categories.indexOf(params.name);
    }
    return series.links ? series.links[index] : null;
  }

  function draw(el, chart) {
    var instance = window.echarts.init(el, dark() ? "dark" : null, { locale: "ZH" });
    instance.setOption(option(chart));
    instance.on("click", function (params) {
      var url = linkOf(chart, params);
      if (url) {
        window.location.assign(url);
      }
    });
    window.addEventListener("resize", function () { instance.resize(); });
  }

  // The wall display reloads itself (a meta refresh would be an accessibility failure on ordinary pages).
  document.addEventListener("DOMContentLoaded", function () {
    var wall = document.querySelector("[data-refresh-seconds]");
    var seconds = wall ? parseInt(wall.dataset.refreshSeconds, 10) : 0;
    if (seconds > 0) {
      window.setTimeout(function () { window.location.reload(); }, seconds * 1000);
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var source = document.getElementById("dashboard-charts");
    if (!source || !window.echarts) {
      return;
    }
    var charts = JSON.parse(source.textContent);
    charts.forEach(function (chart) {
      var el = document.querySelector('[data-chart="' + chart.key + '"]');
      if (el) {
        draw(el, chart);
      }
    });
  });
})();
