/* What every page of the panel does in the browser (office/base.html loads this file after
   jQuery, Bootstrap and Select2; the CSP allows no inline script or handler):
   - a drop-down opens with its search box focused, so typing filters at once;
   - Enter inside a drop-down never submits the form around it;
   - the menu button of the top bar opens the sidebar on a phone, folds it on a wide screen;
   - a list's title cut to two lines shows in full on hover;
   - a record page's "Show all fields" shows the empty fields it hides. */
(function ($) {
  "use strict";

  // --- drop-downs (Select2 4.0.13 with jQuery 3.6 leaves the focus on the closed box) --------
  function searchBoxOf(select) {
    var instance = $(select).data("select2");
    var box = instance && instance.dropdown && instance.dropdown.$search;
    if (!box || !box.length) {
      box = instance && instance.selection && instance.selection.$search;   // a multiple select
    }
    if (!box || !box.length) {
      box = $(".select2-container--open .select2-search__field");
    }
    return box && box.filter(":visible").get(0);
  }

  if ($) {
    $(document).on("select2:open", function (event) {
      var select = event.target;
      window.setTimeout(function () {
        var box = searchBoxOf(select);
        if (box && document.activeElement !== box) {
          box.focus();
        }
      }, 0);
    });
  }

  // Enter in a Select2 search box or on a closed drop-down picks or opens; it must never
  // submit the form it sits in (a half-filled record was saved that way). Select2 still sees
  // the key: only the browser's default (the implicit submission) is cancelled.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.isComposing || event.keyCode === 229) {
      return;
    }
    var target = event.target;
    if (!target || !target.closest) {
      return;
    }
    if (target.tagName === "SELECT" || target.closest(".select2-container, .select2-search, .select2-dropdown")) {
      event.preventDefault();
    }
  }, true);

  // --- the global search: "/" anywhere but in a text box puts the cursor in the top bar's box
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) {
      return;
    }
    var target = event.target;
    var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    var box = document.getElementById("office-search-box");
    if (!typing && box) {
      event.preventDefault();
      box.focus();
      box.select();
    }
  });

  // --- the sidebar: on a phone the menu button slides it in over the page (closed at first);
  // on a wide screen it folds the sidebar away for a wider list, remembered in a cookie that
  // office/base.html reads (so a folded sidebar never flashes open on the next page).
  var toggle = document.getElementById("office-nav-toggle");
  var sidebar = document.getElementById("office-sidebar");
  var backdrop = document.getElementById("office-nav-backdrop");
  var shell = sidebar && sidebar.parentNode;
  var narrow = window.matchMedia ? window.matchMedia("(max-width: 767px)") : { matches: false };

  function expanded() {
    return narrow.matches ? document.body.classList.contains("office-nav-open")
      : !shell.classList.contains("office-nav-collapsed");
  }

  function showState() {
    toggle.setAttribute("aria-expanded", expanded() ? "true" : "false");
  }

  function setDrawer(open) {
    document.body.classList.toggle("office-nav-open", open);
    showState();
  }

  if (toggle && sidebar && shell) {
    showState();
    toggle.addEventListener("click", function () {
      if (narrow.matches) {
        setDrawer(!document.body.classList.contains("office-nav-open"));
        return;
      }
      var folded = shell.classList.toggle("office-nav-collapsed");
      document.cookie = "office_nav=" + (folded ? "collapsed" : "open") + "; path=/; max-age=31536000; SameSite=Lax";
      showState();
    });
    if (backdrop) {
      backdrop.addEventListener("click", function () { setDrawer(false); });
    }
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && document.body.classList.contains("office-nav-open")) {
        setDrawer(false);
        toggle.focus();
      }
    });
    if (narrow.addEventListener) {
      narrow.addEventListener("change", function () {
        document.body.classList.remove("office-nav-open");
        showState();
      });
    }
  }

  // --- lists: a title cut to two lines (office.css .office-clamp) shows in full on hover -------
  function titleClamped(root) {
    var cells = (root || document).querySelectorAll(".office-clamp");
    for (var i = 0; i < cells.length; i++) {
      var cell = cells[i];
      if (!cell.title && cell.scrollHeight > cell.clientHeight + 1) {
        cell.title = cell.textContent.replace(/\s+/g, " ").trim();
      }
    }
  }
  titleClamped();
  window.addEventListener("resize", function () { titleClamped(); });
  if ($) {
    $(document).on("shown.bs.tab", function () { titleClamped(); });
  }

  // --- lists: a row's delete button asks before it deletes (one listener for every row) ---------
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.office-delete");
    if (!link || typeof AdminActions === "undefined") {
      return;
    }
    event.preventDefault();
    var table = link.closest("[data-delete-question]");
    new AdminActions().execute_single_delete(link.getAttribute("data-href"),
                                             table ? table.getAttribute("data-delete-question") : "");
  });

  // --- record pages: empty fields hidden until asked for ---------------------------------------
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".office-show-all");
    if (!button) {
      return;
    }
    var fields = button.closest(".office-fields");
    if (!fields) {
      return;
    }
    var showing = fields.classList.toggle("office-hide-empty") === false;
    button.setAttribute("aria-pressed", showing ? "true" : "false");
    var label = button.querySelector(".office-show-all-label");
    if (label) {
      label.textContent = showing ? button.getAttribute("data-less") : button.getAttribute("data-more");
    }
  });
})(window.jQuery);
