/* The bell in the top bar (templates/office/base.html, app/reminders/screens.py): its unread
   notifications are asked for when it opens, each a link that marks it read and opens its
   record. */
(function ($) {
  "use strict";
  if (!$) { return; }
  $(document).on("show.bs.dropdown", ".office-bell", function () {
    var bell = $(this);
    var list = bell.find(".office-bell-list");
    $.ajax({ url: bell.attr("data-latest-url"), dataType: "json" }).done(function (data) {
      var items = (data.notes || []).map(function (note) {
        var item = $("<li class='office-bell-note'></li>");
        var link = $("<a></a>").attr("href", note.url);
        link.append($("<span class='office-bell-kind'></span>").text(note.kind));
        link.append($("<span class='office-bell-text'></span>").text(note.text));
        link.append($("<span class='office-bell-at text-muted'></span>").text(note.at));
        return item.append(link);
      });
      if (items.length) { list.replaceWith(items); }
      var count = bell.find(".office-bell-count");
      if (!data.unread) { count.remove(); } else { count.text(data.unread < 100 ? data.unread : "99+"); }
    });
  });
}(window.jQuery));
