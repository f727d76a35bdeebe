/* A list's toolbar drop-downs holding a form (templates/office/_list_views.html): the saved
   views and the column chooser. A click inside one keeps it open (Bootstrap closes a
   drop-down on any click); the arrows move a column up or down the chooser, whose order is
   the order the columns are shown in. */
(function ($) {
  "use strict";
  if (!$) { return; }

  $(document).on("click", ".office-dropdown-form", function (event) {
    if (!$(event.target).closest("a[href]").length) { event.stopPropagation(); }
  });

  $(document).on("click", ".office-column-list [data-move]", function () {
    var item = $(this).closest("li");
    if (this.getAttribute("data-move") === "up") {
      item.prev("li").before(item);
    } else {
      item.next("li").after(item);
    }
    $(this).focus();
  });

  // the name field has the focus when the views drop-down opens
  $(document).on("shown.bs.dropdown", ".office-views", function () {
    $(this).find("input[name=name]").trigger("focus");
  });
}(window.jQuery));
