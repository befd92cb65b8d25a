// The playground's pictures, drawn in the browser: the front end of mlp_course/playground/view.py
// (an anywidget ES module; its Python docstring describes the canvases and the data- attributes).
const OUT = [[247, 163, 92], [247, 247, 247], [157, 143, 207]];  // the package's CMAP: class 0 … 0.5 … class 1
const DIV = [[33, 102, 172], [247, 247, 247], [178, 24, 43]];    // hidden maps and weights: −1 … 0 … +1
const CLASS = ["#e66101", "#5e3c99"], POS = "#b2182b", NEG = "#2166ac";
const SUP = {"-": "⁻", "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸",
             "9": "⁹"};

const typed = (view, Type) => {
  if (!view) return new Type(0);
  const size = Type.BYTES_PER_ELEMENT, buffer = view.buffer, offset = view.byteOffset || 0;
  return offset % size === 0 ? new Type(buffer, offset, view.byteLength / size)
    : new Type(buffer.slice(offset, offset + view.byteLength));
};
const f32 = view => typed(view, Float32Array);
const u8 = view => typed(view, Uint8Array);

function ramp(stops, t) {
  t = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0.5;
  const half = t < 0.5 ? 0 : 1, u = t < 0.5 ? 2 * t : 2 * t - 1, a = stops[half], b = stops[half + 1];
  return [a[0] + (b[0] - a[0]) * u, a[1] + (b[1] - a[1]) * u, a[2] + (b[2] - a[2]) * u];
}

// An n × n map as a small canvas, row 0 of `values` at the bottom; t(v) in [0, 1] picks the colour.
function mapCanvas(values, n, stops, t) {
  const c = document.createElement("canvas");
  c.width = c.height = n;
  const ctx = c.getContext("2d"), img = ctx.createImageData(n, n);
  for (let r = 0; r < n; r++) for (let col = 0; col < n; col++) {
    const rgb = ramp(stops, t(values[r * n + col])), i = 4 * ((n - 1 - r) * n + col);
    img.data[i] = rgb[0]; img.data[i + 1] = rgb[1]; img.data[i + 2] = rgb[2]; img.data[i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
  return c;
}

function surface(canvas, w, h) {
  const dpr = window.devicePixelRatio || 1;
  canvas.style.width = w + "px"; canvas.style.height = h + "px";
  canvas.width = Math.round(w * dpr); canvas.height = Math.round(h * dpr);
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, w, h);
  ctx.imageSmoothingEnabled = true; ctx.imageSmoothingQuality = "high";
  return ctx;
}

function ticks(lo, hi, most) {
  const span = hi - lo, mag = 10 ** Math.floor(Math.log10(span / most));
  const step = [1, 2, 2.5, 5, 10].map(m => m * mag).find(s => span / s <= most);
  const out = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + 1e-9 * span; v += step) out.push(+v.toFixed(10));
  return out;
}
const label = v => String(+(+v).toPrecision(4) || 0).replace("-", "−");
const power = e => "10" + String(e).split("").map(ch => SUP[ch]).join("");

function text(ctx, s, x, y, font, align, baseline, colour) {
  ctx.font = font; ctx.textAlign = align || "left"; ctx.textBaseline = baseline || "alphabetic";
  ctx.fillStyle = colour || "#222"; ctx.fillText(s, x, y);
}

// Tick marks and labels along the bottom (x) or the left (y) of a plot; x labels kept inside the canvas.
function xTicks(ctx, values, X, top, fs, font, width, fmt) {
  ctx.fillStyle = "#444";
  for (const v of values) {
    ctx.fillRect(X(v) - 0.5, top, 1, 0.3 * fs);
    ctx.font = font;
    const half = ctx.measureText(fmt(v)).width / 2, x = Math.min(Math.max(X(v), half + 1), width - half - 1);
    text(ctx, fmt(v), x, top + 0.35 * fs, font, "center", "top");
  }
}

function yTicks(ctx, values, Y, left, fs, font, fmt) {
  for (const v of values) {
    ctx.fillStyle = "#444"; ctx.fillRect(left - 0.3 * fs, Y(v) - 0.5, 0.3 * fs, 1);
    text(ctx, fmt(v), left - 0.4 * fs, Y(v), font, "right", "middle");
  }
}

function marker(ctx, x, y, r, triangle, fill, width) {
  ctx.beginPath();
  if (triangle) {
    ctx.moveTo(x, y - 1.2 * r); ctx.lineTo(x + 1.1 * r, y + 0.7 * r); ctx.lineTo(x - 1.1 * r, y + 0.7 * r);
    ctx.closePath();
  } else ctx.arc(x, y, r, 0, 2 * Math.PI);
  ctx.fillStyle = fill; ctx.fill(); ctx.lineWidth = width; ctx.strokeStyle = "#000"; ctx.stroke();
}

// Where the n × n grid `v` crosses `level` (marching squares), as line segments.
function contour(ctx, v, n, level, px, py) {
  ctx.beginPath();
  for (let r = 0; r < n - 1; r++) for (let c = 0; c < n - 1; c++) {
    const corners = [[c, r], [c + 1, r], [c + 1, r + 1], [c, r + 1]], pts = [];
    const at = ([x, y]) => v[y * n + x];
    for (let k = 0; k < 4; k++) {
      const p = corners[k], q = corners[(k + 1) % 4], a = at(p), b = at(q);
      if ((a > level) === (b > level)) continue;
      const t = (level - a) / (b - a);
      if (Number.isFinite(t)) pts.push([px(p[0] + t * (q[0] - p[0])), py(p[1] + t * (q[1] - p[1]))]);
    }
    for (let k = 0; k + 1 < pts.length; k += 2) { ctx.moveTo(...pts[k]); ctx.lineTo(...pts[k + 1]); }
  }
  ctx.stroke();
}

function drawBoundary(canvas, f, s) {
  const S = s.boundary, fs = s.font, font = fs + "px sans-serif", ctx = surface(canvas, S, S);
  const L = 3.4 * fs, R = 0.8 * fs, T = 2.1 * fs, B = 2.7 * fs, pw = S - L - R, ph = S - T - B;
  const [x0, x1, y0, y1] = f.extent, n = f.grid, out = f32(f.output);
  const X = x => L + (x - x0) / (x1 - x0) * pw, Y = y => T + (1 - (y - y0) / (y1 - y0)) * ph;
  const cw = pw / (n - 1), ch = ph / (n - 1);
  ctx.save(); ctx.beginPath(); ctx.rect(L, T, pw, ph); ctx.clip();
  ctx.drawImage(mapCanvas(out, n, OUT, v => v), L - cw / 2, T - ch / 2, pw + cw, ph + ch);
  ctx.strokeStyle = "#000"; ctx.lineWidth = Math.max(1.5, fs / 8);
  contour(ctx, out, n, 0.5, c => L + c * cw, r => T + ph - r * ch);
  const r = 0.42 * fs, edge = Math.max(0.8, fs / 16);
  for (const [key, yKey, triangle] of [["X", "y", false], ["X_test", "y_test", true]]) {
    const P = f32(f[key]), labels = u8(f[yKey]);
    for (let i = 0; i < labels.length; i++) {
      marker(ctx, X(P[2 * i]), Y(P[2 * i + 1]), r, triangle, CLASS[labels[i]], edge);
    }
  }
  ctx.restore();
  ctx.strokeStyle = "#444"; ctx.lineWidth = 1; ctx.strokeRect(L, T, pw, ph);
  xTicks(ctx, ticks(x0, x1, 5), X, T + ph, fs, font, S, label);
  yTicks(ctx, ticks(y0, y1, 5), Y, L, fs, font, label);
  text(ctx, "x₁", L + pw / 2, S - 0.15 * fs, "italic " + font, "center", "bottom");
  ctx.save(); ctx.translate(0.2 * fs, T + ph / 2); ctx.rotate(-Math.PI / 2);
  text(ctx, "x₂", 0, 0, "italic " + font, "center", "top"); ctx.restore();
  text(ctx, f.dataset + ": decision boundary", L, 0.35 * fs, "bold " + font, "left", "top");
  let x = S - R;
  const keys = f.X_test && f.X_test.byteLength ? [["test", true], ["train", false]] : [["train", false]];
  for (const [name, triangle] of keys) {
    ctx.font = font; x -= ctx.measureText(name).width;
    text(ctx, name, x, 0.35 * fs, font, "left", "top");
    x -= 0.7 * fs; marker(ctx, x, 0.95 * fs, 0.35 * fs, triangle, "#fff", 1); x -= 1.0 * fs;
  }
  const note = "epoch " + f.epoch;
  ctx.font = font; const w = ctx.measureText(note).width;
  ctx.fillStyle = "rgba(255,255,255,0.8)"; ctx.fillRect(L + 3, T + ph - 1.5 * fs - 3, w + 0.6 * fs, 1.5 * fs);
  text(ctx, note, L + 3 + 0.3 * fs, T + ph - 0.75 * fs - 3, font, "left", "middle");
  return {plotWidth: pw, plotHeight: ph};
}

// Each hidden neuron's map scaled to [−1, 1]: tanh as it is, sigmoid as 2a − 1, relu by its largest |a|.
function unitScale(values, activation) {
  if (activation === "sigmoid") return v => 2 * v - 1;
  if (activation === "tanh") return v => v;
  let top = 0;
  for (const v of values) if (Number.isFinite(v)) top = Math.max(top, Math.abs(v));
  return v => top > 0 ? v / top : 0;
}

function drawNetwork(canvas, f, s) {
  const sizes = f.sizes, cols = sizes.length, fs = s.font, font = fs + "px sans-serif", W = s.side;
  const rows = Math.max(2, ...sizes.slice(1, -1)), head = 1.9 * fs, foot = 1.8 * fs, out = f32(f.output);
  const share = sizes.map((_, l) => l === 0 ? 0.6 : l === cols - 1 ? 0.8 : 1.0);
  const sum = share.reduce((a, b) => a + b, 0), gapShare = 0.75;
  const tile = Math.floor(Math.min(s.tile, (s.network_height - head - foot) / (rows * 1.15),
                                   (W - 8) / (sum + gapShare * (cols - 1))));
  const H = Math.ceil(head + rows * tile * 1.15 + foot), ctx = surface(canvas, W, H);
  const gap = (W - 8 - sum * tile) / (cols - 1), mid = head + rows * tile * 1.15 / 2;
  const boxes = [];
  let left = 4;
  for (let l = 0; l < cols; l++) {
    const side = share[l] * tile, n = sizes[l], layer = [];
    for (let k = 0; k < n; k++) layer.push([left, mid + (k - (n - 1) / 2) * tile * 1.15 - side / 2, side]);
    boxes.push(layer); left += side + gap;
  }
  const weights = f.weights.map(f32);
  let wmax = 1e-12;
  for (const w of weights) for (const v of w) if (Number.isFinite(v)) wmax = Math.max(wmax, Math.abs(v));
  ctx.globalAlpha = 0.85;
  for (let l = 0; l < cols - 1; l++) for (let k = 0; k < sizes[l]; k++) for (let j = 0; j < sizes[l + 1]; j++) {
    const w = weights[l][k * sizes[l + 1] + j], [ax, ay, as] = boxes[l][k], [bx, by, bs] = boxes[l + 1][j];
    if (!Number.isFinite(w)) continue;
    ctx.beginPath(); ctx.moveTo(ax + as, ay + as / 2); ctx.lineTo(bx, by + bs / 2);
    ctx.lineWidth = 0.5 + (tile / 11) * Math.abs(w) / wmax; ctx.strokeStyle = w >= 0 ? POS : NEG; ctx.stroke();
  }
  ctx.globalAlpha = 1;
  const [x0, x1, y0, y1] = f.extent, t = f.tile, ramp01 = v => (v + 1) / 2;
  const inputs = [0, 1].map(d => {
    const v = new Float32Array(t * t);
    for (let r = 0; r < t; r++) for (let c = 0; c < t; c++) {
      const x = x0 + c / (t - 1) * (x1 - x0), y = y0 + r / (t - 1) * (y1 - y0);
      v[r * t + c] = d ? y / Math.max(Math.abs(y0), Math.abs(y1)) : x / Math.max(Math.abs(x0), Math.abs(x1));
    }
    return v;
  });
  const hidden = f32(f.hidden);
  let unit = 0;
  for (let l = 0; l < cols; l++) for (let k = 0; k < sizes[l]; k++) {
    const [x, y, side] = boxes[l][k];
    let map;
    if (l === 0) map = mapCanvas(inputs[k], t, DIV, ramp01);
    else if (l === cols - 1) map = mapCanvas(out, f.grid, OUT, v => v);
    else {
      const values = hidden.subarray(unit * t * t, (unit + 1) * t * t), scale = unitScale(values, f.activation);
      map = mapCanvas(values, t, DIV, v => ramp01(scale(v))); unit++;
    }
    ctx.drawImage(map, x, y, side, side);
    ctx.strokeStyle = "#555"; ctx.lineWidth = 1; ctx.strokeRect(x, y, side, side);
  }
  ctx.font = font;
  const roomy = ctx.measureText("output").width < 0.9 * (gap + 0.8 * tile);  // else "in", "out" (a narrow canvas)
  for (let l = 0; l < cols; l++) {
    const [x, , side] = boxes[l][0];
    const name = l === 0 ? (roomy ? "input" : "in") : l === cols - 1 ? (roomy ? "output" : "out")
      : (cols > 4 ? "" : "layer ") + l;
    const half = ctx.measureText(name).width / 2, centre = Math.min(Math.max(x + side / 2, half + 1), W - half - 1);
    text(ctx, name, centre, 0.3 * fs, font, "center", "top");
  }
  const legend = "edges: red w > 0, blue w < 0, width |w|";  // smaller (down to 70 %) rather than cut off
  ctx.font = font;
  const legendFs = Math.max(0.7 * fs, Math.min(fs, fs * (W - 8) / ctx.measureText(legend).width));
  text(ctx, legend, 4, H - 0.2 * fs, legendFs + "px sans-serif", "left", "bottom", "#444");
  return {tile};
}

function drawLoss(canvas, f, s) {
  const W = s.side, H = s.loss_height, fs = s.font, font = fs + "px sans-serif", ctx = surface(canvas, W, H);
  const L = 3.6 * fs, R = 0.9 * fs, T = 2.0 * fs, B = 2.6 * fs, pw = W - L - R, ph = H - T - B;
  const ep = f32(f.loss_epochs), train = f32(f.train_loss), test = f32(f.test_loss), n = train.length;
  const all = [...train, ...test].filter(Number.isFinite), log = all.length > 0 && Math.min(...all) > 0;
  const diverged = f.diverged_epoch !== null && f.diverged_epoch !== undefined;
  const last = n ? ep[n - 1] : 0;
  const xmax = Math.max(diverged ? Math.max(f.diverged_epoch + 1, 10) : f.planned_epochs, last, 1);
  let lo, hi;
  if (log) { lo = Math.floor(Math.log10(Math.min(...all))); hi = Math.ceil(Math.log10(Math.max(...all)));
             if (hi <= lo) hi = lo + 1; }
  else if (all.length) {
    lo = Math.min(...all); hi = Math.max(...all);
    const pad = 0.05 * (hi - lo) + 1e-6; lo -= pad; hi += pad;
  }
  else { lo = 0; hi = 1; }
  const X = e => L + e / xmax * pw, Y = v => T + ph * (1 - ((log ? Math.log10(v) : v) - lo) / (hi - lo));
  ctx.save(); ctx.beginPath(); ctx.rect(L, T, pw, ph); ctx.clip();
  for (const [values, colour, dash] of [[train, "#1f77b4", []], [test, "#ff7f0e", [6, 4]]]) {
    ctx.beginPath(); ctx.setLineDash(dash); ctx.strokeStyle = colour; ctx.lineWidth = Math.max(1.5, fs / 8);
    let pen = false;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!Number.isFinite(v) || (log && v <= 0)) { pen = false; continue; }
      pen ? ctx.lineTo(X(ep[i]), Y(v)) : ctx.moveTo(X(ep[i]), Y(v)); pen = true;
    }
    ctx.stroke();
  }
  if (diverged) { ctx.beginPath(); ctx.setLineDash([2, 3]); ctx.strokeStyle = "red"; ctx.lineWidth = 2;
                  ctx.moveTo(X(f.diverged_epoch), T); ctx.lineTo(X(f.diverged_epoch), T + ph); ctx.stroke(); }
  ctx.restore(); ctx.setLineDash([]);
  ctx.strokeStyle = "#444"; ctx.lineWidth = 1; ctx.strokeRect(L, T, pw, ph);
  // As many ticks as there is room for (a plot fitted to a small screen gets fewer), at most four.
  const xMost = Math.max(2, Math.min(4, Math.floor(pw / (3.5 * fs)))), yMost = Math.max(2, Math.min(4,
    Math.floor(ph / (1.4 * fs))));
  xTicks(ctx, ticks(0, xmax, xMost), X, T + ph, fs, font, W, label);
  const every = Math.ceil((hi - lo) / yMost);
  const yt = log ? Array.from({length: hi - lo + 1}, (_, i) => lo + i).filter(e => (e - lo) % every === 0)
    .map(e => 10 ** e) : ticks(lo, hi, yMost);
  yTicks(ctx, yt, Y, L, fs, font, v => log ? power(Math.round(Math.log10(v))) : label(v));
  text(ctx, "epoch", W - R, H - 0.1 * fs, font, "right", "bottom");
  const title = (n ? "loss" : "loss (not trained)") + " (" + f.loss_name + ")";
  text(ctx, title, L, 0.35 * fs, "bold " + font, "left", "top");
  ctx.font = "bold " + font;
  const titleEnd = L + ctx.measureText(title).width + 0.8 * fs;
  const keys = [["train", "#1f77b4"]].concat(test.length ? [["test", "#ff7f0e"]] : [],
                                             diverged ? [["diverged", "red"]] : []);
  ctx.font = font;
  const widths = keys.map(([name]) => ctx.measureText(name).width);
  const keysWidth = widths.reduce((a, b) => a + b, 0) + 0.8 * fs * (keys.length - 1);
  // Beside the title when they fit; otherwise (a narrow plot) inside its top right corner, on white.
  const inside = W - R - keysWidth < titleEnd, y = inside ? T + 0.2 * fs : 0.35 * fs;
  let x = inside ? L + pw - 0.3 * fs : W - R;
  if (inside) {
    ctx.fillStyle = "rgba(255,255,255,0.85)";
    ctx.fillRect(x - keysWidth - 0.2 * fs, T + 1, keysWidth + 0.4 * fs, 1.4 * fs);
  }
  for (let i = keys.length - 1; i >= 0; i--) {
    x -= widths[i]; text(ctx, keys[i][0], x, y, font, "left", "top", keys[i][1]);
    x -= 0.8 * fs;
  }
  return {};
}

// With s.fit (projection): the sizes of s scaled down to the room the view has in the window. Its width
// is the grid cell's (not its content's); its height runs from its top to the window's bottom. The
// boundary is a square as large as fits; the network and the loss go beside it when the side column
// can be m.side wide (below it otherwise), the network as tall as its tiles need, the loss taking the rest.
// Text keeps its size: the plots get smaller, the words do not.
function fitted(el, s, f) {
  if (!s.fit || !el.isConnected) return s;
  const m = s.minimum, gap = 14, box = el.getBoundingClientRect();
  let top = box.top + window.scrollY;
  for (let a = el.parentElement; a; a = a.parentElement) top += a.scrollTop;
  const w = el.clientWidth, h = Math.floor(window.innerHeight - top - m.margin);
  if (w <= 0) return s;
  const boundary = Math.round(Math.max(m.boundary, Math.min(s.boundary, h, w)));
  const room = w - boundary - gap;
  if (room < m.side) return {...s, boundary, side: Math.round(Math.min(s.side, w))};
  const side = Math.round(Math.min(s.side, room)), sizes = f && f.sizes ? f.sizes : [2, 4, 1];
  const rows = Math.max(2, ...sizes.slice(1, -1)), cols = sizes.length;
  const sum = sizes.map((_, l) => l === 0 ? 0.6 : l === cols - 1 ? 0.8 : 1.0).reduce((a, b) => a + b, 0);
  const tile = Math.min(s.tile, (side - 8) / (sum + 0.75 * (cols - 1)));
  const needed = Math.ceil(3.7 * s.font + rows * tile * 1.15) + 1;  // drawNetwork's head + tiles + foot
  const network = Math.max(3 * s.font, Math.min(s.network_height, needed, h - m.loss_height - 10));
  const loss = Math.max(m.loss_height, Math.min(s.loss_height, h - network - 10));
  return {...s, boundary, side, loss_height: loss, network_height: network};
}

export default {
  render({ model, el }) {
    el.classList.add("mlp-view");
    const make = (tag, cls) => { const e = document.createElement(tag); e.className = cls; return e; };
    const boundary = make("canvas", "mlp-boundary"), side = make("div", "mlp-side");
    const network = make("canvas", "mlp-network mlp-hidden"), loss = make("canvas", "mlp-loss");
    side.append(network, loss); el.append(boundary, side);
    let count = 0, media = null, drawnAt = "";
    const draw = () => {
      const f = model.get("frame"), given = model.get("sizes");
      if (!f || !f.output || !given || !given.font) return;
      const s = fitted(el, given, f);
      drawnAt = JSON.stringify(s);
      const start = performance.now();
      const b = drawBoundary(boundary, f, s), nw = drawNetwork(network, f, s);
      drawLoss(loss, f, s);
      let total = 0;
      for (const v of f32(f.output)) if (Number.isFinite(v)) total += v;
      const end = performance.now();
      for (const e of [el, boundary, network, loss]) e.dataset.frame = f.id;
      Object.assign(el.dataset, {config: f.config, outputSum: total, drawMs: (end - start).toFixed(2),
                                 drawnAt: end, drawCount: ++count, plotWidth: b.plotWidth, plotHeight: b.plotHeight,
                                 tile: nw.tile, font: s.font, dpr: window.devicePixelRatio || 1,
                                 boundarySize: s.boundary, sideWidth: s.side,
                                 kernelMs: f.kernel_ms, trainMs: f.train_ms, frameMs: f.frame_ms});
    };
    // A new devicePixelRatio (browser zoom, another screen): draw again at the screen's pixels, sharp.
    // Chromium reports it to a ResizeObserver of device pixels; a resolution media query and resize cover others.
    // A new window size or a new place on the page (projection's fit): draw again if the sizes change.
    const onZoom = () => {
      const s = model.get("sizes");
      if (Number(el.dataset.dpr) !== (window.devicePixelRatio || 1)) draw();
      else if (s && s.fit && JSON.stringify(fitted(el, s, model.get("frame"))) !== drawnAt) draw();
      watchMedia();
    };
    const watchMedia = () => {
      if (media) media.removeEventListener("change", onZoom);
      media = window.matchMedia(`(resolution: ${window.devicePixelRatio || 1}dppx)`);
      media.addEventListener("change", onZoom);
    };
    const observer = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(onZoom);
    if (observer) {
      try { observer.observe(boundary, {box: "device-pixel-content-box"}); } catch (e) { observer.observe(boundary); }
      observer.observe(el);  // attached to the page, or its grid cell resized: fit again
    }
    window.addEventListener("resize", onZoom);
    model.on("change:frame", draw);
    model.on("change:sizes", draw);
    watchMedia();
    draw();
    return () => {
      model.off("change:frame", draw); model.off("change:sizes", draw);
      if (media) media.removeEventListener("change", onZoom);
      if (observer) observer.disconnect();
      window.removeEventListener("resize", onZoom);
    };
  },
};
