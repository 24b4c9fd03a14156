/* Exercises the vendored libraries on a page built from base.html under the portal's CSP and counts
   the policy's violations; the result is written into the DOM for the test to read. */
(function () {
  "use strict";
  var violations = [];
  document.addEventListener("securitypolicyviolation", function (event) {
    violations.push(event.violatedDirective + " " + (event.sourceFile || "").split("/").pop());
  });
  var tooltipMode = new URLSearchParams(window.location.search).get("tooltip") || "richText";

  window.addEventListener("load", function () {
    // Bootstrap: tooltip, dropdown and modal (Popper positions them through element.style).
    new bootstrap.Tooltip(document.getElementById("probe-tip")).show();
    new bootstrap.Dropdown(document.getElementById("probe-dropdown")).show();
    new bootstrap.Modal(document.getElementById("probe-modal")).show();
    // ECharts: a bar chart with its tooltip shown.
    var chart = echarts.init(document.getElementById("probe-chart"));
    chart.setOption({
      tooltip: { trigger: "axis", renderMode: tooltipMode },
      xAxis: { type: "category", data: ["一月", "二月"] },
      yAxis: { type: "value" },
      series: [{ type: "bar", name: "走访", data: [3, 5] }],
    });
    chart.dispatchAction({ type: "showTip", seriesIndex: 0, dataIndex: 1 });
    // htmx: a request indicator toggled as during a request.
    document.getElementById("probe-indicator").classList.add("htmx-request");
    window.setTimeout(function () {
      var result = document.createElement("output");
      result.id = "probe-result";
      result.dataset.ready = String(typeof htmx !== "undefined" && typeof echarts !== "undefined");
      result.dataset.violations = JSON.stringify(violations);
      document.body.appendChild(result);
    }, 1000);
  });
})();
