/* Quality cards (link and establishment pages, issue 19): the prober's round-trip time (median
 * line in a band from the lowest to the highest), loss % and jitter, three uPlot charts sharing
 * one cursor, from /dashboards/…/quality/. The same range picker, URL keeping, gaps, zoom by drag
 * and double-click back as the throughput cards (traffic.js, whose helpers this reuses); an empty
 * state when the range holds no measurement (a link not probed). */
(function () {
  "use strict";

  const tools = window.menhirChartTools;
  const RTT = "#1565c0", BAND = "rgba(21, 101, 192, 0.15)", LOSS = "#c62828", JITTER = "#6a1b9a";

  function ms(value) {
    return value === null || value === undefined ? gettext("no data") : value.toFixed(value < 10 ? 2 : 1) + " ms";
  }

  function pct(value) {
    return value === null || value === undefined ? gettext("no data") : value.toFixed(1) + " %";
  }

  function setUp(card) {
    const url = card.dataset.url;
    const boxes = {rtt: card.querySelector(".quality-rtt"), loss: card.querySelector(".quality-loss"),
                   jitter: card.querySelector(".quality-jitter")};
    const resolution = card.querySelector(".quality-resolution");
    const empty = card.querySelector(".quality-empty");
    const linkLabel = card.querySelector(".quality-link");
    const buttons = card.querySelectorAll(".range-picker button");
    const sync = "quality-" + url;  // the three charts of this card share the cursor
    let lastRange = tools.rangeFromUrl().range || "24h";
    let generation = 0;
    let plots = [];

    function press(range) {
      for (const b of buttons) b.setAttribute("aria-pressed", b.dataset.range === range ? "true" : "false");
    }

    function time(label) {
      return {label: label, value: (u, v) => (v === null ? gettext("no data") : tools.dateTime(new Date(v * 1000)))};
    }

    function options(box, series, format, top, extra) {
      return Object.assign({
        width: Math.max(280, box.clientWidth), height: 180,
        series: series,
        scales: {x: {time: true}, y: {range: (u, min, max) => [0, top(max)]}},
        axes: [{values: tools.axisDates, size: 36}, {values: (u, splits) => splits.map(format), size: 70}],
        cursor: {sync: {key: sync}, drag: {x: true, y: false, setScale: false}},
        legend: {live: true},
        hooks: {setSelect: [(u) => {
          if (u.select.width < 8) return;
          const from = u.posToVal(u.select.left, "x"), to = u.posToVal(u.select.left + u.select.width, "x");
          u.setSelect({left: 0, top: 0, width: 0, height: 0}, false);
          load({start: new Date(from * 1000).toISOString(), end: new Date(to * 1000).toISOString()});
        }]},
      }, extra || {});
    }

    function draw(d) {
      // [xs, median, min, max, loss, jitter]
      const cols = tools.columns(d.points, 5);
      if (!cols[0].length) cols.forEach((col, i) => col.push(i === 0 ? d.end / 1000 : null));
      const up = (max) => Math.max(max || 0, 1) * 1.1;
      for (const p of plots) p.destroy();
      plots = [
        new window.uPlot(options(boxes.rtt, [
          time(gettext("Time")),
          {label: gettext("median RTT"), stroke: RTT, width: 1.5, value: (u, v) => ms(v), spanGaps: false},
          {label: gettext("lowest"), stroke: BAND, width: 1, value: (u, v) => ms(v), spanGaps: false, points: {show: false}},
          {label: gettext("highest"), stroke: BAND, width: 1, value: (u, v) => ms(v), spanGaps: false, points: {show: false}},
        ], ms, up, {bands: [{series: [3, 2], fill: BAND}]}), [cols[0], cols[1], cols[2], cols[3]], boxes.rtt),
        new window.uPlot(options(boxes.loss, [
          time(gettext("Time")),
          {label: gettext("loss"), stroke: LOSS, fill: "rgba(198, 40, 40, 0.15)", width: 1.5, value: (u, v) => pct(v), spanGaps: false},
        ], pct, (max) => Math.min(100, Math.max(max || 0, 1) * 1.1)), [cols[0], cols[4]], boxes.loss),
        new window.uPlot(options(boxes.jitter, [
          time(gettext("Time")),
          {label: gettext("jitter"), stroke: JITTER, width: 1.5, value: (u, v) => ms(v), spanGaps: false},
        ], ms, up), [cols[0], cols[5]], boxes.jitter),
      ];
      for (const p of plots) {
        p.setScale("x", {min: d.start / 1000, max: d.end / 1000});
        p.over.addEventListener("dblclick", () => load({range: lastRange}));
      }
    }

    function load(params, remember = true) {
      const mine = ++generation;
      card.dataset.ready = "0";
      if (remember) tools.keepInUrl(params);
      press(params.range || "");
      return fetch(url + "?" + new URLSearchParams(params).toString(),
                   {credentials: "same-origin", headers: {Accept: "application/json"}})
        .then((r) => { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
        .then((d) => {
          if (mine !== generation) return;
          const none = d.points.length === 0;
          card.dataset.empty = none ? "1" : "0";
          empty.hidden = !none;
          linkLabel.textContent = d.link ? d.link.circuit_id : "";
          if (!none) draw(d);
          resolution.textContent = interpolate(gettext("resolution: %(resolution)s · %(points)s points"),
            {resolution: d.resolution, points: d.points.length}, true);
          card.dataset.resolution = d.resolution;
          card.dataset.points = String(d.points.length);
          card.dataset.ready = "1";
        })
        .catch((e) => { if (mine === generation) resolution.textContent = gettext("could not load the series:") + " " + e.message; });
    }

    for (const button of buttons) {
      button.addEventListener("click", () => { lastRange = button.dataset.range; load({range: lastRange}); });
    }
    window.addEventListener("resize", () => {
      const names = ["rtt", "loss", "jitter"];
      plots.forEach((p, i) => p.setSize({width: Math.max(280, boxes[names[i]].clientWidth), height: 180}));
    });
    load(tools.rangeFromUrl(), false);
    return {get plots() { return plots; }, load: load};
  }

  window.menhirQualityCharts = Array.from(document.querySelectorAll(".quality-card")).map(setUp);
})();
