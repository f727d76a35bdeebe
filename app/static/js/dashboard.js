/* The dashboard's charts (home page), drawn with the vendored Chart.js.
 *
 * The server renders every figure as a table of linked numbers and embeds the same
 * figures as JSON (#dashboard-data): categories, series of counts and the URL of the
 * list behind each count. This script draws a chart above each table, makes every bar
 * and slice a link to its list, and folds the table away (it stays one click open).
 * Labels come from the server, already in the user's language.
 */
(function () {
  "use strict";

  var dataNode = document.getElementById("dashboard-data");
  if (!dataNode || typeof window.Chart === "undefined") {
    return;  // no chart library: the tables are the dashboard
  }
  var figures = JSON.parse(dataNode.textContent || "{}");
  var root = document.getElementById("dashboard");
  var lang = document.documentElement.getAttribute("lang") || "zh-CN";
  var Chart = window.Chart;

  Chart.defaults.font.family = "'Helvetica Neue', Helvetica, Arial, 'PingFang SC', 'Hiragino Sans GB', " +
    "'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif";
  Chart.defaults.font.size = 12;
  Chart.defaults.color = "#333";
  Chart.defaults.locale = lang;

  function urlAt(figure, datasetIndex, index) {
    var series = figure.series[datasetIndex];
    return series && series.urls ? series.urls[index] : null;
  }

  function datasets(figure) {
    var single = figure.series.length === 1;
    return figure.series.map(function (s) {
      return {
        label: s.name,
        data: s.values,
        backgroundColor: single && figure.colours.length ? figure.colours : (s.colour || "#2f5f98"),
        borderColor: figure.chart === "doughnut" ? "#fff" : "transparent",
        borderWidth: figure.chart === "doughnut" ? 2 : 0,
        maxBarThickness: 22
      };
    });
  }

  /* A category label short enough for the axis (a CJK character counts double); the
     tooltip and the table keep the whole label. */
  function shorten(label, budget) {
    var width = 0;
    for (var i = 0; i < label.length; i++) {
      width += label.charCodeAt(i) > 0x2e80 ? 2 : 1;
      if (width > budget) {
        return label.slice(0, i) + "…";
      }
    }
    return label;
  }

  function longLabels(figure) {
    return figure.categories.some(function (c) { return c.length > 8; });
  }

  function options(figure) {
    var horizontal = figure.chart === "hbar";
    var doughnut = figure.chart === "doughnut";
    var opts = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: {
        legend: {
          display: doughnut || figure.series.length > 1,
          position: doughnut && !longLabels(figure) ? "right" : "bottom",
          labels: {boxWidth: 12, boxHeight: 12}
        },
        tooltip: {
          callbacks: {
            title: function (items) {
              return items.length && !doughnut ? figure.categories[items[0].dataIndex] : "";
            },
            label: function (ctx) {
              var name = doughnut ? ctx.label : ctx.dataset.label;
              return " " + name + ": " + Number(ctx.raw).toLocaleString(lang);
            }
          }
        }
      },
      onClick: function (event, elements) {
        if (!elements.length) {
          return;
        }
        var url = urlAt(figure, elements[0].datasetIndex, elements[0].index);
        if (url) {
          window.location.href = url;
        }
      },
      onHover: function (event, elements) {
        var target = event.native && event.native.target;
        if (target) {
          var url = elements.length && urlAt(figure, elements[0].datasetIndex, elements[0].index);
          target.style.cursor = url ? "pointer" : "default";
        }
      }
    };
    if (doughnut) {
      opts.cutout = "55%";
      return opts;
    }
    var countAxis = {
      beginAtZero: true,
      stacked: figure.stacked,
      ticks: {precision: 0},
      grid: {color: "#eee"}
    };
    var categoryAxis = {
      stacked: figure.stacked,
      grid: {display: false},
      ticks: {
        autoSkip: false,
        callback: function (value) {
          return shorten(String(this.getLabelForValue(value)), 30);
        }
      }
    };
    opts.indexAxis = horizontal ? "y" : "x";
    opts.scales = horizontal ? {x: countAxis, y: categoryAxis} : {x: categoryAxis, y: countAxis};
    return opts;
  }

  function height(figure) {
    if (figure.chart === "doughnut") {
      return longLabels(figure) ? 170 + figure.categories.length * 20 : 170;
    }
    var legend = figure.series.length > 1 ? 48 : 0;
    return Math.max(100, figure.categories.length * 24 + 36 + legend);
  }

  if (root) {
    root.classList.add("dash-charts");  // shows the chart boxes (hidden without JavaScript)
  }
  Array.prototype.forEach.call(document.querySelectorAll("canvas[data-figure]"), function (canvas) {
    var figure = figures[canvas.getAttribute("data-figure")];
    if (!figure) {
      return;
    }
    var box = canvas.parentNode;
    box.style.height = height(figure) + "px";
    new Chart(canvas, {
      type: figure.chart === "doughnut" ? "doughnut" : "bar",
      data: {labels: figure.categories, datasets: datasets(figure)},
      options: options(figure)
    });
    var details = box.parentNode.querySelector("details.dash-data");
    if (details) {
      details.removeAttribute("open");
    }
  });

  /* Cards of different heights packed without holes: each spans as many 4px grid rows as
     it is tall, measured again when a table is opened or the window resized. */
  function pack() {
    Array.prototype.forEach.call(document.querySelectorAll(".dash-grid"), function (grid) {
      grid.classList.add("dash-masonry");
      Array.prototype.forEach.call(grid.children, function (card) {
        card.style.gridRowEnd = "span " + Math.ceil((card.getBoundingClientRect().height + 16) / 4);
      });
    });
  }
  pack();
  window.addEventListener("resize", pack);
  Array.prototype.forEach.call(document.querySelectorAll(".dash-grid details"), function (details) {
    details.addEventListener("toggle", pack);
  });

  Array.prototype.forEach.call(document.querySelectorAll(".dash-swatch[data-colour]"), function (swatch) {
    swatch.style.backgroundColor = swatch.getAttribute("data-colour");
  });

}());
