"""The scripts the learner-settings test runs in JupyterLab's page (``window.jupyterapp``, JupyterLab 4).

Each constant is a JavaScript function for Playwright's ``page.evaluate``; all work on the notebook
that is the shell's current widget. See ``learner_lab.py``.
"""

APP_READY = """() => !document.querySelector('#jupyterlab-splash') && !!window.jupyterapp
    && !!window.jupyterapp.shell && !!document.querySelector('.lm-MenuBar-itemLabel')"""

OPEN = """async (path) => {
    const app = window.jupyterapp;
    for (const w of [...app.shell.widgets('main')]) {
        if (w.sessionContext) await w.sessionContext.shutdown();  // one kernel per page at a time
        w.dispose();
    }
    const widget = await app.commands.execute('docmanager:open', {path, factory: 'Notebook'});
    await widget.context.ready;
    app.shell.activateById(widget.id);
}"""

CURRENT = "const nb = window.jupyterapp.shell.currentWidget;"

# Every cell of the model: type, tags, execution count, outputs (type, stream name, mime types, error name).
MODEL = """() => {
    const nb = window.jupyterapp.shell.currentWidget;
    if (!nb || !nb.content || !nb.content.model) return null;
    const kernel = nb.sessionContext.session && nb.sessionContext.session.kernel;
    const cells = [];
    const model = nb.content.model.cells;
    for (let i = 0; i < model.length; i++) {
        const c = model.get(i);
        const outputs = [];
        if (c.type === 'code') for (let j = 0; j < c.outputs.length; j++) {
            const o = c.outputs.get(j).toJSON();
            outputs.push({type: o.output_type, name: o.name || null, mimes: Object.keys(o.data || {}),
                          ename: o.ename || null, evalue: o.evalue || null,
                          text: o.output_type === 'stream' ? String(o.text).slice(0, 600) : null});
        }
        cells.push({index: i, type: c.type, tags: c.getMetadata('tags') || [],
                    source: c.sharedModel.getSource().trim().length > 0,
                    count: c.type === 'code' ? c.executionCount : null, outputs});
    }
    return {kernel: kernel ? kernel.status : 'none', cells};
}"""

CLEARED = CURRENT.join(["() => {", """
    const m = nb.content.model.cells;
    for (let i = 0; i < m.length; i++) {
        const c = m.get(i);
        if (c.type === 'code' && (c.outputs.length || c.executionCount !== null)) return false;
    }
    return true;
}"""])

SCROLL_TO = CURRENT.join(["async (index) => {", """
    const cell = nb.content.widgets[index];
    await nb.content.scrollToItem(index, 'start', 0);
    return !!cell && cell.node.isConnected;
}"""])

# The cell's images: all loaded? (poll this before measuring)
IMAGES_LOADED = CURRENT.join(["(index) => {", """
    const cell = nb.content.widgets[index];
    if (!cell || !cell.node.isConnected) return false;
    return [...cell.node.querySelectorAll('.jp-OutputArea img')].every(img => img.complete);
}"""])

# What one cell shows on screen: every image (natural and rendered size, flat or not), every widget output.
LOOK = CURRENT.join(["([index, widgetOutputs]) => {", """
    const cell = nb.content.widgets[index];
    const out = {connected: !!cell && cell.node.isConnected, prompt: null, images: [], widgets: [], texts: [],
                 stderr: 0};
    if (!out.connected) return out;
    const prompt = cell.node.querySelector('.jp-InputArea-prompt');
    out.prompt = prompt ? prompt.textContent.trim() : null;
    const children = cell.outputArea ? [...cell.outputArea.widgets] : [];  // one per output of the model
    // Every picture in the outputs: <img> (figures, Image widgets) and <canvas> (widgets that draw).
    for (const img of cell.node.querySelectorAll('.jp-OutputArea img, .jp-OutputArea canvas')) {
        const isImg = img.tagName === 'IMG';
        const box = img.getBoundingClientRect(), style = getComputedStyle(img);
        const natural = isImg ? [img.naturalWidth, img.naturalHeight] : [img.width, img.height];
        const info = {tag: img.tagName.toLowerCase(), natural, shown: [Math.round(box.width), Math.round(box.height)],
                      complete: isImg ? img.complete : true,
                      hidden: style.display === 'none' || style.visibility === 'hidden',
                      classes: String(img.className), in_widget: !!img.closest('.jupyter-widgets'),
                      near_play: false, flat: null, ink: null};
        const area = children.map(c => c.node).find(node => node.contains(img));  // the cell's own output
        info.near_play = !!area && !!area.querySelector('.widget-play');
        if (info.complete && natural[0] > 0 && natural[1] > 0) {
            // Decode on a canvas of its own size; flat = every pixel within 24 (sum of |dR|,|dG|,|dB|) of the first.
            const canvas = document.createElement('canvas');
            [canvas.width, canvas.height] = natural;
            const ctx = canvas.getContext('2d', {willReadFrequently: true});
            ctx.drawImage(img, 0, 0);
            const px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
            let differ = 0;
            const [r, g, b] = [px[0], px[1], px[2]];
            for (let k = 0; k < px.length; k += 4)
                if (Math.abs(px[k] - r) + Math.abs(px[k + 1] - g) + Math.abs(px[k + 2] - b) > 24) differ++;
            info.ink = differ / (px.length / 4);
            info.flat = differ === 0;
        }
        out.images.push(info);
    }
    for (const area of cell.node.querySelectorAll('.jp-OutputArea-output')) {
        const text = area.innerText || '';
        for (const t of ["Error displaying widget", "model not found"]) if (text.includes(t)) out.texts.push(t);
        if (area.dataset.mimeType === 'application/vnd.jupyter.stderr') out.stderr++;
    }
    // A widget output carries no mime type in the DOM: take the output area's child of the same index.
    for (const j of widgetOutputs) {
        const area = children[j] && children[j].node;
        if (!area) { out.widgets.push({index: j, parts: 0, sized: 0, play: false, size: [0, 0]}); continue; }
        // Rendered: a sized element with something in it — an ipywidgets .widget-* part, or (anywidget,
        // custom views) text, svg, canvas or img; not a fallback (text/plain, image/png) of the bundle.
        const sized = e => { const b = e.getBoundingClientRect(); return b.width > 0 && b.height > 0; };
        const parts = [...area.querySelectorAll('*')].filter(e => [...e.classList].some(c => c.startsWith('widget-')));
        const drawn = [...area.querySelectorAll('svg, canvas, img')].filter(sized);
        const first = area.querySelector('.jp-OutputArea-output');
        const fallback = first && first.dataset.mimeType ? first.dataset.mimeType : null;
        const text = (first ? first.innerText : '').trim();
        out.widgets.push({index: j, parts: parts.length, sized: parts.filter(sized).length, drawn: drawn.length,
                          text: text.length, fallback, play: !!area.querySelector('.widget-play'),
                          size: (b => [Math.round(b.width), Math.round(b.height)])(area.getBoundingClientRect())});
    }
    return out;
}"""])
