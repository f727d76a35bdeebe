/* Forms marked data-confirm ask before they submit (no inline handlers: the CSP forbids them). */
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
