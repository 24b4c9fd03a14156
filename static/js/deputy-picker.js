/* The visit form's deputies (templates/visits/partials/deputy_picker.html): the deputies elected in the
   chosen village, and the ticked ones, stay in the short list at the top; the rest wait behind
   "other deputies", with a filter by name or pinyin initials. Without this script the server's grouping
   for the village first shown holds and every checkbox still works. */
(function () {
  "use strict";

  function byOrder(a, b) {
    return Number(a.dataset.order) - Number(b.dataset.order);
  }

  function setUp(picker) {
    var form = picker.closest("form");
    var village = form ? form.querySelector("[name=village]") : null;
    var near = picker.querySelector("[data-deputy-near]");
    var others = picker.querySelector("[data-deputy-others]");
    var more = picker.querySelector("details");
    var count = picker.querySelector("[data-deputy-count]");
    var filterBox = picker.querySelector("[data-deputy-filter-box]");
    var filter = picker.querySelector("[data-deputy-filter]");

    function regroup() {
      var chosen = village ? village.value : "";
      var options = Array.prototype.slice.call(picker.querySelectorAll(".deputy-option")).sort(byOrder);
      options.forEach(function (option) {
        var ticked = option.querySelector("input").checked;
        var elected = chosen !== "" && option.dataset.villages.split(" ").indexOf(chosen) !== -1;
        (ticked || elected ? near : others).appendChild(option);
      });
      count.textContent = String(others.children.length);
      // Opened only while the short list is empty (no village chosen yet): with a village, its deputies
      // are the choice, the others one tap away.
      more.open = near.children.length === 0;
    }

    function applyFilter() {
      var text = filter.value.trim().toLowerCase();
      Array.prototype.forEach.call(others.children, function (option) {
        var name = option.textContent.trim().toLowerCase();
        var found = text === "" || name.indexOf(text) !== -1 || option.dataset.initials.indexOf(text) === 0;
        option.hidden = !found;
      });
    }

    filterBox.hidden = false;
    filter.addEventListener("input", applyFilter);
    if (village) {
      village.addEventListener("change", function () {
        regroup();
        applyFilter();
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-deputy-picker]").forEach(setUp);
  });
})();
