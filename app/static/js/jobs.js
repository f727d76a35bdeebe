/* A job's page (templates/office/job.html): asks the job's state every second or two and
   moves the bar; when it is ready the download button shows, when it failed the reason; a job
   with an outcome (an import, the search index) reloads the page, which draws it. */
(function () {
  "use strict";
  var panel = document.querySelector(".office-job[data-state-url]");
  if (!panel) { return; }
  var url = panel.getAttribute("data-state-url");
  var bar = panel.querySelector(".progress-bar");
  var label = panel.querySelector(".office-job-label");
  var rows = panel.querySelector(".office-job-rows");
  var wait = 1000;

  function number(n) { return (n || 0).toLocaleString(); }

  function show(state) {
    label.textContent = state.label;
    bar.style.width = state.percent + "%";
    bar.textContent = state.percent + "%";
    bar.setAttribute("aria-valuenow", state.percent);
    if (state.total) {
      rows.textContent = panel.getAttribute("data-rows-word")
        .replace("{done}", number(state.done)).replace("{total}", number(state.total));
    }
    if (!state.finished) { return false; }
    if (state.reload) { window.location.reload(); return true; }
    bar.classList.remove("progress-bar-striped", "active");
    panel.querySelector(".office-job-waiting").hidden = true;
    if (state.url) {
      panel.querySelector(".office-job-download").setAttribute("href", state.url);
      panel.querySelector(".office-job-ready").hidden = false;
    }
    if (state.status === "DONE") {
      bar.classList.add("progress-bar-success");
    } else {
      bar.classList.add("progress-bar-danger");
      var reason = panel.querySelector(".office-job-reason");
      reason.textContent = state.reason || "";
      reason.hidden = false;
    }
    return true;
  }

  function ask() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (answer) { return answer.ok ? answer.json() : null; })
      .then(function (state) {
        if (state && show(state)) { return; }
        wait = Math.min(wait * 1.3, 5000);
        window.setTimeout(ask, wait);
      })
      .catch(function () { window.setTimeout(ask, 5000); });
  }

  if (panel.querySelector(".office-job-waiting") && !panel.querySelector(".office-job-waiting").hidden) {
    window.setTimeout(ask, wait);
  }
}());
