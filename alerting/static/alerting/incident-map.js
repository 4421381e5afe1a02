/* The incident page's map: the network's PoPs and backbone with only the establishments this
 * incident impacts, red when cut off, amber when degraded (topology's MenhirMap draws it).
 * The impacted sites and their state come in the page (json_script "incident-impacts"). */
(function () {
  "use strict";
  const canvas = document.getElementById("incident-map");
  const note = document.getElementById("incident-map-note");
  const impacts = JSON.parse(document.getElementById("incident-impacts").textContent);

  fetch("/api/topology/map/", {credentials: "same-origin", headers: {Accept: "application/json"}})
    .then((r) => { if (!r.ok) throw new Error("map data: HTTP " + r.status); return r.json(); })
    .then((data) => {
      const shown = Object.assign({}, data, {sites: data.sites.filter((s) => s.id in impacts)});
      const map = new window.MenhirMap(canvas, shown, {siteUrl: "/establishments/{id}/", status: impacts});
      window.menhirIncidentMap = map;
      const placed = shown.sites.filter((s) => s.lat != null).length;
      const total = Object.keys(impacts).length;
      if (placed < total) note.textContent = (total - placed) + " impacted establishment(s) have no coordinates.";
      canvas.dataset.ready = "1";
    })
    .catch((error) => { note.textContent = String(error); });
})();
