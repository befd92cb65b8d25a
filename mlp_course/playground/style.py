"""How the playground's pictures and controls are sized: :data:`SIZES` of the canvases by mode, and the
page's CSS (:data:`CSS`), the projection mode's larger text and its grid layout.

Plain data, no imports: :mod:`.view` sends ``SIZES`` to the browser and ships ``CSS`` with its
JavaScript; :mod:`.controls` lays the widgets out in the grid the CSS describes.
"""

FIT_MINIMUM = {"boundary": 280, "side": 240, "loss_height": 200, "margin": 12}
"""With ``fit``: the smallest boundary, the narrowest side column kept beside it (narrower: the side
column goes below), the lowest loss plot, and the gap left under the pictures (CSS pixels)."""

SIZES = {
    "normal": {"boundary": 330, "side": 330, "loss_height": 190, "tile": 60, "network_height": 330, "font": 12,
               "fit": False},
    "projection": {"boundary": 720, "side": 540, "loss_height": 270, "tile": 120, "network_height": 640,
                   "font": 22, "fit": True, "minimum": FIT_MINIMUM},
}
"""CSS pixels of each picture and of their text, by mode. The projection mode is for a screen seen
from the back of a classroom: text 22 px at every screen size, and with ``fit`` the pictures are at
most these sizes, scaled down (redrawn, never stretched) to the window: the boundary as tall as the
window below its top, the network and the loss beside it when there is room, below it otherwise
(:data:`FIT_MINIMUM`). At 1920 × 1080 that is a 720 px boundary; at 1280 × 720 the controls and the
boundary still fit on one screen, without scrolling."""

CSS = """
.mlp-view { display: flex; flex-flow: row wrap; gap: 14px; align-items: flex-start; }
.mlp-view .mlp-side { display: flex; flex-direction: column; gap: 10px; }
.mlp-view canvas { display: block; flex: none; }
.mlp-playground.mlp-projection {
  --jp-widgets-font-size: 22px; --jp-widgets-inline-height: 32px; --jp-widgets-slider-handle-size: 24px;
  --jp-widgets-slider-track-thickness: 6px; --jp-widgets-inline-margin: 2px; font-size: 22px;
}
.mlp-projection .widget-label, .mlp-projection .widget-readout, .mlp-projection select,
.mlp-projection button, .mlp-projection input, .mlp-projection .widget-html-content,
.mlp-projection .mlp-status { font-size: 22px; line-height: 1.3; }
.mlp-projection .widget-button { height: 38px; min-width: 190px; }
.mlp-projection .widget-readout { min-width: 70px; }
.mlp-hint .widget-html-content { font-size: 26px; font-weight: 600; line-height: 1.3; white-space: normal; }
/* Projection: the controls in a column on the left, as tall as the window; on the right the hint,
   the status (two lines kept for it, so that a longer status never moves the pictures) and the
   pictures, which the view sizes to the window (SIZES, "fit"). A window narrower than 900 px stacks. */
.mlp-playground.mlp-projection.widget-gridbox {
  display: grid !important; grid-template-columns: auto minmax(0, 1fr) !important;
  grid-template-rows: auto auto 1fr !important; column-gap: 16px !important; row-gap: 4px !important;
  grid-template-areas: "controls hint" "controls status" "controls pictures" !important;
}
.mlp-projection > .mlp-controls { grid-area: controls; }
.mlp-projection > .mlp-hint { grid-area: hint; margin: 0; }
.mlp-projection > .mlp-status { grid-area: status; height: calc(2 * 1.3 * 22px); overflow-y: auto; margin: 0; }
.mlp-projection > .mlp-status .widget-html-content { height: auto; white-space: normal; }
.mlp-projection > .mlp-pictures { grid-area: pictures; min-width: 0; width: 100%; margin: 0; }
@media (max-width: 900px) {
  .mlp-playground.mlp-projection.widget-gridbox { grid-template-columns: minmax(0, 1fr) !important;
    grid-template-rows: auto !important; grid-template-areas: "hint" "status" "controls" "pictures" !important; }
}
"""
