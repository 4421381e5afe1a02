/* Menhir geographic map of Brittany: department outlines, PoPs, backbone and establishments,
 * drawn on a canvas with no tile server and no library. Sites cluster on a screen grid when
 * zoomed out; a click on a PoP highlights the sites behind it; a click on a site opens its page.
 *
 * new MenhirMap(canvas, data, {siteUrl, onSelectPop, status, popStatus}) where `data` comes from
 * /api/topology/map/ and `status` / `popStatus` (optional) map a site / PoP id to "up" | "down"
 * | "degraded" | "maintenance" | "unknown" (the dashboards layer supplies the live ones).
 */
(function () {
  "use strict";

  const COLORS = {
    up: "#2e7d32", degraded: "#f9a825", down: "#c62828", unknown: "#9e9e9e", maintenance: "#00838f",
    active: "#1565c0", planned: "#8e99a4", selected: "#6a1b9a",
  };
  const RANK = {down: 5, maintenance: 4, degraded: 3, unknown: 2, up: 1, active: 1, planned: 0};
  const CLUSTER_PX = 36;     // grid cell of the clustering, in screen pixels
  const CLUSTER_UNTIL = 3;   // sites cluster until the map is zoomed in this many times

  class MenhirMap {
    constructor(canvas, data, options) {
      this.canvas = canvas;
      this.ctx = canvas.getContext("2d");
      this.data = data;
      this.options = options || {};
      this.status = this.options.status || {};
      this.popStatus = this.options.popStatus || {};
      this.selectedPop = null;
      this.popById = new Map(data.pops.map((p) => [p.id, p]));
      this.lat0 = 48.2;
      this.cosLat = Math.cos((this.lat0 * Math.PI) / 180);
      this.drawn = {sites: 0, clusters: 0, clusteredSites: 0, pops: 0};
      this._fit();
      this._bind();
      this.draw();
    }

    /* km east/north of the reference point, then screen pixels */
    project(lon, lat) {
      const x = (lon + 3.0) * 111.32 * this.cosLat;
      const y = (lat - this.lat0) * 110.57;
      return [this.cx + x * this.scale, this.cy - y * this.scale];
    }

    _fit() {
      const rect = this.canvas.getBoundingClientRect();
      const ratio = window.devicePixelRatio || 1;
      this.width = rect.width;
      this.height = rect.height;
      this.canvas.width = Math.round(rect.width * ratio);
      this.canvas.height = Math.round(rect.height * ratio);
      this.ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
      for (const dep of this.data.departments) {
        for (const ring of dep.rings) {
          for (const [lon, lat] of ring) {
            const x = (lon + 3.0) * 111.32 * this.cosLat, y = (lat - this.lat0) * 110.57;
            minX = Math.min(minX, x); maxX = Math.max(maxX, x);
            minY = Math.min(minY, y); maxY = Math.max(maxY, y);
          }
        }
      }
      if (!isFinite(minX)) { minX = -150; maxX = 150; minY = -100; maxY = 100; }
      this.scale = 0.95 * Math.min(this.width / (maxX - minX), this.height / (maxY - minY));
      this.cx = this.width / 2 - ((minX + maxX) / 2) * this.scale;
      this.cy = this.height / 2 + ((minY + maxY) / 2) * this.scale;
      this.baseScale = this.scale;
    }

    zoomAt(factor, sx, sy) {
      const next = Math.min(Math.max(this.scale * factor, this.baseScale * 0.8), this.baseScale * 60);
      const f = next / this.scale;
      this.cx = sx - (sx - this.cx) * f;
      this.cy = sy - (sy - this.cy) * f;
      this.scale = next;
      this.draw();
    }

    _bind() {
      let drag = null;
      this.canvas.addEventListener("wheel", (e) => {
        e.preventDefault();
        const r = this.canvas.getBoundingClientRect();
        this.zoomAt(e.deltaY < 0 ? 1.25 : 0.8, e.clientX - r.left, e.clientY - r.top);
      }, {passive: false});
      this.canvas.addEventListener("mousedown", (e) => {
        drag = {x: e.clientX, y: e.clientY, cx: this.cx, cy: this.cy, moved: false};
      });
      window.addEventListener("mousemove", (e) => {
        if (!drag) return;
        const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
        if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
        this.cx = drag.cx + dx;
        this.cy = drag.cy + dy;
        this.draw();
      });
      window.addEventListener("mouseup", (e) => {
        if (drag && !drag.moved) {
          const r = this.canvas.getBoundingClientRect();
          this.click(e.clientX - r.left, e.clientY - r.top);
        }
        drag = null;
      });
      window.addEventListener("resize", () => { this._fit(); this.draw(); });
    }

    siteColor(site) {
      if (this.selectedPop !== null && site.pops.includes(this.selectedPop)) return COLORS.selected;
      const s = this.status[site.id];
      return COLORS[s] || COLORS.active;
    }

    siteRank(site) {
      return RANK[this.status[site.id]] || 1;
    }

    draw() {
      const ctx = this.ctx;
      ctx.clearRect(0, 0, this.width, this.height);
      ctx.fillStyle = "#eef3f7";
      ctx.fillRect(0, 0, this.width, this.height);
      this._drawDepartments();
      this._drawBackbone();
      this._drawSites();
      this._drawPops();
    }

    _drawDepartments() {
      const ctx = this.ctx;
      ctx.lineWidth = 1;
      for (const dep of this.data.departments) {
        ctx.beginPath();
        for (const ring of dep.rings) {
          ring.forEach(([lon, lat], i) => {
            const [x, y] = this.project(lon, lat);
            if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
          });
          ctx.closePath();
        }
        ctx.fillStyle = "#ffffff";
        ctx.strokeStyle = "#90a4ae";
        ctx.fill("evenodd");
        ctx.stroke();
      }
    }

    _drawBackbone() {
      const ctx = this.ctx;
      for (const link of this.data.backbone) {
        const a = this.popById.get(link.a), b = this.popById.get(link.b);
        if (!a || !b || a.lat == null || b.lat == null) continue;
        const both = a.kind === "backbone" && b.kind === "backbone";
        const [x1, y1] = this.project(a.lon, a.lat), [x2, y2] = this.project(b.lon, b.lat);
        ctx.beginPath();
        ctx.moveTo(x1, y1);
        ctx.lineTo(x2, y2);
        ctx.strokeStyle = both ? "#37474f" : "#78909c";
        ctx.lineWidth = both ? 3 : 1.5;
        ctx.stroke();
      }
    }

    _drawSites() {
      const ctx = this.ctx;
      const clustering = this.scale / this.baseScale < CLUSTER_UNTIL;
      this.hits = [];
      let singles = 0, clusters = 0, clustered = 0;
      const cells = new Map();
      for (const site of this.data.sites) {
        if (site.lat == null) continue;
        const [x, y] = this.project(site.lon, site.lat);
        if (x < -20 || y < -20 || x > this.width + 20 || y > this.height + 20) {
          continue;
        }
        if (clustering) {
          const key = Math.floor(x / CLUSTER_PX) + ":" + Math.floor(y / CLUSTER_PX);
          let cell = cells.get(key);
          if (!cell) { cell = {x: 0, y: 0, sites: []}; cells.set(key, cell); }
          cell.x += x; cell.y += y; cell.sites.push(site);
        } else {
          ctx.beginPath();
          ctx.arc(x, y, 3.5, 0, 2 * Math.PI);
          ctx.fillStyle = this.siteColor(site);
          ctx.fill();
          this.hits.push({kind: "site", x, y, r: 6, site});
          singles++;
        }
      }
      for (const cell of cells.values()) {
        const n = cell.sites.length;
        const x = cell.x / n, y = cell.y / n;
        if (n === 1) {
          const site = cell.sites[0];
          ctx.beginPath();
          ctx.arc(x, y, 3.5, 0, 2 * Math.PI);
          ctx.fillStyle = this.siteColor(site);
          ctx.fill();
          this.hits.push({kind: "site", x, y, r: 6, site});
          singles++;
          continue;
        }
        const worst = cell.sites.reduce((a, s) => (this.siteRank(s) > this.siteRank(a) ? s : a));
        const selected = this.selectedPop !== null && cell.sites.some((s) => s.pops.includes(this.selectedPop));
        const r = Math.min(8 + Math.sqrt(n) * 1.6, 22);
        ctx.beginPath();
        ctx.arc(x, y, r, 0, 2 * Math.PI);
        ctx.fillStyle = selected ? COLORS.selected : this.siteColor(worst);
        ctx.globalAlpha = 0.85;
        ctx.fill();
        ctx.globalAlpha = 1;
        ctx.fillStyle = "#fff";
        ctx.font = "bold 11px sans-serif";
        ctx.textAlign = "center";
        ctx.textBaseline = "middle";
        ctx.fillText(String(n), x, y);
        this.hits.push({kind: "cluster", x, y, r, n});
        clusters++;
        clustered += n;
      }
      this.drawn.sites = singles;
      this.drawn.clusters = clusters;
      this.drawn.clusteredSites = clustered;
    }

    _drawPops() {
      const ctx = this.ctx;
      let count = 0;
      for (const pop of this.data.pops) {
        if (pop.lat == null) continue;
        const [x, y] = this.project(pop.lon, pop.lat);
        const size = pop.kind === "backbone" ? 12 : 8;
        const live = COLORS[this.popStatus[pop.id]];
        ctx.fillStyle = pop.id === this.selectedPop ? COLORS.selected : "#263238";
        ctx.fillRect(x - size / 2, y - size / 2, size, size);
        if (live && pop.id !== this.selectedPop) {  // live status: the square's inner colour
          ctx.fillStyle = live;
          ctx.fillRect(x - size / 2 + 2, y - size / 2 + 2, size - 4, size - 4);
        }
        if (pop.kind === "backbone" || this.scale > this.baseScale * 2) {
          ctx.font = pop.kind === "backbone" ? "bold 12px sans-serif" : "11px sans-serif";
          ctx.textAlign = "left";
          ctx.textBaseline = "bottom";
          ctx.fillStyle = "#102027";
          ctx.fillText(pop.name, x + size / 2 + 2, y - 2);
        }
        this.hits.push({kind: "pop", x, y, r: size, pop});
        count++;
      }
      this.drawn.pops = count;
    }

    hitAt(sx, sy) {
      let best = null, bestD = Infinity;
      for (const h of this.hits || []) {
        const d = Math.hypot(h.x - sx, h.y - sy);
        const prefer = h.kind === "pop" ? 0.5 : 1;  // PoPs win over the sites drawn under them
        if (d <= h.r + 2 && d * prefer < bestD) { best = h; bestD = d * prefer; }
      }
      return best;
    }

    click(sx, sy) {
      const hit = this.hitAt(sx, sy);
      if (!hit) return;
      if (hit.kind === "pop") this.selectPop(hit.pop.id);
      else if (hit.kind === "cluster") this.zoomAt(2.5, hit.x, hit.y);
      else if (hit.kind === "site" && this.options.siteUrl) {
        window.location.href = this.options.siteUrl.replace("{id}", hit.site.id);
      }
    }

    selectPop(popId) {
      this.selectedPop = this.selectedPop === popId ? null : popId;
      this.draw();
      if (this.options.onSelectPop) {
        const pop = this.popById.get(this.selectedPop) || null;
        const ids = new Set([this.selectedPop]);
        for (const p of this.data.pops) if (ids.has(p.parent)) ids.add(p.id);
        const sites = pop ? this.data.sites.filter((s) => s.pops.some((id) => ids.has(id))) : [];
        this.options.onSelectPop(pop, sites);
      }
    }

    /* screen position of a PoP, for tests and keyboard users */
    popPosition(name) {
      const pop = this.data.pops.find((p) => p.name === name);
      return pop ? this.project(pop.lon, pop.lat) : null;
    }

    /* screen position of a site, for tests */
    sitePosition(id) {
      const site = this.data.sites.find((s) => s.id === id);
      return site && site.lat != null ? this.project(site.lon, site.lat) : null;
    }

    setStatus(status, popStatus) {
      this.status = status || {};
      if (popStatus !== undefined) this.popStatus = popStatus || {};
      this.draw();
    }
  }

  window.MenhirMap = MenhirMap;
})();
