"""The interactive stepper: an anywidget that draws the diagram as SVG in the browser.

The kernel sends the model once (:meth:`BackpropModel.to_json`, a few kB of numbers); the browser
draws every step from it, so ← / → and the buttons answer at once, with nothing downloaded at run
time (JupyterLab 4, Voilà and JupyterLite load anywidget's front end from its Python package).
``step`` is synced both ways: set it from Python, or read where the learner is.
Every number on the page is an SVG ``<text>`` with ``data-key`` ("a:m:j", "delta:m:j", "w:l:k:j", …)
and ``data-value`` (the full float), so tests read the page's numbers exactly.
"""

from __future__ import annotations

import anywidget
import traitlets

_ESM = r"""
const POS = "#1f66b0", NEG = "#c8312b", ZERO = "#9a9a9a", NS = "http://www.w3.org/2000/svg";
const EDGE_NAME = {w: "w", w_new: "w", dw: "Δw", flow: "w·δ"};
const fmt = v => Array.isArray(v) ? "[" + v.map(fmt).join(", ") + "]"
  : (v === null ? "nan" : String(Number(Number(v).toPrecision(3))));
const colour = v => v > 0 ? POS : v < 0 ? NEG : ZERO;

function shown(d, step) {
  const reached = new Set(d.steps.slice(0, step + 1).map(s => s.kind + ":" + s.layer));
  const cur = d.steps[step], L = d.sizes.length - 1, edges = [], forward = [], delta = [false], bias = [null];
  for (let l = 0; l < L; l++)
    edges.push(reached.has("updated:" + L) ? "w_new" : reached.has("update_layer:" + l) ? "dw"
      : (cur.kind === "hidden_delta" && cur.layer === l) ? "flow" : "w");
  for (let m = 0; m <= L; m++) forward.push(reached.has("forward:" + m));
  for (let m = 1; m <= L; m++) {
    delta.push(reached.has((m === L ? "output_delta:" : "hidden_delta:") + m));
    bias.push(reached.has("updated:" + L) ? "b_new" : reached.has("update_layer:" + (m - 1)) ? "db" : "b");
  }
  return {edges, forward, delta, bias, cur};
}

function el(tag, attrs, parent) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (parent) parent.appendChild(e);
  return e;
}

function number(parent, x, y, label, key, value, attrs) {
  const t = el("text", Object.assign({x, y, "data-key": key, "data-value": JSON.stringify(value),
                                      class: "mlp-bp-num", "font-size": 13}, attrs || {}), parent);
  t.textContent = label + "=" + fmt(value);
  return t;
}

function draw(d, step, svg) {
  svg.replaceChildren();
  const L = d.sizes.length - 1, side = Math.max(...d.sizes) > 4, DX = 190, DY = side ? 62 : 96;
  const top = Math.max(...d.sizes), W = L * DX + 230, H = top * DY + (side ? 40 : 90);
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  svg.setAttribute("width", W); svg.setAttribute("height", H);
  const pos = d.sizes.map((n, l) => Array.from({length: n}, (_, k) => [60 + l * DX, 40 + (top - n) * DY / 2 + k * DY]));
  const v = shown(d, step), cur = v.cur;
  const arrays = {w: d.weights, w_new: d.new_weights, dw: d.weight_steps, flow: d.flows};
  const gEdges = el("g", {}, svg), gLabels = el("g", {}, svg), gNodes = el("g", {}, svg);
  v.edges.forEach((what, l) => {
    const vals = arrays[what][l], flat = vals.flat().filter(Number.isFinite).map(Math.abs);
    const big = Math.max(0, ...flat) || 1, labels = d.sizes[l] * d.sizes[l + 1] <= 8;
    const active = cur.layer === l && (cur.kind === "hidden_delta" || cur.kind === "update_layer");
    pos[l].forEach(([x0, y0], k) => pos[l + 1].forEach(([x1, y1], j) => {
      const val = vals[k][j], c = colour(val);
      const line = el("line", {x1: x0, y1: y0, x2: x1, y2: y1, stroke: c, "stroke-opacity": active ? 0.95 : 0.55,
        "stroke-width": Number.isFinite(val) ? 0.8 + 6 * Math.min(Math.abs(val) / big, 1) : 0.8,
        class: "mlp-bp-edge mlp-bp-" + what}, gEdges);
      if (what === "flow") {
        line.setAttribute("stroke-dasharray", "9 6");
        el("animate", {attributeName: "stroke-dashoffset", from: 0, to: 30, dur: "1s", repeatCount: "indefinite"},
           line);  // the dashes run backwards, from the neuron fed to the neuron feeding
      }
      el("title", {}, line).textContent = `${EDGE_NAME[what]}[${k}→${j}] = ${val}`;
      if (labels) {
        const t = d.sizes[l + 1] === 1 ? 0.66 : 0.3;
        const txt = number(gLabels, x0 + t * (x1 - x0), y0 + t * (y1 - y0) - 3, EDGE_NAME[what],
                           `${what}:${l}:${k}:${j}`, val, {fill: c, "text-anchor": "middle", "font-size": 12,
                           "paint-order": "stroke", stroke: "white", "stroke-width": 4});
      }
    }));
  });
  pos.forEach((layer, m) => layer.forEach(([x, y], j) => {
    const hot = (cur.kind === "forward" && cur.layer === m) ||
                ((cur.kind === "output_delta" || cur.kind === "hidden_delta") && cur.layer === m);
    el("circle", {cx: x, cy: y, r: 14, fill: hot ? "#ffe9a8" : "white", stroke: "#333", "stroke-width": 1.3,
                  class: "mlp-bp-node"}, gNodes);
    const lines = [];
    if (v.forward[m]) lines.push([m === 0 ? "x" : m === L ? "o" : "a", "a", d.activations[m][j]]);
    if (m > 0 && v.delta[m]) lines.push(["δ", "delta", d.deltas[m - 1][j]]);
    if (m > 0 && d.has_biases) {
      const kind = v.bias[m], src = {b: d.biases, db: d.bias_steps, b_new: d.new_biases}[kind];
      lines.push([kind === "db" ? "Δb" : "b", kind, src[m - 1][j]]);
    }
    lines.forEach(([label, key, value], i) => number(gNodes, side ? x + 19 : x,
      side ? y - 10 + 15 * i : y + 32 + 16 * i, label, `${key}:${m}:${j}`, value,
      {"text-anchor": side ? "start" : "middle", "paint-order": "stroke", stroke: "white", "stroke-width": 4}));
    const note = d.notes[m + "," + j];
    if (note && v.delta[m]) {
      const t = el("text", {x, y: y - 22, "text-anchor": "middle", "font-size": 12, fill: "#444",
                            class: "mlp-bp-note"}, gNodes);
      t.textContent = note;
    }
  }));
}

function render({model, el: host}) {
  const root = document.createElement("div");
  root.className = "mlp-backprop";
  root.tabIndex = 0;
  root.style.cssText = "font-family: sans-serif; outline: none; padding: 4px;";
  const title = document.createElement("div");
  title.style.cssText = "font-weight: bold; font-size: 14px; margin-bottom: 4px;";
  const bar = document.createElement("div");
  bar.style.cssText = "display: flex; gap: 8px; align-items: center; font-size: 14px;";
  const prev = document.createElement("button"), next = document.createElement("button");
  prev.className = "mlp-bp-prev"; next.className = "mlp-bp-next";
  prev.textContent = "◀ back"; next.textContent = "next ▶";
  const counter = document.createElement("span");
  counter.className = "mlp-bp-counter";
  const hint = document.createElement("span");
  hint.textContent = "(or ← / → after a click on the diagram)";
  hint.style.cssText = "color: #777; font-size: 12px;";
  bar.append(prev, next, counter, hint);
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("class", "mlp-bp-svg");
  const caption = document.createElement("div");
  caption.className = "mlp-bp-caption";
  caption.style.cssText = "font-size: 14px; max-width: 900px; margin-top: 4px; line-height: 1.35;";
  root.append(title, bar, svg, caption);
  host.appendChild(root);

  const redraw = () => {
    const d = model.get("data"), n = d.steps.length;
    const step = Math.max(0, Math.min(n - 1, model.get("step")));
    title.textContent = d.title;
    counter.textContent = `step ${step + 1} of ${n}: ${d.steps[step].title}`;
    counter.dataset.step = step;
    caption.textContent = d.steps[step].caption;
    prev.disabled = step === 0; next.disabled = step === n - 1;
    draw(d, step, svg);
  };
  const go = delta => {
    const n = model.get("data").steps.length, step = Math.max(0, Math.min(n - 1, model.get("step") + delta));
    if (step === model.get("step")) return;
    model.set("step", step);
    model.save_changes();
    redraw();
  };
  prev.addEventListener("click", () => go(-1));
  next.addEventListener("click", () => go(1));
  svg.addEventListener("click", () => root.focus());
  root.addEventListener("keydown", e => {
    if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
      e.preventDefault(); e.stopPropagation();
      go(e.key === "ArrowRight" ? 1 : -1);
    }
  });
  model.on("change:step", redraw);
  model.on("change:data", redraw);
  redraw();
  return () => { model.off("change:step", redraw); model.off("change:data", redraw); };
}
export default { render };
"""


class BackpropWidget(anywidget.AnyWidget):
    """The stepper. ``data``: a model's :meth:`~.model.BackpropModel.to_json`; ``step``: 0 .. len(steps) − 1."""

    _esm = _ESM
    data = traitlets.Dict().tag(sync=True)
    step = traitlets.Int(0).tag(sync=True)
