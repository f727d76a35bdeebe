/* Date and date-time boxes (app/registry/dates.py): typed text is kept as typed; the calendar
   (bootstrap-datepicker, shipped by Flask-AppBuilder) speaks the page's language and, on a
   date-time box, keeps the time already there when a day is picked. */
(function ($) {
  "use strict";
  if (!$ || !$.fn.datepicker) { return; }

  $.fn.datepicker.dates["zh-CN"] = {
    days: ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"],
    daysShort: ["周日", "周一", "周二", "周三", "周四", "周五", "周六"],
    daysMin: ["日", "一", "二", "三", "四", "五", "六"],
    months: ["一月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "十一月", "十二月"],
    monthsShort: ["1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"],
    today: "今天",
    clear: "清除",
    monthsTitle: "选择月份",
    titleFormat: "yyyy年mm月",
    format: "yyyy-mm-dd",
    weekStart: 1
  };

  var language = (document.documentElement.lang || "zh").toLowerCase().indexOf("zh") === 0 ? "zh-CN" : "en";
  var TIME = /\s+(\d{1,2}:\d{2}(:\d{2})?)\s*$/;

  function timeOf(value) {
    var found = TIME.exec(value || "");
    return found ? found[1] : "";
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function now() {
    var d = new Date();
    return pad(d.getHours()) + ":" + pad(d.getMinutes());
  }

  function setUp(input) {
    var $input = $(input);
    if ($input.data("office-picker")) { return; }
    $input.data("office-picker", true);
    var withTime = $input.data("picker") === "datetime";
    var kept = "";
    $input.datepicker({
      format: "yyyy-mm-dd",
      language: language,
      weekStart: 1,
      autoclose: true,
      todayHighlight: true,
      todayBtn: "linked",
      forceParse: false,        // what was typed stays as typed; the server says what is wrong
      showOnFocus: false,       // typing first; the button or a click opens the calendar
      keyboardNavigation: false,
      orientation: "bottom auto",
      container: $input.closest(".modal").length ? $input.closest(".modal") : "body"
    }).on("show", function () {
      kept = timeOf($input.val());
    }).on("changeDate", function () {
      if (!withTime) { return; }
      var day = $input.val().replace(TIME, "").trim();
      if (day) {
        $input.val(day + " " + (kept || timeOf($input.val()) || now()));
      }
    });
    $input.on("click", function () { $input.datepicker("show"); });
    $input.on("keydown", function (event) {
      if (event.key === "Escape") { $input.datepicker("hide"); }
      if (event.key === "Enter") { $input.datepicker("hide"); }
    });
    $input.closest(".office-picker").find(".office-picker-button").on("click", function () {
      kept = timeOf($input.val());
      $input.trigger("focus").datepicker("show");
    });
  }

  function setUpAll(root) {
    $(root || document).find("input.office-date, input.office-datetime").each(function () { setUp(this); });
  }

  // FAB's list filters call $(...).datetimepicker() on a cloned date box; no such plugin ships.
  $.fn.datetimepicker = function () {
    return this.each(function () {
      var box = $(this);
      var input = box.is("input") ? box : box.find("input");
      input.addClass(box.hasClass("appbuilder_date") ? "office-date" : "office-datetime");
      input.attr("data-picker", box.hasClass("appbuilder_date") ? "date" : "datetime");
      input.attr("autocomplete", "off");
      input.each(function () { setUp(this); });
    });
  };

  $(function () { setUpAll(document); });
  window.officeDates = setUpAll;
}(window.jQuery));
