/* A compact SVG renderer for the VChart specs cards carry (line, area, bar, pie, and
   "common" specs of line and rangeArea series): data.values with xField / yField /
   seriesField, markLine (x or y), legends, axis titles. No dependencies, nothing fetched. Exposes window.renderChart(spec, ratio, noData). */
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var PALETTE = ["#3370ff", "#ff8800", "#34c724", "#f54a45", "#7f3bf5", "#14c0ff", "#ffc60a", "#00d6b9"];
  var W = 600, PAD = { left: 52, right: 16, top: 14, bottom: 34 };

  function el(name, attrs, parent) {
    var node = document.createElementNS(NS, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) parent.appendChild(node);
    return node;
  }
  function text(parent, x, y, content, attrs) {
    var node = el("text", Object.assign({ x: x, y: y }, attrs || {}), parent);
    node.textContent = content;
    return node;
  }
  function valuesOf(spec) {
    var data = spec.data || {};
    if (Array.isArray(data)) return data.reduce(function (all, d) { return all.concat(d.values || []); }, []);
    return data.values || [];
  }
  function field(spec, name) {
    var value = spec[name];
    return Array.isArray(value) ? value[0] : value;
  }
  function niceTicks(low, high, count) {
    if (low === high) { high = low + 1; }
    var span = (high - low) / count;
    var power = Math.pow(10, Math.floor(Math.log10(span)));
    var step = [1, 2, 2.5, 5, 10].map(function (m) { return m * power; }).find(function (s) { return s >= span; });
    var first = Math.floor(low / step) * step, ticks = [];
    for (var v = first; v <= high + step * 0.001; v += step) ticks.push(Number(v.toPrecision(12)));
    if (ticks[ticks.length - 1] < high) ticks.push(ticks[ticks.length - 1] + step);
    return ticks;
  }
  function short(value) {
    var abs = Math.abs(value);
    if (abs >= 1e9) return (value / 1e9).toPrecision(3) + "G";
    if (abs >= 1e6) return (value / 1e6).toPrecision(3) + "M";
    if (abs >= 1e3) return (value / 1e3).toPrecision(3) + "k";
    return String(Number(value.toPrecision(3)));
  }
  function heightFor(ratio) {
    var parts = String(ratio || "16:9").split(":").map(Number);
    return parts.length === 2 && parts[0] > 0 ? Math.round(W * parts[1] / parts[0]) : Math.round(W * 9 / 16);
  }
  function legendLayout(names) {
    var x = PAD.left, row = 0, placed = [];
    names.forEach(function (name) {
      var wide = (name.match(/[\u2e80-\uffff]/g) || []).length;  // CJK: twice as wide
      var width = 24 + Math.min(260, (name.length - wide) * 6.2 + wide * 12.5);
      if (x + width > W - PAD.right && x > PAD.left) { x = PAD.left; row += 1; }
      placed.push({ name: name, x: x, row: row });
      x += width;
    });
    return { items: placed, rows: names.length ? row + 1 : 0 };
  }
  function legend(svg, layout, bottom) {
    layout.items.forEach(function (item, i) {
      var y = bottom - (layout.rows - 1 - item.row) * 16;
      el("rect", { x: item.x, y: y - 8, width: 10, height: 10, rx: 2, fill: PALETTE[i % PALETTE.length] }, svg);
      text(svg, item.x + 14, y + 1, item.name, { "class": "chart-legend" });
    });
  }
  function marks(spec) {
    var m = spec.markLine;
    return m ? (Array.isArray(m) ? m : [m]) : [];
  }

  /* A "common" spec (several series over named data sets) as one line spec plus the
     rangeArea bands: {spec, rows, bands: [{x, lo, hi}]}. */
  function flattenCommon(spec) {
    var sets = {};
    (Array.isArray(spec.data) ? spec.data : [spec.data || {}]).forEach(function (d) { sets[d.id] = d.values || []; });
    var rows = [], bands = [];
    (spec.series || []).forEach(function (series) {
      var values = sets[series.dataId] || [];
      if (series.type === "rangeArea" && Array.isArray(series.yField)) {
        values.forEach(function (v) { bands.push({ x: String(v[series.xField]), lo: Number(v[series.yField[0]]), hi: Number(v[series.yField[1]]) }); });
        return;
      }
      var yF = field(series, "yField");
      values.forEach(function (v) {
        rows.push({ x: v[series.xField], y: v[yF], s: series.seriesField ? v[series.seriesField] : yF });
      });
    });
    var flat = { type: "line", xField: "x", yField: "y", seriesField: "s", axes: spec.axes, legends: spec.legends, markLine: spec.markLine };
    return { spec: flat, rows: rows, bands: bands };
  }

  function cartesian(svg, spec, rows, height, bands) {
    bands = bands || [];
    var xF = field(spec, "xField"), yF = field(spec, "yField"), sF = spec.seriesField;
    var categories = [], seen = {}, series = {}, order = [];
    rows.forEach(function (row) {
      var x = String(row[xF]);
      if (!(x in seen)) { seen[x] = categories.length; categories.push(x); }
      var s = sF ? String(row[sF]) : (typeof yF === "string" ? yF : "value");
      if (!(s in series)) { series[s] = {}; order.push(s); }
      var y = Number(row[yF]);
      if (isFinite(y)) series[s][x] = y;
    });
    var numbers = [];
    order.forEach(function (s) { Object.keys(series[s]).forEach(function (k) { numbers.push(series[s][k]); }); });
    marks(spec).forEach(function (m) { if (m.y !== undefined && isFinite(Number(m.y))) numbers.push(Number(m.y)); });
    bands.forEach(function (b) { if (b.x in seen && isFinite(b.lo) && isFinite(b.hi)) numbers.push(b.lo, b.hi); });
    var low = Math.min(0, Math.min.apply(null, numbers)), high = Math.max.apply(null, numbers);
    var ticks = niceTicks(low, high, 4);
    var layout = legendLayout(order.length > 1 || spec.legends ? order : []);
    var bottom = height - PAD.bottom - layout.rows * 16;
    var left = PAD.left, right = W - PAD.right, top = PAD.top;
    var yMin = ticks[0], yMax = ticks[ticks.length - 1];
    function yPos(v) { return bottom - (v - yMin) / (yMax - yMin) * (bottom - top); }
    var band = (right - left) / Math.max(1, categories.length);
    var isBar = spec.type === "bar";
    function xPos(i) { return isBar ? left + band * (i + 0.5) : left + (categories.length > 1 ? i * (right - left) / (categories.length - 1) : (right - left) / 2); }
    ticks.forEach(function (t) {
      el("line", { x1: left, x2: right, y1: yPos(t), y2: yPos(t), "class": "chart-grid" }, svg);
      text(svg, left - 6, yPos(t) + 4, short(t), { "text-anchor": "end", "class": "chart-tick" });
    });
    var every = Math.max(1, Math.ceil(categories.length / 8));
    categories.forEach(function (c, i) {
      if (i % every === 0) text(svg, xPos(i), bottom + 16, c, { "text-anchor": "middle", "class": "chart-tick" });
    });
    (spec.axes || []).forEach(function (axis) {
      if (axis.orient === "left" && axis.title && axis.title.visible !== false && axis.title.text) {
        text(svg, 12, (top + bottom) / 2, axis.title.text, { "class": "chart-tick", transform: "rotate(-90 12 " + (top + bottom) / 2 + ")", "text-anchor": "middle" });
      }
    });
    var banded = bands.filter(function (b) { return b.x in seen && isFinite(b.lo) && isFinite(b.hi); });
    if (banded.length) {
      var upper = banded.map(function (b, i) { return (i ? "L" : "M") + xPos(seen[b.x]).toFixed(1) + " " + yPos(b.hi).toFixed(1); });
      var lower = banded.slice().reverse().map(function (b) { return "L" + xPos(seen[b.x]).toFixed(1) + " " + yPos(b.lo).toFixed(1); });
      el("path", { d: upper.concat(lower).join(" ") + " Z", fill: PALETTE[1], "fill-opacity": 0.18, stroke: "none", "class": "chart-band" }, svg);
    }
    order.forEach(function (s, k) {
      var colour = PALETTE[k % PALETTE.length], points = [];
      categories.forEach(function (c, i) { if (c in series[s]) points.push([xPos(i), yPos(series[s][c]), c, series[s][c]]); });
      if (isBar) {
        var width = band * 0.8 / order.length;
        points.forEach(function (p) {
          var x = p[0] - band * 0.4 + k * width, y0 = yPos(Math.max(0, yMin));
          var rect = el("rect", { x: x, y: Math.min(p[1], y0), width: Math.max(1, width - 1), height: Math.abs(y0 - p[1]), fill: colour, "class": "chart-bar" }, svg);
          el("title", {}, rect).textContent = s + " · " + p[2] + ": " + p[3];
        });
        return;
      }
      var path = points.map(function (p, i) { return (i ? "L" : "M") + p[0].toFixed(1) + " " + p[1].toFixed(1); }).join(" ");
      if (spec.type === "area" && points.length) {
        var base = yPos(Math.max(0, yMin)).toFixed(1);
        el("path", { d: path + " L" + points[points.length - 1][0].toFixed(1) + " " + base + " L" + points[0][0].toFixed(1) + " " + base + " Z", fill: colour, "fill-opacity": 0.18, stroke: "none" }, svg);
      }
      el("path", { d: path, fill: "none", stroke: colour, "stroke-width": 2, "class": "chart-line", "data-series": s }, svg);
    });
    marks(spec).forEach(function (m) {
      var label = m.label && m.label.visible !== false ? (m.label.text || "") : "";
      if (m.x !== undefined && String(m.x) in seen) {
        var x = xPos(seen[String(m.x)]);
        el("line", { x1: x, x2: x, y1: top, y2: bottom, "class": "chart-mark" }, svg);
        if (label) text(svg, x + 4, top + 10, label, { "class": "chart-mark-label" });
      } else if (m.y !== undefined && isFinite(Number(m.y))) {
        var y = yPos(Number(m.y));
        el("line", { x1: left, x2: right, y1: y, y2: y, "class": "chart-mark" }, svg);
        if (label) text(svg, right - 4, y - 4, label, { "class": "chart-mark-label", "text-anchor": "end" });
      }
    });
    legend(svg, layout, height - 8);
  }

  function pie(svg, spec, rows, height) {
    var cF = spec.categoryField, vF = spec.valueField;
    var total = rows.reduce(function (sum, r) { return sum + Math.max(0, Number(r[vF]) || 0); }, 0);
    var cx = W / 2, cy = (height - 36) / 2, radius = Math.min(cx, cy) - 10, angle = -Math.PI / 2;
    rows.forEach(function (row, i) {
      var share = Math.max(0, Number(row[vF]) || 0) / (total || 1), next = angle + share * 2 * Math.PI;
      var large = share > 0.5 ? 1 : 0;
      var d = "M" + cx + " " + cy + " L" + (cx + radius * Math.cos(angle)) + " " + (cy + radius * Math.sin(angle)) +
        " A" + radius + " " + radius + " 0 " + large + " 1 " + (cx + radius * Math.cos(next)) + " " + (cy + radius * Math.sin(next)) + " Z";
      el("title", {}, el("path", { d: d, fill: PALETTE[i % PALETTE.length], "class": "chart-slice" }, svg)).textContent = row[cF] + ": " + row[vF];
      angle = next;
    });
    legend(svg, legendLayout(rows.map(function (r) { return String(r[cF]); })), height - 6);
  }

  window.renderChart = function (spec, ratio, noData) {
    var height = heightFor(ratio);
    var svg = el("svg", { viewBox: "0 0 " + W + " " + height, "class": "chart", "data-type": spec.type || "" });
    var rows = valuesOf(spec);
    if (spec.title && spec.title.text) {
      var caption = document.createElement("div");
      caption.className = "chart-title";
      caption.textContent = spec.title.text;
    }
    if (!rows.length) {
      text(svg, W / 2, height / 2, noData, { "text-anchor": "middle", "class": "chart-tick" });
    } else if (spec.type === "pie") {
      pie(svg, spec, rows, height);
    } else if (spec.type === "common") {
      var flat = flattenCommon(spec);
      cartesian(svg, flat.spec, flat.rows, height, flat.bands);
    } else {
      cartesian(svg, spec, rows, height);
    }
    var box = document.createElement("div");
    box.className = "chart-box";
    if (caption) box.appendChild(caption);
    box.appendChild(svg);
    return box;
  };
})();
