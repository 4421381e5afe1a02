/* Menhir time-series chart on a canvas, with no library: lines, threshold lines (the committed
 * rate), bands (incidents), SI units, a hover read-out, drag to zoom and double-click to reset.
 *
 *   const chart = new MenhirChart(canvas, {unit: "bit/s"});
 *   chart.setData({series: [{name, color, points: [[ms, value|null], ...]}],
 *                  thresholds: [{value, label, color}], bands: [{from, to, label}]});
 *
 * `chart.drawnPoints` counts the points drawn (the browser tests read it); `onZoom(from, to)`
 * lets the page fetch a finer resolution for the new range.
 */
(function () {
  "use strict";

  const PAD = {left: 64, right: 16, top: 14, bottom: 34};
  const PREFIXES = [[1e12, "T"], [1e9, "G"], [1e6, "M"], [1e3, "k"]];

  function si(value, unit) {
    const abs = Math.abs(value);
    for (const [scale, prefix] of PREFIXES) {
      if (abs >= scale) return (value / scale).toFixed(abs / scale >= 100 ? 0 : 1) + " " + prefix + unit;
    }
    return (abs >= 100 ? value.toFixed(0) : value.toFixed(1)) + " " + unit;
  }

  function niceStep(span, count) {
    const raw = span / Math.max(1, count);
    const mag = Math.pow(10, Math.floor(Math.log10(raw)));
    const norm = raw / mag;
    return (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
  }

  const TIME_STEPS = [60e3, 300e3, 900e3, 1800e3, 3600e3, 3 * 3600e3, 6 * 3600e3, 12 * 3600e3,
    86400e3, 2 * 86400e3, 7 * 86400e3, 14 * 86400e3, 30 * 86400e3, 91 * 86400e3];

  function timeLabel(ms, span) {
    const d = new Date(ms);
    const two = (n) => String(n).padStart(2, "0");
    const date = two(d.getDate()) + "/" + two(d.getMonth() + 1);
    const time = two(d.getHours()) + ":" + two(d.getMinutes());
    if (span <= 86400e3) return time;
    if (span <= 7 * 86400e3) return date + " " + time;
    return date + (span > 300 * 86400e3 ? "/" + String(d.getFullYear()).slice(2) : "");
  }

  class MenhirChart {
    constructor(canvas, options) {
      this.canvas = canvas;
      this.ctx = canvas.getContext("2d");
      this.options = Object.assign({unit: ""}, options || {});
      this.data = {series: [], thresholds: [], bands: []};
      this.view = null;  // [from, to] in ms when zoomed
      this.hover = null;
      this.drawnPoints = 0;
      this._bind();
      window.addEventListener("resize", () => this.draw());
    }

    setData(data) {
      this.data = Object.assign({series: [], thresholds: [], bands: []}, data);
      this.view = null;
      this.draw();
    }

    extent() {
      let t0 = Infinity, t1 = -Infinity, vmax = 0;
      for (const s of this.data.series) {
        for (const [t, v] of s.points) {
          if (t < t0) t0 = t;
          if (t > t1) t1 = t;
          if (v !== null && v > vmax) vmax = v;
        }
      }
      for (const th of this.data.thresholds) vmax = Math.max(vmax, th.value);
      if (this.data.range) { t0 = this.data.range[0]; t1 = this.data.range[1]; }
      if (this.view) { t0 = this.view[0]; t1 = this.view[1]; }
      if (!isFinite(t0)) { t1 = Date.now(); t0 = t1 - 3600e3; }
      if (t1 <= t0) t1 = t0 + 60e3;
      return {t0, t1, vmax: vmax > 0 ? vmax * 1.08 : 1};
    }

    _size() {
      const rect = this.canvas.getBoundingClientRect();
      const ratio = window.devicePixelRatio || 1;
      this.width = rect.width;
      this.height = rect.height;
      this.canvas.width = Math.round(rect.width * ratio);
      this.canvas.height = Math.round(rect.height * ratio);
      this.ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    }

    x(t) { return PAD.left + ((t - this.e.t0) / (this.e.t1 - this.e.t0)) * (this.width - PAD.left - PAD.right); }
    y(v) { return this.height - PAD.bottom - (v / this.e.vmax) * (this.height - PAD.top - PAD.bottom); }
    t(x) { return this.e.t0 + ((x - PAD.left) / (this.width - PAD.left - PAD.right)) * (this.e.t1 - this.e.t0); }

    draw() {
      this._size();
      const ctx = this.ctx;
      this.e = this.extent();
      const {t0, t1, vmax} = this.e;
      ctx.clearRect(0, 0, this.width, this.height);
      ctx.font = "11px sans-serif";
      // bands (incidents)
      for (const b of this.data.bands) {
        const a = Math.max(this.x(b.from), PAD.left), z = Math.min(this.x(b.to || t1), this.width - PAD.right);
        if (z <= a) continue;
        ctx.fillStyle = "rgba(198, 40, 40, 0.12)";
        ctx.fillRect(a, PAD.top, z - a, this.height - PAD.top - PAD.bottom);
      }
      // grid and axes
      ctx.strokeStyle = "#eceff1";
      ctx.fillStyle = "#546e7a";
      ctx.lineWidth = 1;
      const vstep = niceStep(vmax, 5);
      ctx.textAlign = "right";
      ctx.textBaseline = "middle";
      for (let v = 0; v <= vmax; v += vstep) {
        const yy = this.y(v);
        ctx.beginPath(); ctx.moveTo(PAD.left, yy); ctx.lineTo(this.width - PAD.right, yy); ctx.stroke();
        ctx.fillText(si(v, this.options.unit), PAD.left - 6, yy);
      }
      const span = t1 - t0;
      const tstep = TIME_STEPS.find((s) => span / s <= 8) || TIME_STEPS[TIME_STEPS.length - 1];
      const offset = new Date().getTimezoneOffset() * 60e3;
      ctx.textAlign = "center";
      ctx.textBaseline = "top";
      for (let t = Math.ceil((t0 - offset) / tstep) * tstep + offset; t <= t1; t += tstep) {
        const xx = this.x(t);
        ctx.beginPath(); ctx.moveTo(xx, PAD.top); ctx.lineTo(xx, this.height - PAD.bottom); ctx.stroke();
        ctx.fillText(timeLabel(t, span), xx, this.height - PAD.bottom + 6);
      }
      // thresholds (committed rate)
      for (const th of this.data.thresholds) {
        const yy = this.y(th.value);
        ctx.save();
        ctx.setLineDash([6, 4]);
        ctx.strokeStyle = th.color || "#6a1b9a";
        ctx.lineWidth = 1.5;
        ctx.beginPath(); ctx.moveTo(PAD.left, yy); ctx.lineTo(this.width - PAD.right, yy); ctx.stroke();
        ctx.restore();
        ctx.fillStyle = th.color || "#6a1b9a";
        ctx.textAlign = "right";  // the legend sits at the top left
        ctx.textBaseline = "bottom";
        ctx.fillText(th.label + " " + si(th.value, this.options.unit), this.width - PAD.right - 4, yy - 2);
      }
      // series; a null value breaks the line (unknown interval: never drawn as zero)
      let drawn = 0;
      ctx.save();
      ctx.beginPath();
      ctx.rect(PAD.left, PAD.top, this.width - PAD.left - PAD.right, this.height - PAD.top - PAD.bottom);
      ctx.clip();
      for (const s of this.data.series) {
        ctx.strokeStyle = s.color;
        ctx.lineWidth = 1.6;
        ctx.beginPath();
        let pen = false;
        for (const [t, v] of s.points) {
          if (t < t0 || t > t1) continue;
          if (v === null) { pen = false; continue; }
          const xx = this.x(t), yy = this.y(v);
          if (pen) ctx.lineTo(xx, yy); else ctx.moveTo(xx, yy);
          pen = true;
          drawn++;
        }
        ctx.stroke();
      }
      ctx.restore();
      this.drawnPoints = drawn;
      this.canvas.dataset.points = String(drawn);
      this._legend();
      this._hover();
    }

    _legend() {
      const ctx = this.ctx;
      let x = PAD.left + 8;
      ctx.textAlign = "left";
      ctx.textBaseline = "top";
      for (const s of this.data.series) {
        ctx.fillStyle = s.color;
        ctx.fillRect(x, PAD.top + 4, 10, 10);
        ctx.fillStyle = "#263238";
        ctx.fillText(s.name, x + 14, PAD.top + 3);
        x += 20 + ctx.measureText(s.name).width + 12;
      }
    }

    _hover() {
      if (this.hover === null || this.drag) return;
      const ctx = this.ctx;
      const t = this.t(this.hover);
      const lines = [];
      for (const s of this.data.series) {
        let best = null;
        for (const p of s.points) if (best === null || Math.abs(p[0] - t) < Math.abs(best[0] - t)) best = p;
        if (best) lines.push(s.name + ": " + (best[1] === null ? "unknown" : si(best[1], this.options.unit)));
      }
      if (!lines.length) return;
      ctx.strokeStyle = "#90a4ae";
      ctx.beginPath(); ctx.moveTo(this.hover, PAD.top); ctx.lineTo(this.hover, this.height - PAD.bottom); ctx.stroke();
      lines.unshift(new Date(t).toLocaleString());
      const w = Math.max(...lines.map((l) => ctx.measureText(l).width)) + 12;
      const bx = Math.min(this.hover + 8, this.width - w - 4);
      ctx.fillStyle = "rgba(255,255,255,0.92)";
      ctx.fillRect(bx, PAD.top + 20, w, lines.length * 15 + 8);
      ctx.fillStyle = "#263238";
      ctx.textAlign = "left";
      lines.forEach((l, i) => ctx.fillText(l, bx + 6, PAD.top + 24 + i * 15));
    }

    _bind() {
      const c = this.canvas;
      const pos = (e) => e.clientX - c.getBoundingClientRect().left;
      c.addEventListener("mousemove", (e) => {
        this.hover = pos(e);
        if (this.drag) { this.drag.x1 = this.hover; }
        this.draw();
        if (this.drag) {
          const a = Math.min(this.drag.x0, this.drag.x1), z = Math.max(this.drag.x0, this.drag.x1);
          this.ctx.fillStyle = "rgba(21, 101, 192, 0.15)";
          this.ctx.fillRect(a, PAD.top, z - a, this.height - PAD.top - PAD.bottom);
        }
      });
      c.addEventListener("mouseleave", () => { this.hover = null; this.drag = null; this.draw(); });
      c.addEventListener("mousedown", (e) => { this.drag = {x0: pos(e), x1: pos(e)}; });
      c.addEventListener("mouseup", () => {
        const d = this.drag;
        this.drag = null;
        if (d && Math.abs(d.x1 - d.x0) > 8) {
          const from = this.t(Math.min(d.x0, d.x1)), to = this.t(Math.max(d.x0, d.x1));
          this.zoom(from, to);
        }
      });
      c.addEventListener("dblclick", () => { this.view = null; this.draw(); if (this.options.onZoom) this.options.onZoom(null, null); });
    }

    zoom(from, to) {
      this.view = [from, to];
      this.draw();
      if (this.options.onZoom) this.options.onZoom(from, to);
    }
  }

  window.MenhirChart = MenhirChart;
  window.menhirSI = si;
})();
