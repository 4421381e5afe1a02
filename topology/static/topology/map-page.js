/* The map page: load the data, draw the map, list the sites behind a selected PoP. */
(function () {
  "use strict";
  const canvas = document.getElementById("map");
  const panel = document.getElementById("map-panel");
  const statusEl = document.getElementById("map-status-url");
  const statusUrl = statusEl ? JSON.parse(statusEl.textContent) : null;

  function showPop(pop, sites) {
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

  fetch("/api/topology/map/", {credentials: "same-origin", headers: {Accept: "application/json"}})
    .then((r) => { if (!r.ok) throw new Error("map data: HTTP " + r.status); return r.json(); })
    .then((data) => {
      const map = new window.MenhirMap(canvas, data, {siteUrl: "/establishments/{id}/", onSelectPop: showPop});
      window.menhirMap = map;
      canvas.dataset.ready = "1";
      if (statusUrl) {
        fetch(statusUrl, {credentials: "same-origin"}).then((r) => r.json()).then((s) => map.setStatus(s));
      }
    })
    .catch((error) => { panel.textContent = String(error); });
})();
