"""Plotting: grid layout, range mapping, zoom crops read back from the figure, curves, bad input."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
import tensorflow as tf

from gan_papers.common.plotting import compare_with_zoom, image_grid, plot_history, save_figure


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _batch(n=5, size=8, channels=3, seed=0):
    rng = np.random.default_rng(seed)
    return rng.uniform(-1, 1, (n, size, size, channels)).astype(np.float32)


def _shown(ax):
    return np.asarray(ax.get_images()[0].get_array())


def test_grid_has_one_axes_and_image_per_picture():
    fig = image_grid(_batch(5), titles=[f"#{i}" for i in range(5)])
    assert len(fig.axes) == 5
    assert all(len(ax.get_images()) == 1 for ax in fig.axes)
    assert [ax.get_title() for ax in fig.axes] == [f"#{i}" for i in range(5)]


def test_grid_shape_follows_nrows():
    fig = image_grid(_batch(6), nrows=3)
    rows = {ax.get_subplotspec().rowspan.start for ax in fig.axes}
    cols = {ax.get_subplotspec().colspan.start for ax in fig.axes}
    assert (len(rows), len(cols)) == (3, 2)


def test_signed_range_is_mapped_to_unit_and_clipped():
    image = np.array([[-1.0, 0.0], [1.0, 3.0]], np.float32)[None, :, :, None]
    fig = image_grid(image)
    # Grey images are shown as HW; [-1, 1] -> [0, 1]: (x + 1) / 2, the 3.0 clipped to 1.
    np.testing.assert_allclose(_shown(fig.axes[0]), [[0.0, 0.5], [1.0, 1.0]])


def test_custom_and_automatic_value_range():
    image = np.array([[0.0, 64.0], [128.0, 255.0]], np.float32)[:, :, None]
    fig = image_grid([image], value_range=(0, 255))
    np.testing.assert_allclose(_shown(fig.axes[0]), image[..., 0] / 255.0)
    fig = image_grid([image * 2 + 10], value_range=None)
    np.testing.assert_allclose(_shown(fig.axes[0]), image[..., 0] / 255.0)


def test_accepts_tensors_and_lists_of_different_sizes():
    fig = image_grid(tf.constant(_batch(2)))
    np.testing.assert_allclose(_shown(fig.axes[1]), (_batch(2)[1] + 1) / 2, rtol=1e-6)
    fig = image_grid([_batch(1, size=4)[0], _batch(1, size=16)[0], tf.constant(_batch(1)[0])])
    assert [_shown(ax).shape[:2] for ax in fig.axes] == [(4, 4), (16, 16), (8, 8)]


def test_grid_into_given_axes_is_one_mosaic():
    fig, ax = plt.subplots()
    batch = _batch(3, size=4)
    assert image_grid(batch, ax=ax, titles=["a", "b", "c"]) is fig
    mosaic = _shown(ax)
    # 2 x 2 tiles of 4 pixels with a 2-pixel gap; tile 2 (row 1, column 0) starts at y = 6.
    assert mosaic.shape == (10, 10, 3)
    np.testing.assert_allclose(mosaic[6:10, 0:4], (batch[2] + 1) / 2, rtol=1e-6)
    assert [t.get_text() for t in ax.texts] == ["a", "b", "c"]


def test_zoom_crop_equals_source_region_in_each_image():
    rng = np.random.default_rng(1)
    hr = rng.uniform(-1, 1, (96, 96, 3)).astype(np.float32)
    lr = rng.uniform(-1, 1, (24, 24, 3)).astype(np.float32)
    fig = compare_with_zoom({"LR": lr, "HR 24.1 dB / 0.71": hr[None]}, box=(40, 20, 16, 12))
    assert len(fig.axes) == 4
    full_lr, full_hr, zoom_lr, zoom_hr = fig.axes
    assert full_hr.get_title() == "HR 24.1 dB / 0.71"
    np.testing.assert_allclose(_shown(zoom_hr), (hr[40:56, 20:32] + 1) / 2, rtol=1e-6)
    # The HR box scaled by 24 / 96 = 1/4 for the LR image.
    np.testing.assert_allclose(_shown(zoom_lr), (lr[10:14, 5:8] + 1) / 2, rtol=1e-6)
    assert zoom_hr.get_images()[0].get_interpolation() == "nearest"
    # The box drawn on the full image frames the same pixels (edges at pixel centre +- 0.5).
    rect = full_lr.patches[0]
    assert (rect.get_x(), rect.get_y(), rect.get_width(), rect.get_height()) == (4.5, 9.5, 3, 4)


def test_zoom_default_box_is_centred():
    image = _batch(1, size=32)[0]
    fig = compare_with_zoom({"x": image})
    np.testing.assert_allclose(_shown(fig.axes[1]), (image[12:20, 12:20] + 1) / 2, rtol=1e-6)


def test_plot_history_from_dict_and_keras_history():
    logs = {"loss": [3.0, 2.0, 1.5], "val_loss": [3.5, 2.5, 2.0], "d_loss": [0.7, 0.6, 0.6]}
    fig = plot_history(logs, keys=["loss", "val_loss"])
    lines = fig.axes[0].get_lines()
    assert [line.get_label() for line in lines] == ["loss", "val_loss"]
    np.testing.assert_allclose(lines[0].get_xdata(), [1, 2, 3])
    np.testing.assert_allclose(lines[1].get_ydata(), logs["val_loss"])
    assert lines[0].get_color() == lines[1].get_color() and lines[1].get_linestyle() == "--"

    class FakeHistory:  # keras.callbacks.History keeps its logs in `.history`
        history = logs

    assert len(plot_history(FakeHistory()).axes[0].get_lines()) == 3


def test_save_figure_creates_parent_folders(tmp_path):
    path = save_figure(image_grid(_batch(2)), tmp_path / "a" / "b" / "grid.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    "call, argument",
    [
        (lambda: image_grid(_batch(1)[0]), "images"),  # one HWC image without a batch axis
        (lambda: image_grid(np.zeros((2, 8), np.float32)), "images"),
        (lambda: image_grid([]), "images"),
        (lambda: image_grid(_batch(2, channels=2)), r"images\[0\]"),
        (lambda: image_grid(np.zeros((1, 4, 4, 3), np.uint8)), r"images\[0\]"),
        (lambda: image_grid(_batch(1) * np.nan), r"images\[0\]"),
        (lambda: image_grid(_batch(2), value_range=(1, -1)), "value_range"),
        (lambda: image_grid(_batch(2), value_range=(0,)), "value_range"),
        (lambda: image_grid(_batch(2), nrows=0), "nrows"),
        (lambda: image_grid(_batch(2), titles=["one"]), "titles"),
        (lambda: compare_with_zoom([_batch(1)[0]]), "images"),
        (lambda: compare_with_zoom({"a": _batch(2)}), "images"),
        (lambda: compare_with_zoom({"a": _batch(1)[0]}, box=(4, 4, 8, 8)), "box"),
        (lambda: compare_with_zoom({"a": _batch(1)[0]}, box=(0, 0, 2)), "box"),
        (lambda: compare_with_zoom({"a": _batch(1)[0]}, value_range=(0, 0)), "value_range"),
        (lambda: plot_history({}), "history"),
        (lambda: plot_history({"loss": [1.0]}, keys=["acc"]), "keys"),
        (lambda: save_figure("not a figure", "x.png"), "fig"),
    ],
)
def test_bad_input_raises_naming_the_argument(call, argument):
    with pytest.raises(ValueError, match=f"`{argument}"):
        call()
