/* Search-as-you-type relation fields (app/screens/pickers.py): a select that holds only its
   current value becomes a Select2 box asking its view for the records matching what is
   typed, 20 at a time, more as the list scrolls. The words it shows while it asks come from
   the page (<meta name="office-picker-words">, translated by the server). A list filter's
   field is added by FAB's filter script after the page loaded: it is turned into a picker
   when its row appears, and an active filter's value gets its label from the view. */
(function ($) {
  "use strict";
  if (!$ || !$.fn.select2) { return; }

  var meta = document.querySelector('meta[name="office-picker-words"]');
  var words = {};
  try { words = JSON.parse(meta ? meta.getAttribute("content") : "{}"); } catch (e) { words = {}; }

  var language = {
    searching: function () { return words.searching || "…"; },
    noResults: function () { return words.noResults || ""; },
    loadingMore: function () { return words.loadingMore || "…"; },
    errorLoading: function () { return words.errorLoading || ""; }
  };

  function init(select) {
    var $select = $(select);
    if ($select.data("select2") || !select.isConnected) { return; }
    $select.select2({
      theme: "bootstrap",
      width: "100%",
      allowClear: !select.required,
      placeholder: select.getAttribute("data-placeholder") || "",
      language: language,
      ajax: {
        url: select.getAttribute("data-picker-url"),
        dataType: "json",
        delay: 250,
        cache: true,
        data: function (params) { return { q: params.term || "", page: params.page || 1 }; }
      }
    });
    var pending = select.getAttribute("data-picker-value");
    if (pending) {
      select.removeAttribute("data-picker-value");
      $.getJSON(select.getAttribute("data-picker-url"), { id: pending }, function (data) {
        (data.results || []).forEach(function (row) {
          if (String(row.id) === String(pending)) {
            $select.append(new Option(row.text, row.id, true, true)).trigger("change");
          }
        });
      });
    }
  }

  function initAll(root) {
    $(root || document).find("select.office-picker").each(function () { init(this); });
  }

  // A filter that reads no value ("Past due", "Is my unit"): its value field is hidden while
  // it is the row's chosen operation (the names come from the list: <span class="office-valueless-filters">).
  function valueless() {
    var span = document.querySelector(".office-valueless-filters");
    try { return JSON.parse(span ? span.getAttribute("data-names") : "[]"); } catch (e) { return []; }
  }

  function markRows() {
    var names = valueless();
    $("#filter_form select.filter-op").each(function () {
      var chosen = $(this).find("option:selected").text();
      var cells = $(this).closest("tr").children("td.filter");
      cells.last().toggleClass("office-filter-valueless", names.indexOf(chosen) >= 0);
    });
  }

  $(function () { initAll(document); window.setTimeout(markRows, 0); });
  $(document).on("change select2:select", "#filter_form select.filter-op", function () {
    window.setTimeout(markRows, 0);
  });
  // a filter row added by FAB's "Add filter" (ab_filters.js) after its own click handler ran
  $(document).on("click", "#filter_form a.filter", function () {
    window.setTimeout(function () { initAll(document.getElementById("filter_form")); markRows(); }, 0);
  });
})(window.jQuery);
