/* The incident page's map: the network's PoPs and backbone with only the establishments this
 * incident impacts, red when cut off, amber when degraded (topology's MenhirMap draws it).
 * The impacted sites and their state come in the page (json_script "incident-impacts"). An
 * operator's account gets its own establishments only from /api/topology/map/ (no PoP). */
(function () {
  "use strict";
  const element = document.getElementById("incident-map");
  const note = document.getElementById("incident-map-note");
  const impacts = JSON.parse(document.getElementById("incident-impacts").textContent);

  fetch("/api/topology/map/", {credentials: "same-origin", headers: {Accept: "application/json"}})
    .then((r) => { if (!r.ok) throw new Error("map data: HTTP " + r.status); return r.json(); })
    .then((data) => {
      const shown = Object.assign({}, data, {sites: data.sites.filter((s) => s.id in impacts)});
      const map = new window.MenhirMap(element, shown, {siteUrl: "/establishments/{id}/", status: impacts});
      window.menhirIncidentMap = map;
      const placed = shown.sites.filter((s) => s.lat != null).length;
      const total = Object.keys(impacts).length;
      if (placed < total) {
        const n = total - placed;
        note.textContent = interpolate(ngettext("%(n)s impacted establishment has no coordinates.",
          "%(n)s impacted establishments have no coordinates.", n), {n}, true);
      }
      element.dataset.ready = "1";
    })
    .catch((error) => { note.textContent = String(error); });
})();
