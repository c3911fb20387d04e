/* prready plan page: filters for the candidates table. No network, no external code. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var table = document.getElementById("candidates");
  if (!table) { return; }
  var form = document.querySelector("form.filters");
  var selects = Array.prototype.slice.call(document.querySelectorAll("select[data-filter]"));
  var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
  var counter = document.getElementById("candidate-count");

  function rowMatches(row, key, wanted) {
    var have = row.getAttribute("data-" + key) || "";
    if (key === "skills") {
      try { return JSON.parse(have).indexOf(wanted) !== -1; } catch (e) { return false; }
    }
    if (key === "stage") { return have.split(" ").indexOf(wanted) !== -1; }
    return have === wanted;
  }

  function apply() {
    var shown = 0;
    rows.forEach(function (row) {
      var visible = selects.every(function (select) {
        return !select.value || rowMatches(row, select.getAttribute("data-filter"), select.value);
      });
      row.hidden = !visible;
      if (visible) { shown += 1; }
    });
    counter.textContent = shown === rows.length
      ? rows.length + " issues"
      : shown + " of " + rows.length + " issues";
  }

  selects.forEach(function (select) { select.addEventListener("change", apply); });
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  apply();
}());
