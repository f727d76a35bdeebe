/* The office calendar (templates/office/agenda.html, app/agenda): one FullCalendar event source
   per ticked entity, asked again when a filter changes; a drag posts the move and is undone,
   with the reasons shown, when the record's rules refuse it. Times are shown as stored (the
   office's local time): the calendar's zone is UTC and nothing is converted. */
(function () {
  "use strict";
  var panel = document.querySelector(".office-agenda");
  if (!panel || !window.FullCalendar) { return; }
  var form = panel.querySelector(".office-agenda-filters");
  var eventsUrl = panel.getAttribute("data-events-url");
  var csrf = (document.querySelector("meta[name=csrf-token]") || {}).content ||
    (document.querySelector("input[name=csrf_token]") || {}).value || "";

  function filters() {
    var out = {};
    form.querySelectorAll("select").forEach(function (select) {
      if (select.value) { out[select.name] = select.value; }
    });
    return out;
  }

  function sourceOf(name) {
    return { id: name, url: eventsUrl.replace("__source__", encodeURIComponent(name)),
             extraParams: filters, failure: function () { flash([name + ": ?"]); } };
  }

  function flash(messages, kind) {
    var box = panel.querySelector(".office-agenda-message");
    if (!box) {
      box = document.createElement("div");
      box.setAttribute("role", "alert");
      panel.querySelector(".panel-body").insertBefore(box, panel.querySelector(".panel-body").firstChild);
    }
    box.className = "alert office-agenda-message alert-" + (kind || "danger");
    box.textContent = messages.join(" ");
  }

  function moved(info) {
    var event = info.event;
    var body = { entity: event.extendedProps.entity, pk: event.extendedProps.pk,
                 version: event.extendedProps.version,
                 start: event.start ? event.start.toISOString() : null,
                 end: event.end ? event.end.toISOString() : null };
    if (event.allDay && event.start) { body.start = event.startStr; body.end = null; }
    fetch(panel.getAttribute("data-move-url"), {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      body: JSON.stringify(body)
    }).then(function (answer) {
      return answer.json().then(function (data) { return { ok: answer.ok, data: data }; });
    }).then(function (result) {
      if (!result.ok) {
        info.revert();
        flash(result.data.messages || ["?"]);
      } else {
        flash([panel.getAttribute("data-moved-word")], "success");
        calendar.refetchEvents();          // the new version, and what moved with it (a request's bookings)
      }
    }).catch(function () { info.revert(); flash(["?"]); });
  }

  var calendar = new FullCalendar.Calendar(document.getElementById("office-agenda-calendar"), {
    locale: panel.getAttribute("data-locale"),
    timeZone: "UTC",
    initialView: "dayGridMonth",
    headerToolbar: { left: "prev,next today", center: "title", right: "dayGridMonth,timeGridWeek,timeGridDay,listWeek" },
    firstDay: 1,
    height: "auto",
    nowIndicator: true,
    slotMinTime: "07:00:00",
    slotMaxTime: "22:00:00",
    dayMaxEvents: 4,
    eventTimeFormat: { hour: "2-digit", minute: "2-digit", hour12: false },
    eventSources: [],
    eventDrop: moved,
    eventResize: moved
  });
  function ticked() {
    return Array.prototype.map.call(form.querySelectorAll("input[name=source]:checked"), function (box) {
      return box.value;
    });
  }
  function reload() {
    calendar.getEventSources().forEach(function (source) { source.remove(); });
    ticked().forEach(function (name) { calendar.addEventSource(sourceOf(name)); });
  }
  form.addEventListener("change", reload);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  reload();
  calendar.render();
}());
