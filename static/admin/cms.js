// Behaviour Flask-Admin wires with inline handlers, which our Content-Security-Policy (rightly) blocks:
// bound here from a static script instead (templates/admin/model/*.html carry data- attributes).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    // Flask-Admin's placeholder links (dropdown toggles, filters, the active tab) point nowhere: ours at "#",
    // its own at javascript:void(0), which the CSP refuses to run. Following them does nothing, quietly.
    var placeholder = event.target.closest('a[href^="javascript:"], a[href="#"]');
    if (placeholder) {
      event.preventDefault();
    }
    var asking = event.target.closest("[data-confirm]");
    if (asking && !window.confirm(asking.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    var adding = event.target.closest("[data-add-inline]");
    if (adding) {
      event.preventDefault();
      window.faForm.addInlineField(adding, adding.getAttribute("data-add-inline"));
    }
  }, true);
})();
