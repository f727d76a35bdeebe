/* Sections of a form that apply only for some values (app/registry/spec.py `Section(..., when=...)`):
   {field: {controlling field: [values]}} comes in #office-form-conditions; a field's row is
   shown while its condition holds, and a section whose rows are all hidden is hidden too.
   A row the server marked with an error always stays visible. */
(function ($) {
  "use strict";
  var data = document.getElementById("office-form-conditions");
  var form = document.getElementById("model_form");
  if (!data || !form) { return; }
  var conditions = JSON.parse(data.textContent || "{}");

  function valueOf(name) {
    var input = form.elements[name];
    return input ? String(input.value || "") : "";
  }

  function holds(when) {
    return Object.keys(when).every(function (name) {
      return when[name].indexOf(valueOf(name)) !== -1;
    });
  }

  function rowOf(name) {
    var input = form.elements[name];
    if (!input) { return null; }
    if (input.length !== undefined && !input.tagName) { input = input[0]; }
    return input ? input.closest("tr") : null;
  }

  function apply() {
    var touched = [];
    Object.keys(conditions).forEach(function (name) {
      var row = rowOf(name);
      if (!row) { return; }
      var show = holds(conditions[name]) || row.querySelector(".has-error, .text-danger, .help-block.error");
      row.hidden = !show;
      var panel = row.closest(".panel");
      if (panel && touched.indexOf(panel) === -1) { touched.push(panel); }
    });
    touched.forEach(function (panel) {
      var rows = panel.querySelectorAll("tr");
      var visible = Array.prototype.some.call(rows, function (row) { return !row.hidden; });
      panel.hidden = !visible;
    });
  }

  var controlling = {};
  Object.keys(conditions).forEach(function (name) {
    Object.keys(conditions[name]).forEach(function (field) { controlling[field] = true; });
  });
  Object.keys(controlling).forEach(function (name) {
    var input = form.elements[name];
    if (!input) { return; }
    // Select2 changes the underlying select and fires jQuery's change event
    if ($) { $(input).on("change", apply); } else { input.addEventListener("change", apply); }
  });
  apply();
}(window.jQuery));
