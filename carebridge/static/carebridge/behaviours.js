/* Small page behaviours as data attributes, so no page needs inline script (Content-Security-Policy:
   script-src 'self'). data-autosubmit: submit the form when the control changes; data-print: print the
   page; form[data-confirm]: ask before submitting; data-fill-target + data-fill-value: put a value in
   another field (the complaint form's category suggestion). */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var control = event.target.closest ? event.target.closest("[data-autosubmit]") : null;
    if (control && control.form) { control.form.submit(); }
  });
  document.addEventListener("click", function (event) {
    if (!event.target.closest) { return; }
    if (event.target.closest("[data-print]")) { window.print(); return; }
    var filler = event.target.closest("[data-fill-target]");
    if (filler) {
      var target = document.getElementById(filler.getAttribute("data-fill-target"));
      if (target) { target.value = filler.getAttribute("data-fill-value"); }
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });
})();
