/* Throughput cards (establishment, link, PoP and operator pages), drawn with uPlot (from the npm
 * registry, served by Menhir): in and out bit/s against the committed rates (dashed), incidents
 * as red bands. A missing interval is a gap, never a line across it: a null is put wherever two
 * samples are further apart than twice the series' step, and the read-out shows "no data"
 * there. The range is kept in the URL (?range=7d, or ?start=…&end=… after a drag to zoom, which
 * refetches at a finer resolution; a double-click goes back to the range). Each `.traffic-card`
 * holds its range picker and its chart element (data-url). */
(function () {
  "use strict";

  const PREFIXES = [[1e12, "T"], [1e9, "G"], [1e6, "M"], [1e3, "k"]];
  const DOWN = "#1565c0", UP = "#2e7d32", BAND = "rgba(198, 40, 40, 0.14)";
  const dateTime = window.uPlot.fmtDate("{DD}/{MM}/{YYYY} {HH}:{mm}");
  const dayMonth = window.uPlot.fmtDate("{DD}/{MM}");
  const hourMinute = window.uPlot.fmtDate("{HH}:{mm}");

  function si(value) {
    if (value === null || value === undefined) return gettext("no data");
    const abs = Math.abs(value);
    for (const [scale, prefix] of PREFIXES) {
      if (abs >= scale) return (value / scale).toFixed(abs / scale >= 100 ? 0 : 1) + " " + prefix + "bit/s";
    }
    return value.toFixed(0) + " bit/s";
  }

  /* Points [time ms, value…] as uPlot's columns [xs in seconds, values…] (`width` values), with
   * a null after every hole longer than twice the step. */
  function columns(points, width = 2) {
    const cols = Array.from({length: width + 1}, () => []);
    const steps = [];
    for (let i = 1; i < points.length; i++) steps.push(points[i][0] - points[i - 1][0]);
    steps.sort((a, b) => a - b);
    const step = steps.length ? steps[Math.floor(steps.length / 2)] : 0;
    for (let i = 0; i < points.length; i++) {
      const t = points[i][0];
      if (i > 0 && step && t - points[i - 1][0] > 2 * step) {
        cols[0].push((points[i - 1][0] + step) / 1000);
        for (let c = 1; c <= width; c++) cols[c].push(null);
      }
      cols[0].push(t / 1000);
      for (let c = 1; c <= width; c++) cols[c].push(points[i][c]);
    }
    return cols;
  }

  function axisDates(u, splits) {
    const span = (u.scales.x.max - u.scales.x.min);
    return splits.map((s) => {
      const d = new Date(s * 1000);
      return span <= 86400 ? hourMinute(d) : span <= 7 * 86400 ? dayMonth(d) + " " + hourMinute(d) : dayMonth(d);
    });
  }

  function rangeFromUrl() {
    const q = new URLSearchParams(window.location.search);
    if (q.get("start") && q.get("end")) return {start: q.get("start"), end: q.get("end")};
    return {range: q.get("range") || "24h"};
  }

  function keepInUrl(params) {
    const q = new URLSearchParams(window.location.search);
    for (const key of ["range", "start", "end"]) q.delete(key);
    for (const [k, v] of Object.entries(params)) q.set(k, v);
    window.history.replaceState(null, "", window.location.pathname + "?" + q.toString());
  }

  function setUp(card) {
    const box = card.querySelector(".traffic-chart");
    const resolution = card.querySelector(".traffic-resolution");
    const buttons = card.querySelectorAll(".range-picker button");
    const url = box.dataset.url;
    let wanted = rangeFromUrl();
    let lastRange = wanted.range || "24h";
    let generation = 0;  // a slow answer for an older range never overwrites a newer one
    let bands = [];
    let plot = null;

    function press(range) {
      for (const b of buttons) b.setAttribute("aria-pressed", b.dataset.range === range ? "true" : "false");
    }

    function drawBands(u) {
      const ctx = u.ctx;
      ctx.save();
      ctx.fillStyle = BAND;
      for (const b of bands) {
        const from = u.valToPos(Math.max(b.from / 1000, u.scales.x.min), "x", true);
        const to = u.valToPos(Math.min((b.to || Date.now()) / 1000, u.scales.x.max), "x", true);
        if (to > from) ctx.fillRect(from, u.bbox.top, to - from, u.bbox.height);
      }
      ctx.restore();
    }

    function make(data, committed) {
      const series = [
        {label: gettext("Time"), value: (u, v) => (v === null ? gettext("no data") : dateTime(new Date(v * 1000)))},
        {label: gettext("down (in)"), stroke: DOWN, width: 1.5, value: (u, v) => si(v), spanGaps: false},
        {label: gettext("up (out)"), stroke: UP, width: 1.5, value: (u, v) => si(v), spanGaps: false},
      ];
      for (const c of committed) series.push({label: c.label, stroke: c.color, dash: [6, 4], width: 1, value: (u, v) => si(v), points: {show: false}});
      const width = Math.max(280, box.clientWidth);
      const options = {
        width: width, height: 300,
        series: series,
        scales: {x: {time: true}, y: {range: (u, min, max) => [0, Math.max(max, 1) * 1.08]}},
        axes: [
          {values: axisDates, size: 36},
          {values: (u, splits) => splits.map(si), size: 92},
        ],
        cursor: {drag: {x: true, y: false, setScale: false}},
        legend: {live: true},
        hooks: {
          drawClear: [drawBands],
          setSelect: [(u) => {
            if (u.select.width < 8) return;
            const from = u.posToVal(u.select.left, "x"), to = u.posToVal(u.select.left + u.select.width, "x");
            u.setSelect({left: 0, top: 0, width: 0, height: 0}, false);
            load({start: new Date(from * 1000).toISOString(), end: new Date(to * 1000).toISOString()});
          }],
        },
      };
      if (plot) plot.destroy();
      plot = new window.uPlot(options, data, box);
      plot.over.addEventListener("dblclick", () => load({range: lastRange}));
      return plot;
    }

    function load(params, remember = true) {
      const query = new URLSearchParams(params).toString();
      const mine = ++generation;
      box.dataset.ready = "0";
      if (remember) keepInUrl(params);  // the page's own address stays as it was opened
      press(params.range || "");
      return fetch(url + "?" + query, {credentials: "same-origin", headers: {Accept: "application/json"}})
        .then((r) => { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
        .then((d) => {
          if (mine !== generation) return;
          const data = columns(d.points);
          const committed = [];
          if (d.committed_down_bps) committed.push({label: "committed down", color: "#6a1b9a", value: d.committed_down_bps});
          if (d.committed_up_bps && d.committed_up_bps !== d.committed_down_bps) {
            committed.push({label: "committed up", color: "#ad1457", value: d.committed_up_bps});
          }
          for (const c of committed) data.push(data[0].map(() => c.value));
          if (!data[0].length) data.forEach((col, i) => col.push(i === 0 ? d.end / 1000 : null));
          bands = d.incidents;
          make(data, committed);
          plot.setScale("x", {min: d.start / 1000, max: d.end / 1000});
          const measured = data[1].filter((v) => v !== null).length + data[2].filter((v) => v !== null).length;
          resolution.textContent = interpolate(gettext("resolution: %(resolution)s · %(points)s points"),
            {resolution: d.resolution, points: d.points.length}, true)
            + (d.links > 1 ? " · " + interpolate(gettext("%(links)s links"), {links: d.links}, true) : "");
          box.dataset.resolution = d.resolution;
          box.dataset.points = String(measured);
          box.dataset.gaps = String(data[0].length - d.points.length);
          box.dataset.incidents = String(d.incidents.length);
          box.dataset.ready = "1";
          box.dataset.drawnAt = String(performance.now());
        })
        .catch((e) => { if (mine === generation) resolution.textContent = gettext("could not load the series:") + " " + e.message; });
    }

    for (const button of buttons) {
      button.addEventListener("click", () => {
        lastRange = button.dataset.range;
        load({range: lastRange});
      });
    }
    window.addEventListener("resize", () => { if (plot) plot.setSize({width: Math.max(280, box.clientWidth), height: 300}); });
    load(wanted, false);
    return {get plot() { return plot; }, load: load};
  }

  // What the quality cards (quality.js) draw with too.
  window.menhirChartTools = {columns, axisDates, rangeFromUrl, keepInUrl, dateTime};

  const charts = Array.from(document.querySelectorAll(".traffic-card")).map(setUp);
  window.menhirTrafficChart = charts[0] || null;
  window.menhirTrafficCharts = charts;
})();
