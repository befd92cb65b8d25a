"""The frame player: a Play + slider + Image that shows its first frame at once, and falls back to a
PNG and one line of text where widgets cannot show."""

import base64
import io

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pytest
from IPython.core.formatters import DisplayFormatter
from PIL import Image

import mlp_course as mc

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _png(shade: int, size=(6, 4)) -> bytes:
    """A small flat PNG of one grey ``shade``: each frame distinct."""
    buffer = io.BytesIO()
    Image.new("L", size, shade).save(buffer, format="png")
    return buffer.getvalue()


def _figure(value: float):
    fig, ax = plt.subplots(figsize=(2, 1.5), dpi=40)
    ax.plot([0, 1], [0, value])
    return fig


@pytest.fixture
def frames():
    return [_png(shade) for shade in (0, 90, 180, 250)]


def test_the_first_frame_is_on_show_before_anything_is_clicked(frames):
    player = mc.plotting.frame_player(frames, [0, 25, 50, 75])
    assert player.image.value == frames[0] and player.image.format == "png"
    assert player.index == 0 and player.slider.label == "0"
    assert (player.play.min, player.play.max, player.play.value, player.play.interval) == (0, 3, 0, 500)
    assert player.widget.children[1] is player.image
    assert list(player.widget.children[0].children) == [player.play, player.slider]


def test_start_chooses_the_first_frame_and_the_stored_picture(frames):
    player = mc.plotting.frame_player(frames, [0, 25, 50, 75], start=2)
    assert player.image.value == frames[2] and player.play.value == 2 and player.slider.label == "50"
    data, _ = DisplayFormatter().format(player)
    assert base64.b64decode(data["image/png"]) == frames[2]


def test_what_a_notebook_stores_widget_picture_and_one_line(frames):
    labels = [0, 25, 50, 75]
    player = mc.plotting.frame_player(frames, labels, description="step")
    data, _ = DisplayFormatter().format(player)  # what IPython puts in the notebook for this cell
    assert set(data) == {WIDGET_MIME, "image/png", "text/plain"}
    assert data[WIDGET_MIME]["model_id"] == player.widget.model_id
    assert base64.b64decode(data["image/png"]) == frames[0]
    expected = f"Animation: {len(frames)} frames, step {labels[0]} … {labels[-1]}; run the notebook to play it"
    assert data["text/plain"] == expected
    again = mc.plotting.frame_player(frames, labels, description="step")
    assert DisplayFormatter().format(again)[0]["text/plain"] == expected  # deterministic: no model ids, no addresses
    player.index = 3
    assert base64.b64decode(DisplayFormatter().format(player)[0]["image/png"]) == frames[3]


def test_one_frame_reads_as_one_frame():
    player = mc.plotting.frame_player([_png(7)], ["only"], description="epoch")
    assert player.summary() == "Animation: 1 frame, epoch only; run the notebook to play it"
    assert player.play.max == 0 and len(player) == 1


def test_moving_the_slider_changes_the_picture(frames):
    player = mc.plotting.frame_player(frames, ["a", "b", "c", "d"], interval=120)
    for index in (2, 1, 3, 0):
        player.slider.index = index  # what the browser syncs back when the slider or ▶ moves
        assert player.image.value == frames[index]
    player.index = 2
    assert player.slider.index == 2 and player.image.value == frames[2]
    assert player.play.interval == 120


def test_play_moves_the_slider_in_the_browser(frames):
    player = mc.plotting.frame_player(frames)
    assert isinstance(player.link, widgets.Widget) and player.link._model_name == "LinkModel"  # jslink: in the browser
    assert player.link.source == (player.play, "value") and player.link.target == (player.slider, "index")
    assert [label for label, _ in player.slider.options] == ["0", "1", "2", "3"]  # default labels: positions


def test_figures_are_drawn_once_as_palette_pngs_and_closed(frames):
    figures = [_figure(v) for v in (0.0, 1.0)]
    expected = [mc.plotting.palette_png(fig) for fig in figures]
    player = mc.plotting.frame_player([figures[0], frames[1], figures[1]], [0, 1, 2])
    assert player.frames == (expected[0], frames[1], expected[1])
    assert Image.open(io.BytesIO(player.frames[0])).mode == "P"  # 256 colours
    assert not any(plt.fignum_exists(fig.number) for fig in figures)  # the notebook will not show them again


@pytest.mark.parametrize("bad, labels, error, match", [
    ([], [], ValueError, "frames must hold at least one"),
    (b"\x89PNG\r\n\x1a\n", None, TypeError, "frames must be a list"),
    ("frame.png", None, TypeError, "frames must be a list"),
    ({1: b""}, None, TypeError, "frames must be a list"),
    ("two", ["a", "b"], TypeError, "frames must be a list"),
])
def test_frames_must_be_a_nonempty_sequence(bad, labels, error, match):
    with pytest.raises(error, match=match):
        mc.plotting.frame_player(bad, labels)


def test_each_frame_is_checked_and_named(frames):
    with pytest.raises(TypeError, match=r"frames\[1\] must be PNG bytes or a matplotlib Figure, got str"):
        mc.plotting.frame_player([frames[0], "frame.png"], [0, 1])
    with pytest.raises(ValueError, match=r"frames\[2\] must be a PNG file"):
        mc.plotting.frame_player([frames[0], frames[1], b"GIF89a..."], [0, 1, 2])
    fig = _figure(1.0)
    with pytest.raises(TypeError, match=r"frames\[1\]"):
        mc.plotting.frame_player([fig, 3], [0, 1])
    assert plt.fignum_exists(fig.number)  # nothing drawn or closed before every frame was checked


@pytest.mark.parametrize("kwargs, error, match", [
    ({"labels": [0, 1, 2]}, ValueError, "labels must have one label per frame: 4 frames, got 3"),
    ({"labels": "abcd"}, TypeError, "labels must be a sequence"),
    ({"labels": 4}, TypeError, "labels must be a sequence"),
    ({"description": 5}, TypeError, "description must be a str"),
    ({"interval": 0}, ValueError, "interval"),
    ({"interval": 0.5}, TypeError, "interval"),
    ({"start": 4}, ValueError, "start must be an integer from 0 to 3"),
    ({"start": -1}, ValueError, "start"),
    ({"start": True}, TypeError, "start"),
])
def test_options_are_checked_and_named(frames, kwargs, error, match):
    with pytest.raises(error, match=match):
        mc.plotting.frame_player(frames, **kwargs)


def test_index_is_checked(frames):
    player = mc.plotting.frame_player(frames)
    with pytest.raises(ValueError, match="index must be an integer from 0 to 3"):
        player.index = 4
    assert player.index == 0 and player.image.value == frames[0]
