/* Menhir's geographic map of Brittany, drawn with Leaflet and Leaflet.markercluster (npm packages
 * served by Menhir itself, /static/vendor/): the IGN department outlines, PoPs (squares), the
 * backbone (lines) and the establishments (dots, grouped into clusters when zoomed out). No tile
 * server unless one is configured (MENHIR_MAP_TILE_URL, handed over in the map data's `tiles`).
 *
 * new MenhirMap(element, data, {siteUrl, onSelectPop, status, popStatus}) where `data` comes from
 * /api/topology/map/ and `status` / `popStatus` (optional) map a site / PoP id to "up" | "down"
 * | "degraded" | "maintenance" | "unknown" | "planned" (the dashboards layer supplies the live
 * ones, then calls setStatus() at each refresh). A cluster takes its worst member's colour.
 * Markers are buttons: Tab reaches them, Enter opens a site or selects a PoP, a cluster zooms in;
 * the map itself pans with the arrow keys and zooms with + and -. Selecting a PoP draws its tree
 * (the secondary PoPs and the sites behind it) over the map; every dot keeps its status colour.
 */
(function () {
  "use strict";

  const L = window.L;
  const COLORS = {
    up: "#2e7d32", degraded: "#f9a825", down: "#c62828", unknown: "#9e9e9e", maintenance: "#00838f",
    active: "#1565c0", planned: "#8e99a4", selected: "#6a1b9a",
  };
  const RANK = {down: 6, degraded: 5, maintenance: 4, unknown: 3, up: 2, active: 1, planned: 0};
  const ZOOM_UNCLUSTERED = 12;  // from this zoom on, every site is drawn on its own

  function statusLabel(status) {
    return window.menhirStatusWord(status) || gettext("status not shown");
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
  }

  class MenhirMap {
    constructor(element, data, options) {
      this.element = element;
      this.data = data;
      this.options = options || {};
      this.status = this.options.status || {};
      this.popStatus = this.options.popStatus || {};
      this.selectedPop = null;
      this.inTree = new Set();
      this.popById = new Map(data.pops.map((p) => [p.id, p]));
      this.siteMarkers = new Map();
      this.popMarkers = new Map();

      this.map = L.map(element, {zoomSnap: 0.25, zoomDelta: 1, wheelPxPerZoomLevel: 120, attributionControl: false});
      const tiles = data.tiles || {};
      if (tiles.url) {
        L.control.attribution({prefix: false}).addTo(this.map);
        L.tileLayer(tiles.url, {attribution: escapeHtml(tiles.attribution || ""), maxZoom: 18}).addTo(this.map);
      }
      this._drawDepartments();
      this._fit();
      this.backbone = L.layerGroup().addTo(this.map);
      this._drawBackbone();
      this.tree = L.layerGroup().addTo(this.map);
      this.clusters = L.markerClusterGroup({
        maxClusterRadius: 40,
        disableClusteringAtZoom: ZOOM_UNCLUSTERED,
        showCoverageOnHover: false,
        spiderfyOnMaxZoom: true,
        iconCreateFunction: (cluster) => this._clusterIcon(cluster),
      });
      this.clusters.on("clustermouseover", (e) => this._clusterTooltip(e.layer));
      // A cluster reached with Tab shows its tooltip too (sites and PoPs have Leaflet's own).
      element.addEventListener("focusin", (e) => {
        if (!e.target.classList.contains("menhir-cluster")) return;
        this.clusters._featureGroup.eachLayer((layer) => {
          if (layer instanceof L.MarkerCluster && layer.getElement() === e.target) this._clusterTooltip(layer);
        });
      });
      const markers = [];
      for (const site of data.sites) {
        if (site.lat == null || site.lon == null) continue;
        const marker = L.marker([site.lat, site.lon], {icon: this._siteIcon(site), keyboard: true, riseOnHover: true});
        marker.site = site;
        // On a touch screen, a first tap shows the tooltip and a second one opens the site.
        marker.on("click", (e) => {
          const touch = e.originalEvent && e.originalEvent.pointerType === "touch";
          if (touch && this._tapped !== marker) {
            this._tapped = marker;
            marker.openTooltip();
            return;
          }
          this._openSite(site);
        });
        marker.bindTooltip(() => this._siteTooltip(site), {direction: "top", offset: [0, -6]});
        marker.on("keypress", (e) => { if (e.originalEvent.key === "Enter" || e.originalEvent.key === " ") this._openSite(site); });
        this.siteMarkers.set(site.id, marker);
        markers.push(marker);
      }
      this.clusters.addLayers(markers);
      this.clusters.addTo(this.map);
      this._drawPops();
      this.map.on("zoomend", () => this._labelSecondaryPops());
      this._labelSecondaryPops();
    }

    /* the department outlines, and the view that holds them */
    _drawDepartments() {
      const polygons = [];
      for (const dep of this.data.departments) {
        const rings = dep.rings.map((ring) => ring.map(([lon, lat]) => [lat, lon]));
        polygons.push(L.polygon(rings.map((r) => [r]), {
          color: "#90a4ae", weight: 1, fillColor: "#ffffff", fillOpacity: 1, interactive: false,
          className: "menhir-department",
        }));
      }
      this.departments = L.featureGroup(polygons).addTo(this.map);
    }

    _fit() {
      const bounds = this.departments.getLayers().length ? this.departments.getBounds()
        : L.latLngBounds([[47.2, -5.2], [48.9, -1.0]]);
      this.homeBounds = bounds;
      this.map.fitBounds(bounds, {padding: [8, 8], animate: false});
      // A whole minimum zoom: markercluster skips the top level's lone markers otherwise.
      this.map.setMinZoom(Math.max(0, Math.floor(this.map.getZoom()) - 1));
      this.map.setMaxZoom(18);
    }

    _drawBackbone() {
      for (const link of this.data.backbone) {
        const a = this.popById.get(link.a), b = this.popById.get(link.b);
        if (!a || !b || a.lat == null || b.lat == null) continue;
        const core = a.kind === "backbone" && b.kind === "backbone";
        L.polyline([[a.lat, a.lon], [b.lat, b.lon]], {
          color: core ? "#37474f" : "#78909c", weight: core ? 3 : 1.5, interactive: false,
          className: core ? "menhir-backbone core" : "menhir-backbone",
        }).addTo(this.backbone);
      }
    }

    _drawPops() {
      for (const pop of this.data.pops) {
        if (pop.lat == null || pop.lon == null) continue;
        const marker = L.marker([pop.lat, pop.lon], {
          icon: this._popIcon(pop), keyboard: true, zIndexOffset: pop.kind === "backbone" ? 2000 : 1000,
        });
        marker.pop = pop;
        marker.bindTooltip(() => this._popTooltip(pop), {direction: "right", offset: [8, 0], className: "menhir-pop-label", permanent: false});
        marker.on("click", () => this.selectPop(pop.id));
        marker.on("keypress", (e) => { if (e.originalEvent.key === "Enter" || e.originalEvent.key === " ") this.selectPop(pop.id); });
        marker.addTo(this.map);
        this.popMarkers.set(pop.id, marker);
      }
    }

    /* backbone PoPs always show their names; secondary ones once zoomed in */
    _labelSecondaryPops() {
      const zoomedIn = this.map.getZoom() >= this.map.getMinZoom() + 3;
      for (const marker of this.popMarkers.values()) {
        const pop = marker.pop;
        const permanent = pop.kind === "backbone" || zoomedIn || pop.id === this.selectedPop;
        const tooltip = marker.getTooltip();
        if (tooltip.options.permanent === permanent) continue;
        marker.unbindTooltip();
        marker.bindTooltip(permanent ? pop.name : () => this._popTooltip(pop), {
          direction: permanent ? "auto" : "right", offset: [8, 0], permanent,
          className: permanent ? "menhir-pop-label permanent" : "menhir-pop-label",
        });
      }
    }

    siteStatus(site) {
      return this.status[site.id] || "active";
    }

    _siteClasses(site) {
      let cls = "menhir-site site-" + site.id + " status-" + this.siteStatus(site);
      if (this.selectedPop !== null) cls += this.inTree.has(site.id) ? " in-tree" : " dimmed";
      return cls;
    }

    _siteIcon(site) {
      const label = site.name + " [" + site.code + "], " + statusLabel(this.status[site.id]);
      return L.divIcon({
        className: this._siteClasses(site), iconSize: [12, 12],
        html: '<span class="visually-hidden">' + escapeHtml(label) + "</span>",
      });
    }

    _siteTooltip(site) {
      return "<strong>" + escapeHtml(site.name) + "</strong> [" + escapeHtml(site.code) + "]<br>"
        + escapeHtml(statusLabel(this.status[site.id]));
    }

    _popIcon(pop) {
      const status = this.popStatus[pop.id];
      let cls = "menhir-pop kind-" + pop.kind + " pop-" + pop.id + (status ? " status-" + status : "");
      if (pop.id === this.selectedPop) cls += " selected";
      const size = pop.kind === "backbone" ? 16 : 12;
      const label = interpolate(gettext("PoP %(name)s"), {name: pop.name}, true)
        + (status ? ", " + statusLabel(status) : "");
      return L.divIcon({className: cls, iconSize: [size, size], html: '<span class="visually-hidden">' + escapeHtml(label) + "</span>"});
    }

    _popTooltip(pop) {
      const status = this.popStatus[pop.id];
      const kind = pop.kind === "backbone" ? gettext("backbone PoP") : gettext("secondary PoP");
      return "<strong>" + escapeHtml(pop.name) + "</strong> (" + escapeHtml(kind) + ")"
        + (status ? "<br>" + escapeHtml(statusLabel(status)) : "");
    }

    _worst(sites) {
      let worst = null;
      for (const s of sites) {
        const status = this.siteStatus(s);
        if (worst === null || RANK[status] > RANK[worst]) worst = status;
      }
      return worst || "active";
    }

    _clusterIcon(cluster) {
      const sites = cluster.getAllChildMarkers().map((m) => m.site);
      const n = sites.length;
      const worst = this._worst(sites);
      let cls = "menhir-cluster status-" + worst;
      if (this.selectedPop !== null) cls += sites.some((s) => this.inTree.has(s.id)) ? " in-tree" : " dimmed";
      const size = Math.round(Math.min(22 + Math.sqrt(n) * 2, 48));
      const label = interpolate(ngettext("%(n)s establishment, worst status: %(status)s",
        "%(n)s establishments, worst status: %(status)s", n), {n, status: statusLabel(worst)}, true);
      return L.divIcon({
        className: cls, iconSize: [size, size],
        html: '<span aria-hidden="true">' + n + '</span><span class="visually-hidden">' + escapeHtml(label) + "</span>",
      });
    }

    /* a cluster's tooltip: how many sites in each status */
    _clusterTooltip(cluster) {
      const counts = {};
      for (const m of cluster.getAllChildMarkers()) {
        const s = this.siteStatus(m.site);
        counts[s] = (counts[s] || 0) + 1;
      }
      const n = cluster.getChildCount();
      const lines = Object.keys(counts).sort((a, b) => RANK[b] - RANK[a])
        .map((s) => escapeHtml(statusLabel(s)) + ": " + counts[s]);
      const head = interpolate(ngettext("%(n)s establishment", "%(n)s establishments", n), {n}, true);
      const html = "<strong>" + escapeHtml(head) + "</strong><br>" + lines.join("<br>");
      if (cluster.getTooltip()) cluster.setTooltipContent(html);
      else cluster.bindTooltip(html, {direction: "top"});
      cluster.openTooltip();
    }

    _openSite(site) {
      if (this.options.siteUrl) window.location.href = this.options.siteUrl.replace("{id}", site.id);
    }

    /* what a PoP carries: itself and the secondary PoPs beneath it, and their sites */
    subtree(popId) {
      const ids = new Set([popId]);
      let grew = true;
      while (grew) {
        grew = false;
        for (const p of this.data.pops) {
          if (p.parent !== null && ids.has(p.parent) && !ids.has(p.id)) { ids.add(p.id); grew = true; }
        }
      }
      const sites = this.data.sites.filter((s) => s.pops.some((id) => ids.has(id)));
      return {pops: ids, sites};
    }

    selectPop(popId) {
      this.selectedPop = this.selectedPop === popId ? null : popId;
      const pop = this.popById.get(this.selectedPop) || null;
      const tree = pop ? this.subtree(pop.id) : {pops: new Set(), sites: []};
      this.inTree = new Set(tree.sites.map((s) => s.id));
      this._drawTree(pop, tree);
      this._restyle();
      this._labelSecondaryPops();
      this.element.dataset.selectedPop = pop ? String(pop.id) : "";
      if (this.options.onSelectPop) this.options.onSelectPop(pop, tree.sites);
    }

    /* the selected PoP's tree: lines to its secondary PoPs and to each site behind them */
    _drawTree(pop, tree) {
      this.tree.clearLayers();
      if (!pop) return;
      const segments = [];
      for (const id of tree.pops) {
        const p = this.popById.get(id), parent = this.popById.get(p && p.parent);
        if (id !== pop.id && p && parent && p.lat != null && parent.lat != null) {
          segments.push([[parent.lat, parent.lon], [p.lat, p.lon]]);
        }
      }
      const trunk = L.polyline(segments, {color: COLORS.selected, weight: 3, interactive: false, className: "menhir-tree-pops"});
      const leaves = [];
      for (const s of tree.sites) {
        if (s.lat == null) continue;
        for (const id of s.pops) {
          const p = this.popById.get(id);
          if (tree.pops.has(id) && p && p.lat != null) leaves.push([[p.lat, p.lon], [s.lat, s.lon]]);
        }
      }
      const branches = L.polyline(leaves, {color: COLORS.selected, weight: 1, opacity: 0.6, interactive: false, className: "menhir-tree-sites"});
      this.tree.addLayer(branches).addLayer(trunk);
    }

    /* every marker and cluster redrawn in its current status and selection */
    _restyle() {
      for (const marker of this.siteMarkers.values()) marker.setIcon(this._siteIcon(marker.site));
      for (const marker of this.popMarkers.values()) marker.setIcon(this._popIcon(marker.pop));
      this.clusters.refreshClusters();
    }

    setStatus(status, popStatus) {
      this.status = status || {};
      if (popStatus !== undefined) this.popStatus = popStatus || {};
      this._restyle();
    }

    /* what is on screen: sites alone, clusters and the sites inside them, PoPs */
    get drawn() {
      let sites = 0, clusteredSites = 0;
      const clusters = new Set();
      for (const marker of this.siteMarkers.values()) {
        const shown = this.clusters.getVisibleParent(marker);
        if (shown === marker) sites++;
        else if (shown) { clusteredSites++; clusters.add(shown); }
      }
      let pops = 0;
      for (const marker of this.popMarkers.values()) if (marker.getElement()) pops++;
      return {sites, clusters: clusters.size, clusteredSites, pops};
    }

    /* the element that shows a site right now: its own dot or its cluster (null off screen) */
    siteElement(id) {
      const marker = this.siteMarkers.get(id);
      const shown = marker ? this.clusters.getVisibleParent(marker) : null;
      return shown ? shown.getElement() : null;
    }

    /* screen position (in the map's element) of a PoP, by name, and of a site, by id */
    popPosition(name) {
      const pop = this.data.pops.find((p) => p.name === name);
      if (!pop || pop.lat == null) return null;
      const pt = this.map.latLngToContainerPoint([pop.lat, pop.lon]);
      return [pt.x, pt.y];
    }

    sitePosition(id) {
      const site = this.data.sites.find((s) => s.id === id);
      if (!site || site.lat == null) return null;
      const pt = this.map.latLngToContainerPoint([site.lat, site.lon]);
      return [pt.x, pt.y];
    }
  }

  MenhirMap.COLORS = COLORS;
  window.MenhirMap = MenhirMap;
})();
