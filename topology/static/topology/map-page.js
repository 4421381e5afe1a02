/* The map page (and the home page's map): load the data, draw the map (map.js), list the sites
 * behind a selected PoP with their status. With a status URL (json_script "map-status-url",
 * supplied by the dashboards layer), colour sites and PoPs by their live status and refresh it
 * every "map-status-refresh" seconds; the answer is
 * {sites: {id: status}, pops: {id: status}, counts: {status: n}, at}, and it is passed on to the
 * page's other live elements as a `menhir:status` event (dashboards/home-live.js). */
(function () {
  "use strict";
  const element = document.getElementById("map");
  if (!element) return;
  const panel = document.getElementById("map-panel");
  const jsonOf = (id) => { const el = document.getElementById(id); return el ? JSON.parse(el.textContent) : null; };
  const statusUrl = jsonOf("map-status-url");
  const refreshSeconds = jsonOf("map-status-refresh") || 30;
  let map = null;

  const statusText = window.menhirStatusWord;

  function showPop(pop, sites) {
    if (!panel) return;
    panel.replaceChildren();
    if (!pop) {
      const p = document.createElement("p");
      p.textContent = gettext("Click a PoP.");
      panel.appendChild(p);
      return;
    }
    const h = document.createElement("h2");
    h.textContent = interpolate(ngettext("%(pop)s — %(n)s establishment", "%(pop)s — %(n)s establishments", sites.length),
      {pop: pop.name, n: sites.length}, true);
    panel.appendChild(h);
    const ul = document.createElement("ul");
    ul.id = "pop-sites";
    ul.className = "pop-sites";
    for (const s of sites) {
      const li = document.createElement("li");
      const dot = document.createElement("span");
      const status = map.status[s.id];
      dot.className = "swatch swatch-" + (status || "active");
      dot.dataset.site = String(s.id);
      const a = document.createElement("a");
      a.href = "/establishments/" + s.id + "/";
      a.textContent = s.name + " [" + s.code + "]";
      li.append(dot, " ", a);
      if (status) {
        const small = document.createElement("span");
        small.className = "visually-hidden";
        small.textContent = " (" + statusText(status) + ")";
        li.appendChild(small);
      }
      ul.appendChild(li);
    }
    panel.appendChild(ul);
    const clear = document.createElement("button");
    clear.type = "button";
    clear.className = "button";
    clear.id = "map-clear-selection";
    clear.textContent = gettext("Clear the selection");
    clear.addEventListener("click", () => map.selectPop(pop.id));
    panel.appendChild(clear);
  }

  function showCounts(counts) {
    for (const [status, n] of Object.entries(counts || {})) {
      for (const el of document.querySelectorAll("[data-status-count='" + status + "']")) {
        el.textContent = String(n);
      }
    }
  }

  function fetchStatus() {
    return fetch(statusUrl, {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then((r) => { if (!r.ok) throw new Error("status: HTTP " + r.status); return r.json(); });
  }

  function applyStatus(s) {
    map.setStatus(s.sites, s.pops);
    if (map.selectedPop !== null) showPop(map.popById.get(map.selectedPop), map.subtree(map.selectedPop).sites);
    showCounts(s.counts);
    element.dataset.statusAt = s.at;
    element.dataset.statusLoads = String(Number(element.dataset.statusLoads || 0) + 1);
    if (!element.dataset.colouredAt) element.dataset.colouredAt = String(performance.now());
    // The page's other live elements redraw from the same answer (dashboards/home-live.js).
    document.dispatchEvent(new CustomEvent("menhir:status", {detail: s}));
  }

  function refresh() {
    return fetchStatus().then(applyStatus)
      .catch((error) => { element.dataset.statusError = String(error); });
  }

  // The first status is asked for alongside the map data, not after it.
  const firstStatus = statusUrl ? fetchStatus().catch((error) => ({error})) : null;
  fetch("/api/topology/map/", {credentials: "same-origin", headers: {Accept: "application/json"}})
    .then((r) => { if (!r.ok) throw new Error("map data: HTTP " + r.status); return r.json(); })
    .then((data) => {
      map = new window.MenhirMap(element, data, {siteUrl: "/establishments/{id}/", onSelectPop: showPop});
      window.menhirMap = map;
      element.dataset.ready = "1";
      if (!statusUrl) return;
      firstStatus.then((s) => {
        if (s.error) element.dataset.statusError = String(s.error); else applyStatus(s);
      });
      window.setInterval(refresh, refreshSeconds * 1000);
    })
    .catch((error) => { if (panel) panel.textContent = String(error); else element.dataset.error = String(error); });
})();
