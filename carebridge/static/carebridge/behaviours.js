/* Small page behaviours as data attributes, so no page needs inline script (Content-Security-Policy:
   script-src 'self'). data-autosubmit: submit the form when the control changes; data-print: print the
   page; form[data-confirm]: ask before submitting; data-fill-target + data-fill-value: put a value in
   another field (the complaint form's category suggestion); form[data-reset-on-success] below. */
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
  /* form[data-reset-on-success="<id>"]: after a successful htmx request, empty the form and the element
     <id> (its error list). */
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.target;
    var errors = form.getAttribute && form.getAttribute("data-reset-on-success");
    if (errors === null || errors === undefined || !event.detail.successful) { return; }
    form.reset();
    var list = document.getElementById(errors);
    if (list) { list.innerHTML = ""; }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });
})();
