/* The establishment page's throughput chart: fetch the series for a range, draw it with the
 * committed rates as thresholds and incidents as bands; zooming refetches at a finer resolution. */
(function () {
  "use strict";
  const canvas = document.getElementById("traffic");
  if (!canvas) return;
  const resolution = document.getElementById("traffic-resolution");
  const url = canvas.dataset.url;
  let lastRange = "24h";

  const chart = new window.MenhirChart(canvas, {
    unit: "bit/s",
    onZoom: (from, to) => {
      if (from === null) { load({range: lastRange}); return; }
      load({start: new Date(from).toISOString(), end: new Date(to).toISOString()});
    },
  });
  window.menhirTrafficChart = chart;

  function load(params) {
    const query = new URLSearchParams(params).toString();
    canvas.dataset.ready = "0";
    return fetch(url + "?" + query, {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then((r) => { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
      .then((d) => {
        const thresholds = [];
        if (d.committed_down_bps) thresholds.push({value: d.committed_down_bps, label: "committed down", color: "#6a1b9a"});
        if (d.committed_up_bps && d.committed_up_bps !== d.committed_down_bps) {
          thresholds.push({value: d.committed_up_bps, label: "committed up", color: "#ad1457"});
        }
        chart.setData({
          range: [d.start, d.end],
          series: [
            {name: "down (in)", color: "#1565c0", points: d.points.map((p) => [p[0], p[1]])},
            {name: "up (out)", color: "#2e7d32", points: d.points.map((p) => [p[0], p[2]])},
          ],
          thresholds,
          bands: d.incidents.map((i) => ({from: i.from, to: i.to, label: i.kind})),
        });
        resolution.textContent = "resolution: " + d.resolution + " · " + d.points.length + " points";
        canvas.dataset.resolution = d.resolution;
        canvas.dataset.ready = "1";
      })
      .catch((e) => { resolution.textContent = "could not load the series: " + e.message; });
  }

  for (const button of document.querySelectorAll(".range-picker button")) {
    button.addEventListener("click", () => {
      for (const b of document.querySelectorAll(".range-picker button")) b.setAttribute("aria-pressed", "false");
      button.setAttribute("aria-pressed", "true");
      lastRange = button.dataset.range;
      load({range: lastRange});
    });
  }
  load({range: lastRange});
})();
