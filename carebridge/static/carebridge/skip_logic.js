/* Convenience only: the server decides which questions count (instruments.visible_codes). */
(function () {
  var form = document.getElementById("answer-form");
  if (!form) { return; }
  function values(code) {
    return Array.prototype.map.call(form.querySelectorAll('[name="a-' + code + '"]:checked'), function (el) { return el.value; });
  }
  function refresh() {
    form.querySelectorAll("[data-show-if]").forEach(function (box) {
      var rule = JSON.parse(box.getAttribute("data-show-if"));
      var other = form.querySelector('[data-code="' + rule.item + '"]');
      if (!other) { return; }  /* the condition is on another page: the server already decided */
      var wanted = rule["in"].map(String);
      var chosen = values(rule.item);
      box.hidden = other.hidden || !chosen.some(function (v) { return wanted.indexOf(v) >= 0; });
    });
  }
  form.addEventListener("change", refresh);
  refresh();
})();
