/* A record's related tabs (app/screens/related_tabs.py): each holds a placeholder with its
   address until it is shown — by a click, or by FAB's ab_keep_tab.js reopening the tab last
   used — and is then loaded once. Paging and sorting links inside a loaded tab (FAB makes
   them point at the tab's own address) load the tab again in place. */
(function ($) {
  "use strict";
  if (!$) { return; }

  function load(holder, url) {
    holder.setAttribute("data-loaded", "1");
    holder.setAttribute("aria-busy", "true");
    $.ajax({ url: url, dataType: "html" }).done(function (html) {
      holder.innerHTML = html;
    }).fail(function (xhr) {
      var message = holder.getAttribute("data-failed") || "";
      holder.innerHTML = "";
      var p = document.createElement("p");
      p.className = "text-danger";
      p.textContent = message + (xhr && xhr.status ? " (" + xhr.status + ")" : "");
      holder.appendChild(p);
      holder.removeAttribute("data-loaded");
    }).always(function () {
      holder.removeAttribute("aria-busy");
    });
  }

  function loadIn(pane) {
    $(pane).find(".office-related[data-related-url]").each(function () {
      if (!this.getAttribute("data-loaded")) { load(this, this.getAttribute("data-related-url")); }
    });
  }

  $(document).on("shown.bs.tab", "a[data-toggle='tab']", function () {
    var target = this.getAttribute("href");
    if (target && target.charAt(0) === "#") { loadIn(document.getElementById(target.slice(1))); }
  });
  $(function () { $(".tab-pane.active").each(function () { loadIn(this); }); });

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".office-related a[href]");
    if (!link) { return; }
    var holder = link.closest(".office-related");
    var base = holder.getAttribute("data-related-url").split("?")[0];
    if (link.getAttribute("href").split("?")[0] === base) {
      event.preventDefault();
      load(holder, link.getAttribute("href"));
    }
  });
})(window.jQuery);
