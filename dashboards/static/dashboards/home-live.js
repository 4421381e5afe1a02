/* The home page's live elements other than the map: PoPs down, the open incidents, open
 * incidents by operator, the most saturated links and the links of worst quality, redrawn from
 * each status answer the map receives (`menhir:status`, from /dashboards/status/?panels=1), so that every element on the
 * page shows the same moment. The counters per status are set by map-page.js. */
(function () {
  "use strict";

  function el(tag, text, attrs) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    return node;
  }

  function link(url, text) {
    return url ? el("a", text, {href: url}) : document.createTextNode(text);
  }

  function cell(content, cls) {
    const td = el("td", null, cls ? {class: cls} : {});
    td.append(content instanceof Node ? content : document.createTextNode(String(content)));
    return td;
  }

  function emptyRow(columns, text) {
    const tr = el("tr");
    tr.append(el("td", text, {colspan: String(columns), class: "empty"}));
    return tr;
  }

  function incidents(list, rows) {
    list.replaceChildren(...(rows.length ? rows.map(function (i) {
      const li = el("li");
      li.append(el("a", "#" + i.id, {href: i.url}), " ",
        el("span", i.severity_label, {class: "badge severity-" + i.severity}),
        " " + i.kind + ": " + i.root + " ",
        el("span", interpolate(gettext("since %(since)s"), {since: i.since}, true) + " · " + i.operator + " · "
                   + interpolate(gettext("%(n)s cut off"), {n: i.impacted}, true)
                   + (i.acknowledged ? " · " + gettext("acknowledged") : ""), {class: "muted"}));
      return li;
    }) : [el("li", gettext("No open incident."), {class: "empty"})]));
  }

  function byOperator(body, rows) {
    body.replaceChildren(...(rows.length ? rows.map(function (r) {
      const tr = el("tr");
      tr.append(cell(link(r.url, r.name)), cell(r.count.toLocaleString(document.documentElement.lang), "num"));
      return tr;
    }) : [emptyRow(2, gettext("No open incident."))]));
  }

  /* A table of links (link, establishment, operator, then `figures(r)`: the other cells), or its
   * empty row (the table's data-empty). */
  // The link, its figures, then where it is and whose: on a phone the table scrolls inside its
  // card, and what the NOC reads first stays on screen.
  function linkTable(figures) {
    return function (body, rows) {
      const empty = body.closest("table").dataset.empty || "";
      body.replaceChildren(...(rows.length ? rows.map(function (r) {
        const tr = el("tr");
        tr.append(cell(link(r.url, r.circuit)), ...figures(r),
          cell(r.establishment_url ? link(r.establishment_url, r.establishment) : "—"),
          cell(r.operator));
        return tr;
      }) : [emptyRow(7, empty)]));
    };
  }

  const topLinks = linkTable((r) => [cell(r.percent + " %", "num" + (r.hot ? " hot" : "")),
    cell(r.down, "num"), cell(r.up, "num"), cell(r.committed, "num")]);
  const worstQuality = linkTable((r) => [cell(r.loss + " %", "num" + (r.lossy ? " hot" : "")),
    cell(r.rtt, "num"), cell(r.rtt_max, "num"), cell(r.jitter, "num")]);

  const DRAW = {
    pops_down: function (node, value) { node.textContent = value.toLocaleString(document.documentElement.lang); },
    open_incidents: incidents,
    open_by_operator: byOperator,
    top_links: topLinks,
    worst_quality: worstQuality,
  };

  document.addEventListener("menhir:status", function (event) {
    const panels = event.detail && event.detail.panels;
    if (!panels) return;
    for (const [name, draw] of Object.entries(DRAW)) {
      for (const node of document.querySelectorAll("[data-live='" + name + "']")) {
        draw(node, panels[name]);
      }
    }
    document.body.dataset.liveAt = panels.at;
    // when the first status had every panel drawn (the benchmark reads it beside the map's)
    if (!document.body.dataset.liveDrawnAt) document.body.dataset.liveDrawnAt = String(performance.now());
    document.body.dataset.liveLoads = String(Number(document.body.dataset.liveLoads || 0) + 1);
  });
})();
