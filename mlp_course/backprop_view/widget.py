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
const POS = "#c8312b", NEG = "#1f66b0", ZERO = "#9a9a9a", NS = "http://www.w3.org/2000/svg";
const EDGE_NAME = {w: "w", w_new: "w", dw: "Δw", flow: "w·δ"};
function g3(x) {  // Python's f"{x:.3g}": 3 significant digits, an exponent below 1e-4 and from 1000 on; -0 reads 0
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
  if (x === 0) return "0";
  const [mantissa, exponent] = x.toExponential(2).split("e"), e = Number(exponent);
  if (e >= -4 && e < 3) return String(Number(x.toPrecision(3)));
  return String(Number(mantissa)) + "e" + (e < 0 ? "-" : "+") + String(Math.abs(e)).padStart(2, "0");
}
const fmt = v => Array.isArray(v) ? "[" + v.map(fmt).join(", ") + "]" : (v === null ? "nan" : g3(Number(v)));
const colour = v => v > 0 ? POS : v < 0 ? NEG : ZERO;
// where along its edge (0: the neuron feeding, 1: the neuron fed) a label may go, in order of preference
// (then every 0.02 from 0.12 to 0.86, for crowded crossings)
const FRACTIONS = [0.5, 0.4, 0.6, 0.32, 0.68, 0.25, 0.75, 0.45, 0.55, 0.36, 0.64, 0.2, 0.8, 0.28, 0.72, 0.84,
                   ...Array.from({length: 38}, (_, i) => Math.round(100 * (0.12 + 0.02 * i)) / 100)];
const NODE_FONT = 13, EDGE_FONT = 12, LINE = 17, R = 14;
let measurer = null;
function textWidth(text, size) {  // the text's width in px, measured off-screen (the SVG may not be attached yet)
  if (!measurer) measurer = document.createElement("canvas").getContext("2d");
  measurer.font = `${size}px sans-serif`;
  return measurer.measureText(text).width * 1.06 + 2;
}
const overlap = (a, b) => Math.max(0, Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0)) *
                          Math.max(0, Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0));
function crosses(b, x0, y0, x1, y1) {  // does the segment (x0, y0)-(x1, y1) pass through box b? (Liang–Barsky)
  let low = 0, high = 1;
  for (const [origin, step, lo, hi] of [[x0, x1 - x0, b.x0, b.x1], [y0, y1 - y0, b.y0, b.y1]]) {
    if (step === 0) { if (origin < lo || origin > hi) return false; continue; }
    const a = (lo - origin) / step, b_ = (hi - origin) / step, t0 = Math.min(a, b_), t1 = Math.max(a, b_);
    low = Math.max(low, t0); high = Math.min(high, t1);
    if (low > high) return false;
  }
  return true;
}
function box(x, y, w, size, anchor) {  // a one-line text's box, centred vertically on y
  const x0 = anchor === "start" ? x : anchor === "end" ? x - w : x - w / 2;
  return {x0: x0 - 2, x1: x0 + w + 2, y0: y - 0.62 * size - 1, y1: y + 0.62 * size + 1};
}

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

const HALO = {"paint-order": "stroke", stroke: "white", "stroke-width": 4, "stroke-linejoin": "round",
              "dominant-baseline": "central"};

function nodeLines(d, v, m, j) {  // [text, data-key or null, value] of neuron j of layer m
  const L = d.sizes.length - 1, batch = d.inputs !== null && d.inputs !== undefined, lines = [];
  if (v.forward[m]) {
    if (m === 0 && batch && d.inputs.length <= 8) {
      const column = d.inputs.map(row => row[j]);  // each sample's x: the batch is not its mean
      lines.push(["x=" + fmt(column), `x:0:${j}`, column]);
    } else if (m === 0 && batch) {
      lines.push([`x: ${d.inputs.length} samples, mean ${fmt(d.activations[0][j])}`, `a:0:${j}`, d.activations[0][j]]);
    } else {
      const name = (batch ? "mean " : "") + (m === 0 ? "x" : m === L ? "o" : "a");
      lines.push([name + "=" + fmt(d.activations[m][j]), `a:${m}:${j}`, d.activations[m][j]]);
    }
  }
  if (m > 0 && v.delta[m]) lines.push(["δ=" + fmt(d.deltas[m - 1][j]), `delta:${m}:${j}`, d.deltas[m - 1][j]]);
  if (m > 0 && d.has_biases) {
    const kind = v.bias[m], value = {b: d.biases, db: d.bias_steps, b_new: d.new_biases}[kind][m - 1][j];
    lines.push([(kind === "db" ? "Δb" : "b") + "=" + fmt(value), `${kind}:${m}:${j}`, value]);
  }
  const note = d.notes[m + "," + j];
  if (note && m > 0 && v.delta[m]) note.split("\n").forEach(part => lines.push([part, null, null]));
  return lines;
}

function draw(d, step, svg) {
  svg.replaceChildren();
  const L = d.sizes.length - 1, side = Math.max(...d.sizes) > 4, DX = side ? 250 : 200, DY = side ? 70 : 112;
  const top = Math.max(...d.sizes), xs = [0];
  // as draw.py: the layer whose labelled edges cross (the first) or converge (a tall network's last) is wider
  for (let l = 0; l < L; l++) xs.push(xs[l] + (side ? (l === L - 1 ? 325 : DX) : (l === 0 ? 255 : DX)));
  const pos = d.sizes.map((n, l) => Array.from({length: n}, (_, k) => [xs[l], (top - n) * DY / 2 + k * DY]));
  const v = shown(d, step), cur = v.cur;
  const arrays = {w: d.weights, w_new: d.new_weights, dw: d.weight_steps, flow: d.flows};
  const gEdges = el("g", {}, svg), gHover = el("g", {}, svg), gLabels = el("g", {}, svg), gNodes = el("g", {}, svg);
  const taken = [], labels = [], segments = [];
  v.edges.forEach((what, l) => {
    const vals = arrays[what][l], flat = vals.flat().filter(Number.isFinite).map(Math.abs);
    const big = Math.max(0, ...flat) || 1, labelled = d.sizes[l] * d.sizes[l + 1] <= 8;
    const active = cur.layer === l && (cur.kind === "hidden_delta" || cur.kind === "update_layer");
    pos[l].forEach(([x0, y0], k) => pos[l + 1].forEach(([x1, y1], j) => {
      const val = vals[k][j], c = colour(val);
      segments.push([x0, y0, x1, y1]);
      const line = el("line", {x1: x0, y1: y0, x2: x1, y2: y1, stroke: c, "stroke-opacity": active ? 0.95 : 0.55,
        "stroke-width": Number.isFinite(val) ? 0.8 + 6 * Math.min(Math.abs(val) / big, 1) : 0.8,
        class: "mlp-bp-edge mlp-bp-" + what}, gEdges);
      if (what === "flow") {
        line.setAttribute("stroke-dasharray", "9 6");
        el("animate", {attributeName: "stroke-dashoffset", from: 0, to: 30, dur: "1s", repeatCount: "indefinite"},
           line);  // the dashes run backwards, from the neuron fed to the neuron feeding
      }
      // hover anywhere near the edge: its value, labelled or not
      const hover = el("line", {x1: x0, y1: y0, x2: x1, y2: y1, stroke: "#000", "stroke-opacity": 0,
                                "stroke-width": 9, "pointer-events": "stroke", class: "mlp-bp-hover"}, gHover);
      const name = what === "flow" ? d.flow_name : EDGE_NAME[what];  // "sent" where the code sends no w·δ
      el("title", {}, hover).textContent = `${name}[${k}→${j}] = ${val}`;
      if (labelled) labels.push({x0, y0, x1, y1, text: name + "=" + fmt(val),
                                 key: `${what}:${l}:${k}:${j}`, val, c});
    }));
  });
  pos.forEach((layer, m) => layer.forEach(([x, y], j) => {
    const hot = (cur.kind === "forward" && cur.layer === m) ||
                ((cur.kind === "output_delta" || cur.kind === "hidden_delta") && cur.layer === m);
    const circle = el("circle", {cx: x, cy: y, r: R, fill: hot ? "#ffe9a8" : "white", stroke: "#333",
                                 "stroke-width": 1.3, class: "mlp-bp-node"}, gNodes);
    taken.push({x0: x - R - 2, x1: x + R + 2, y0: y - R - 2, y1: y + R + 2});
    const lines = nodeLines(d, v, m, j);
    el("title", {}, circle).textContent = lines.map(([text]) => text).join("\n");
    // the inputs' numbers left of the node, the outputs' (and tall layers') right of it, a hidden node's below it
    const anchor = m === 0 ? "end" : (m === L || side) ? "start" : "middle";
    const tx = m === 0 ? x - R - 5 : (m === L || side) ? x + R + 5 : x;
    const ty0 = anchor === "middle" ? y + R + 4 + LINE / 2 : y - (lines.length - 1) * LINE / 2;
    lines.forEach(([text, key, value], i) => {
      const attrs = Object.assign({x: tx, y: ty0 + LINE * i, "text-anchor": anchor, "font-size": NODE_FONT}, HALO);
      const note = {fill: "#444", class: "mlp-bp-note", style: "white-space: pre"};  // a note keeps its indent
      const t = key === null ? el("text", Object.assign(attrs, note), gNodes)
        : el("text", Object.assign(attrs, {"data-key": key, "data-value": JSON.stringify(value),
                                           class: "mlp-bp-num"}), gNodes);
      t.textContent = text;
      taken.push(box(tx, ty0 + LINE * i, textWidth(text, NODE_FONT), NODE_FONT, anchor));
    });
  }));
  // each label at the first point along its edge clear of other text and of every other edge (where two
  // edges cross, a label would read as either's); failing that, the least text overlap, then fewest edges
  labels.forEach(({x0, y0, x1, y1, text, key, val, c}) => {
    const w = textWidth(text, EDGE_FONT), others = segments.filter(s => !(s[0] === x0 && s[1] === y0
                                                                         && s[2] === x1 && s[3] === y1));
    let best = null;
    for (const t of FRACTIONS) {
      const b = box(x0 + t * (x1 - x0), y0 + t * (y1 - y0), w, EDGE_FONT, "middle");
      const hit = taken.reduce((sum, o) => sum + overlap(b, o), 0);
      const cut = others.reduce((sum, s) => sum + (crosses(b, ...s) ? 1 : 0), 0);
      if (best === null || hit < best.hit || (hit === best.hit && cut < best.cut)) best = {t, b, hit, cut};
      if (hit === 0 && cut === 0) break;
    }
    taken.push(best.b);
    el("rect", {x: best.b.x0, y: best.b.y0, width: best.b.x1 - best.b.x0, height: best.b.y1 - best.b.y0, rx: 3,
                fill: "white", "fill-opacity": 0.85}, gLabels);  // the edges under the label stay out of its way
    const t = el("text", Object.assign({x: x0 + best.t * (x1 - x0), y: y0 + best.t * (y1 - y0), "data-key": key,
      "data-value": JSON.stringify(val), class: "mlp-bp-num", fill: c, "text-anchor": "middle",
      "font-size": EDGE_FONT}, HALO), gLabels);
    t.textContent = text;
  });
  return {x0: Math.min(...taken.map(b => b.x0)), x1: Math.max(...taken.map(b => b.x1)),
          y0: Math.min(...taken.map(b => b.y0)), y1: Math.max(...taken.map(b => b.y1))};
}

function frame(d) {  // one viewBox that holds every step, so the picture keeps its size while stepping
  const scratch = document.createElementNS(NS, "svg"), all = d.steps.map((_, s) => draw(d, s, scratch));
  const x0 = Math.min(...all.map(b => b.x0)) - 8, x1 = Math.max(...all.map(b => b.x1)) + 8;
  const y0 = Math.min(...all.map(b => b.y0)) - 8, y1 = Math.max(...all.map(b => b.y1)) + 8;
  return {box: `${x0} ${y0} ${x1 - x0} ${y1 - y0}`, width: x1 - x0, height: y1 - y0};
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
  const key = document.createElement("div");
  key.className = "mlp-bp-key";
  key.style.cssText = "font-size: 12px; color: #555; margin-top: 2px;";
  const swatch = style => `<span style="display: inline-block; width: 24px; vertical-align: middle; ${style}"></span>`;
  key.innerHTML = [  // the same key as the static picture's: colour, width, dashes
    `${swatch(`border-top: 3px solid ${POS}`)} ${swatch(`border-top: 3px solid ${NEG}`)} ` +
      `${swatch(`border-top: 3px solid ${ZERO}`)} colour: the value's sign (red > 0, blue < 0, grey 0)`,
    `${swatch(`border-top: 1px solid ${ZERO}`)} ${swatch(`border-top: 6px solid ${ZERO}`)} ` +
      "width: its size |value|, relative to the largest in its layer",
    `${swatch(`border-top: 3px dashed ${POS}`)} dashed: what is sent back (w·δ), the way the dashes run`,
  ].join("<br>");
  root.append(title, bar, svg, key, caption);
  host.appendChild(root);

  let shape = null, shapeOf = null;
  const redraw = () => {
    const d = model.get("data"), n = d.steps.length;
    if (shapeOf !== d) { shape = frame(d); shapeOf = d; }
    svg.setAttribute("viewBox", shape.box);
    svg.setAttribute("width", shape.width); svg.setAttribute("height", shape.height);
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
