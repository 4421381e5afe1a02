/* The logical view's live status: each PoP of the loop and each site of the selected PoP's tree
 * in its status colour (topology.css), from the same answer as the map's
 * ({sites: {id: status}, pops: {id: status}, counts, at}, json_script "map-status-url"),
 * refreshed every "map-status-refresh" seconds. */
(function () {
  "use strict";
  const ring = document.getElementById("ring");
  const jsonOf = (id) => { const el = document.getElementById(id); return el ? JSON.parse(el.textContent) : null; };
  const statusUrl = jsonOf("map-status-url");
  if (!ring || !statusUrl) return;
  const refreshSeconds = jsonOf("map-status-refresh") || 30;
  const STATUSES = ["up", "down", "degraded", "maintenance", "unknown", "planned", "active"];

  const label = window.menhirStatusWord;

  function paint(el, status) {
    for (const s of STATUSES) el.classList.remove("status-" + s, "swatch-" + s);
    if (!status) return;
    el.classList.add(el.classList.contains("swatch") ? "swatch-" + status : "status-" + status);
  }

  function apply(s) {
    const pops = s.pops || {}, sites = s.sites || {};
    for (const el of ring.querySelectorAll("circle.ring-pop[data-pop]")) paint(el, pops[el.dataset.pop]);
    for (const a of ring.querySelectorAll("a.ring-node[data-pop]")) {
      const title = a.querySelector("title");
      const name = a.querySelector("text").textContent;
      const status = pops[a.dataset.pop];
      title.textContent = status ? name + " — " + label(status) : name;
    }
    for (const el of document.querySelectorAll(".swatch[data-pop]")) paint(el, pops[el.dataset.pop]);
    for (const el of document.querySelectorAll(".swatch[data-site]")) paint(el, sites[el.dataset.site]);
    for (const el of document.querySelectorAll("[data-site-status]")) {
      const status = sites[el.dataset.siteStatus];
      el.textContent = status ? "· " + label(status) : "";
    }
    for (const [status, n] of Object.entries(s.counts || {})) {
      for (const el of document.querySelectorAll("[data-status-count='" + status + "']")) {
        el.textContent = String(n);
      }
    }
    ring.dataset.statusAt = s.at;
    ring.dataset.statusLoads = String(Number(ring.dataset.statusLoads || 0) + 1);
  }

  function refresh() {
    return fetch(statusUrl, {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then((r) => { if (!r.ok) throw new Error("status: HTTP " + r.status); return r.json(); })
      .then(apply)
      .catch((error) => { ring.dataset.statusError = String(error); });
  }

  refresh();
  window.setInterval(refresh, refreshSeconds * 1000);
})();
