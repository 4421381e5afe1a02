/* The map page (and the home page's map): load the data, draw the map, list the sites behind a
 * selected PoP. With a status URL (json_script "map-status-url", supplied by the dashboards
 * layer), colour sites and PoPs by their live status and refresh it every "map-status-refresh"
 * seconds; the answer is {sites: {id: status}, pops: {id: status}, counts: {status: n}}. */
(function () {
  "use strict";
  const canvas = document.getElementById("map");
  if (!canvas) return;
  const panel = document.getElementById("map-panel");
  const jsonOf = (id) => { const el = document.getElementById(id); return el ? JSON.parse(el.textContent) : null; };
  const statusUrl = jsonOf("map-status-url");
  const refreshSeconds = jsonOf("map-status-refresh") || 30;

  function showPop(pop, sites) {
    if (!panel) return;
    panel.replaceChildren();
    if (!pop) { panel.textContent = "Click a PoP."; return; }
    const h = document.createElement("h2");
    h.textContent = pop.name + " — " + sites.length + " establishments";
    panel.appendChild(h);
    const ul = document.createElement("ul");
    ul.id = "pop-sites";
    for (const s of sites) {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = "/establishments/" + s.id + "/";
      a.textContent = s.name + " [" + s.code + "]";
      li.appendChild(a);
      ul.appendChild(li);
    }
    panel.appendChild(ul);
  }

  function showCounts(counts) {
    for (const [status, n] of Object.entries(counts || {})) {
      for (const el of document.querySelectorAll("[data-status-count='" + status + "']")) el.textContent = String(n);
    }
  }

  function fetchStatus() {
    return fetch(statusUrl, {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then((r) => { if (!r.ok) throw new Error("status: HTTP " + r.status); return r.json(); });
  }

  function applyStatus(map, s) {
    map.setStatus(s.sites, s.pops);
    showCounts(s.counts);
    canvas.dataset.statusAt = s.at;
    canvas.dataset.statusLoads = String(Number(canvas.dataset.statusLoads || 0) + 1);
    if (!canvas.dataset.colouredAt) canvas.dataset.colouredAt = String(performance.now());
    // The page's other live elements redraw from the same answer (dashboards/home-live.js).
    document.dispatchEvent(new CustomEvent("menhir:status", {detail: s}));
  }

  function refresh(map) {
    return fetchStatus().then((s) => applyStatus(map, s))
      .catch((error) => { canvas.dataset.statusError = String(error); });
  }

  // The first status is asked for alongside the map data, not after it.
  const firstStatus = statusUrl ? fetchStatus().catch((error) => ({error})) : null;
  fetch("/api/topology/map/", {credentials: "same-origin", headers: {Accept: "application/json"}})
    .then((r) => { if (!r.ok) throw new Error("map data: HTTP " + r.status); return r.json(); })
    .then((data) => {
      const map = new window.MenhirMap(canvas, data, {siteUrl: "/establishments/{id}/", onSelectPop: showPop});
      window.menhirMap = map;
      canvas.dataset.ready = "1";
      if (!statusUrl) return;
      firstStatus.then((s) => {
        if (s.error) canvas.dataset.statusError = String(s.error); else applyStatus(map, s);
      });
      window.setInterval(() => refresh(map), refreshSeconds * 1000);
    })
    .catch((error) => { if (panel) panel.textContent = String(error); else canvas.dataset.error = String(error); });
})();
