/* The print view (templates/office/print.html): its button prints the sheet (no inline handler:
   the Content-Security-Policy runs scripts from files only). */
(function () {
  "use strict";
  var button = document.getElementById("office-print-now");
  if (button) {
    button.addEventListener("click", function () { window.print(); });
  }
}());
