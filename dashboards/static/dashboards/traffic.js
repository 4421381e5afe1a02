/* Throughput cards (establishment, link, PoP and operator pages): fetch the series for a range,
 * draw it with the committed rates as thresholds and incidents as bands; zooming refetches at a
 * finer resolution. Each `.traffic-card` holds its range picker and its canvas (data-url). */
(function () {
  "use strict";

  function thresholdsOf(d) {
    const out = [];
    if (d.committed_down_bps) out.push({value: d.committed_down_bps, label: "committed down", color: "#6a1b9a"});
    if (d.committed_up_bps && d.committed_up_bps !== d.committed_down_bps) {
      out.push({value: d.committed_up_bps, label: "committed up", color: "#ad1457"});
    }
    return out;
  }

  function setUp(card) {
    const canvas = card.querySelector("canvas.traffic-chart");
    const resolution = card.querySelector(".traffic-resolution");
    const buttons = card.querySelectorAll(".range-picker button");
    const url = canvas.dataset.url;
    let lastRange = "24h";
    let generation = 0;  // a slow answer for an older range never overwrites a newer one

    const chart = new window.MenhirChart(canvas, {
      unit: "bit/s",
      onZoom: (from, to) => {
        if (from === null) { load({range: lastRange}); return; }
        load({start: new Date(from).toISOString(), end: new Date(to).toISOString()});
      },
    });

    function load(params) {
      const query = new URLSearchParams(params).toString();
      const mine = ++generation;
      canvas.dataset.ready = "0";
      return fetch(url + "?" + query, {credentials: "same-origin", headers: {Accept: "application/json"}})
        .then((r) => { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
        .then((d) => {
          if (mine !== generation) return;
          chart.setData({
            range: [d.start, d.end],
            series: [
              {name: "down (in)", color: "#1565c0", points: d.points.map((p) => [p[0], p[1]])},
              {name: "up (out)", color: "#2e7d32", points: d.points.map((p) => [p[0], p[2]])},
            ],
            thresholds: thresholdsOf(d),
            bands: d.incidents.map((i) => ({from: i.from, to: i.to, label: i.kind})),
          });
          resolution.textContent = "resolution: " + d.resolution + " · " + d.points.length + " points"
            + (d.links > 1 ? " · " + d.links + " links" : "");
          canvas.dataset.resolution = d.resolution;
          canvas.dataset.incidents = String(d.incidents.length);
          canvas.dataset.ready = "1";
          canvas.dataset.drawnAt = String(performance.now());
        })
        .catch((e) => { if (mine === generation) resolution.textContent = "could not load the series: " + e.message; });
    }

    for (const button of buttons) {
      button.addEventListener("click", () => {
        for (const b of buttons) b.setAttribute("aria-pressed", "false");
        button.setAttribute("aria-pressed", "true");
        lastRange = button.dataset.range;
        load({range: lastRange});
      });
    }
    load({range: lastRange});
    return chart;
  }

  const charts = Array.from(document.querySelectorAll(".traffic-card")).map(setUp);
  window.menhirTrafficChart = charts[0] || null;
  window.menhirTrafficCharts = charts;
})();
