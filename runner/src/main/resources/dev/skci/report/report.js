// Draws report.html from the JSON embedded in it: no libraries, no network.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("skci-data").textContent);
  var SVG = "http://www.w3.org/2000/svg";

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function svg(tag, attrs) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  }
  function table(parent, cls, headers, rows) {
    var t = el("table", { "class": cls });
    var h = el("tr");
    headers.forEach(function (x) { h.appendChild(el("th", {}, x)); });
    t.appendChild(h);
    rows.forEach(function (r) {
      var tr = el("tr", { "class": "row" });
      r.forEach(function (c) {
        var td = typeof c === "object" && c !== null ? el("td", { "class": c.cls || "" }, c.text) : el("td", {}, c);
        tr.appendChild(td);
      });
      t.appendChild(tr);
    });
    parent.appendChild(t);
    return t;
  }

  // A line chart over trace time: one polyline per series, with as many points as samples.
  function chart(parent, title, samples, series) {
    var W = 360, H = 160, L = 40, B = 22, T = 8, R = 8;
    var box = el("div", { "class": "chart" });
    box.appendChild(el("h4", {}, title));
    var s = svg("svg", { "class": "chart-svg", width: W, height: H, viewBox: "0 0 " + W + " " + H, "data-title": title });
    var tmax = Math.max(1, samples.length ? samples[samples.length - 1].t : 1);
    var vmax = 0;
    series.forEach(function (se) { samples.forEach(function (p) { vmax = Math.max(vmax, p[se.key]); }); });
    vmax = vmax > 0 ? vmax * 1.05 : 1;
    function x(t) { return L + (W - L - R) * t / tmax; }
    function y(v) { return T + (H - T - B) * (1 - v / vmax); }
    s.appendChild(svg("line", { x1: L, y1: H - B, x2: W - R, y2: H - B, stroke: "#9aa3b2" }));
    s.appendChild(svg("line", { x1: L, y1: T, x2: L, y2: H - B, stroke: "#9aa3b2" }));
    var ylab = svg("text", { x: 2, y: T + 10, "font-size": 10, fill: "#4a5366" }); ylab.textContent = (vmax / 1.05).toFixed(vmax < 10 ? 1 : 0);
    var xlab = svg("text", { x: W - R - 40, y: H - 6, "font-size": 10, fill: "#4a5366" }); xlab.textContent = tmax.toFixed(0) + " s";
    s.appendChild(ylab); s.appendChild(xlab);
    var legend = el("div", { "class": "legend" });
    series.forEach(function (se) {
      // Steps: a value holds until the next sample.
      var pts = [];
      samples.forEach(function (p, i) {
        if (i > 0) { pts.push(x(p.t).toFixed(1) + "," + y(samples[i - 1][se.key]).toFixed(1)); }
        pts.push(x(p.t).toFixed(1) + "," + y(p[se.key]).toFixed(1));
      });
      s.appendChild(svg("polyline", { points: pts.join(" "), fill: "none", stroke: se.color, "stroke-width": 1.6,
        "data-series": se.key, "data-samples": samples.length }));
      var sp = el("span"); var i = el("i"); i.style.background = se.color; sp.appendChild(i); sp.appendChild(document.createTextNode(se.label));
      legend.appendChild(sp);
    });
    box.appendChild(s);
    box.appendChild(legend);
    parent.appendChild(box);
  }

  var overall = document.getElementById("overall");
  overall.appendChild(el("p", { "class": data.result, id: "result" }, "Result: " + data.result + " (exit code " + data.exitCode + ")"));
  if (data.shard) {
    overall.appendChild(el("p", { id: "shard" }, "Shard " + data.shard + ": this runner's share of the run's simulations"));
  }
  if (data.shards) {
    overall.appendChild(el("p", { id: "shards" }, "Merged from " + data.shards.length + " shard(s)"));
    table(overall, "shards", ["shard", "result", "exit code", "from"], data.shards.map(function (x) {
      return [x.shard, x.result, String(x.exitCode), x.from];
    }));
  }
  if (data.errors.length) {
    var e = document.getElementById("errors");
    e.appendChild(el("h2", {}, "Traces without a verdict"));
    table(e, "errors", ["trace", "why"], data.errors.map(function (x) { return [x.trace, x.message]; }));
  }
  var root = document.getElementById("traces");
  data.traces.forEach(function (t, idx) {
    var sec = el("section", { "class": "trace", "data-trace": t.trace, id: "trace-" + idx });
    sec.appendChild(el("h2", {}, t.trace));
    sec.appendChild(el("p", { "class": t.outcome }, t.outcome + " — " + t.runs + " run(s); last run " + t.run + ", "
      + t.wallSeconds.toFixed(1) + " s" + (t.fidelity >= 0 ? "; fidelity " + (100 * t.fidelity).toFixed(0) + "% of requested pod-seconds" : "")));
    var charts = el("div", { "class": "charts" });
    chart(charts, "Pods by phase", t.timeline, [
      { key: "pending", label: "pending", color: "#a05a00" }, { key: "running", label: "running", color: "#1a73e8" },
      { key: "succeeded", label: "succeeded", color: "#137333" }, { key: "failed", label: "failed", color: "#b3261e" }]);
    chart(charts, "Pending and unschedulable", t.timeline, [
      { key: "pending", label: "pending", color: "#a05a00" }, { key: "unschedulable", label: "unschedulable", color: "#b3261e" }]);
    chart(charts, "Virtual nodes Ready", t.timeline, [{ key: "nodes", label: "nodes", color: "#5f6368" }]);
    chart(charts, "CPU (cores)", t.timeline, [
      { key: "cpuRequested", label: "requested", color: "#1a73e8" }, { key: "cpuAllocatable", label: "allocatable", color: "#9aa3b2" }]);
    chart(charts, "Memory (GiB)", t.timeline, [
      { key: "memRequested", label: "requested", color: "#8430ce" }, { key: "memAllocatable", label: "allocatable", color: "#9aa3b2" }]);
    sec.appendChild(charts);

    sec.appendChild(el("h3", {}, "Checks"));
    table(sec, "checks", ["check", "kind", "result", "details"], t.checks.map(function (c) {
      var word = c.status === "passed" ? "passed" : c.status === "off" ? "off" : c.counts ? c.status : "warn";
      return [c.name, c.kind, { text: word, cls: word === "error" ? "failed" : word }, { text: c.message + (c.flake ? " (" + c.flake + ")" : "") }];
    }));
    if (t.reasons.length) {
      sec.appendChild(el("h3", {}, "Why pods were not scheduled"));
      table(sec, "reasons", ["pods", "the scheduler said"], t.reasons.map(function (r) { return [{ text: r.pods, cls: "num" }, r.message]; }));
    }
    if (t.workloads.length) {
      sec.appendChild(el("h3", {}, "Workloads: requested and realised"));
      table(sec, "workloads", ["workload", "kind", "desired", "realised", "created", "counts reached", "lag (trace)", "pod-seconds"],
        t.workloads.map(function (w) {
          return [w.name, w.kind, { text: w.desired, cls: "num" }, { text: w.realised, cls: "num" }, { text: w.created, cls: "num" },
            { text: w.countsReached + " of " + w.countsRequested, cls: "num" }, { text: w.lagSeconds.toFixed(1) + " s", cls: "num" },
            { text: (100 * w.podSeconds).toFixed(0) + "%", cls: "num" }];
        }));
    }
    if (t.setup.length) {
      sec.appendChild(el("h3", {}, "Setup: objects created before the first event"));
      table(sec, "setup", ["object (manifest)"], t.setup.map(function (s) { return [s]; }));
    }
    if (t.overrides.length) {
      sec.appendChild(el("h3", {}, "Overrides: traced objects patched"));
      var rows = [];
      t.overrides.forEach(function (o) {
        o.objects.forEach(function (x) { rows.push([o.override, o.target, x.object, { text: x.versions, cls: "num" }]); });
      });
      table(sec, "overrides", ["override", "target", "object", "versions patched"], rows);
    }
    if (t.comparison.length) {
      sec.appendChild(el("h3", {}, "Against the baseline"));
      table(sec, "comparison", ["metric", "baseline", "now", "change", ""], t.comparison.map(function (r) {
        return [r.metric, { text: r.baseline, cls: "num" }, { text: r.now, cls: "num" }, { text: r.change, cls: "num" }, r.assessment];
      }));
    }
    root.appendChild(sec);
  });
  document.body.setAttribute("data-rendered", "true");
})();
