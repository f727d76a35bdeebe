/* What the console's pages do without inline handlers (the Content-Security-Policy runs
   scripts from files only; flask-admin's templates in app/templates/admin carry data-*
   attributes instead of onclick=).

   <select data-autosubmit>: sends its form as soon as it changes; with
   data-autosubmit="clear" an emptied choice goes to the form's plain address instead.
   <button data-confirm-click="…">: asks before its form is sent (delete a row).
   <a data-model-action="name">: runs flask-admin's bulk action on the ticked rows.
   <a class="filter">: adds a filter (flask-admin's filters.js); the link itself goes nowhere.
   <input type="checkbox" data-check-all="name">: ticks or clears its form's boxes named so.
   <label class="console-file-pick"><input type="file"></label> … <span data-file-name>: a file
   field in the console's language (the browser's own says "No file chosen" in its language), the
   chosen file's name shown beside the button. */
document.addEventListener('change', function (event) {
  var picker = event.target.closest ? event.target.closest('.console-file-pick') : null;
  if (picker && event.target.files) {
    var shown = event.target.form ? event.target.form.querySelector('[data-file-name]') : null;
    if (shown) {
      shown.textContent = event.target.files.length ? event.target.files[0].name : shown.getAttribute('data-empty');
    }
    return;
  }

  var all = event.target.getAttribute ? event.target.getAttribute('data-check-all') : null;
  if (all && event.target.form) {
    event.target.form.querySelectorAll('input[type=checkbox][name="' + all + '"]').forEach(function (box) {
      box.checked = event.target.checked;
    });
    return;
  }

  var select = event.target.closest ? event.target.closest('[data-autosubmit]') : null;
  if (!select || !select.form) { return; }
  if (!select.value && select.getAttribute('data-autosubmit') === 'clear') {
    window.location = select.form.action;
  } else {
    select.form.submit();
  }
});

document.addEventListener('click', function (event) {
  if (!event.target.closest) { return; }
  var confirmer = event.target.closest('[data-confirm-click]');
  if (confirmer && !window.confirm(confirmer.getAttribute('data-confirm-click'))) {
    event.preventDefault();
    return;
  }
  var action = event.target.closest('[data-model-action]');
  if (action) {
    event.preventDefault();
    if (window.modelActions) { window.modelActions.execute(action.getAttribute('data-model-action')); }
    return;
  }
  if (event.target.closest('a.filter')) { event.preventDefault(); }
});
