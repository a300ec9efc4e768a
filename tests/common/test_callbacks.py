"""ImageGridCallback: grids written during fit (jit on), `every` respected, live display, bad args."""

import keras
import matplotlib.pyplot as plt
import numpy as np
import pytest

from gan_papers.common import callbacks as callbacks_module
from gan_papers.common.callbacks import ImageGridCallback

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
Z = np.random.default_rng(0).normal(size=(4, 3)).astype(np.float32)


def _tiny_generator():
    return keras.Sequential(
        [
            keras.Input((3,)),
            keras.layers.Dense(4 * 4 * 3, activation="tanh"),
            keras.layers.Reshape((4, 4, 3)),
        ]
    )


def _fit(callback, epochs):
    model = _tiny_generator()
    model.compile(optimizer="adam", loss="mse", jit_compile=True)
    targets = np.zeros((4, 4, 4, 3), np.float32)
    model.fit(Z, targets, batch_size=4, epochs=epochs, verbose=0, callbacks=[callback])
    return model


def _assert_png(path):
    assert path.read_bytes()[:8] == PNG_SIGNATURE
    pixels = plt.imread(path)
    assert pixels.ndim == 3 and pixels.shape[0] > 10 and pixels.shape[1] > 10


class _RecordingGenerator:
    """Stands in for a generator: records how it was called, returns a fixed batch."""

    def __init__(self):
        self.calls = []

    def __call__(self, inputs, training=None):
        self.calls.append((inputs, training))
        return np.zeros((2, 4, 4, 3), np.float32)


class _GanLike:
    def __init__(self):
        self.generator = _RecordingGenerator()


def test_writes_one_png_per_epoch_during_jit_fit(tmp_path):
    callback = ImageGridCallback(sample_fn=lambda model: model(Z), every=1, out_dir=tmp_path)
    _fit(callback, epochs=3)
    expected = [tmp_path / f"epoch_{n:03d}.png" for n in (1, 2, 3)]
    assert callback.paths == expected
    assert sorted(tmp_path.iterdir()) == expected  # the last epoch is not drawn twice
    for path in expected:
        _assert_png(path)


def test_every_is_respected_and_train_end_draws_the_last_epoch(tmp_path):
    # With fixed `inputs` and no `model.generator`, the fitted model is the generator.
    callback = ImageGridCallback(inputs=Z, every=2, out_dir=tmp_path / "grids")
    _fit(callback, epochs=5)
    assert callback.epochs_drawn == [2, 4, 5]
    assert [p.name for p in sorted((tmp_path / "grids").iterdir())] == [
        "epoch_002.png",
        "epoch_004.png",
        "epoch_005.png",
    ]


def test_inputs_go_to_model_generator_in_inference_mode():
    callback = ImageGridCallback(inputs=Z)
    model = _GanLike()
    callback.set_model(model)
    callback.on_train_begin()
    callback.on_epoch_end(0)
    assert len(model.generator.calls) == 1
    inputs, training = model.generator.calls[0]
    assert inputs is Z and training is False
    assert callback.paths == [] and callback.epochs_drawn == [1]  # no out_dir: nothing saved


def test_explicit_generator_wins_over_model_generator():
    generator = _RecordingGenerator()
    model = _GanLike()
    callback = ImageGridCallback(inputs=Z, generator=generator)
    callback.set_model(model)
    callback.on_epoch_end(0)
    assert len(generator.calls) == 1 and model.generator.calls == []


def test_in_jupyter_one_display_is_replaced_in_place(monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(callbacks_module, "_in_notebook", lambda: True)
    monkeypatch.setattr(
        IPython.display, "display", lambda obj, **kwargs: shown.append((obj, kwargs))
    )
    callback = ImageGridCallback(inputs=Z)
    callback.set_model(_GanLike())
    callback.on_train_begin()
    for epoch in range(3):
        callback.on_epoch_end(epoch)
    ids = {kwargs["display_id"] for _, kwargs in shown}
    assert len(shown) == 3 and len(ids) == 1
    assert [kwargs.get("update", False) for _, kwargs in shown] == [False, True, True]
    assert all(obj.data[:8] == PNG_SIGNATURE for obj, _ in shown)
    assert plt.get_fignums() == []  # grids are closed once shown


def test_outside_jupyter_nothing_is_displayed(monkeypatch):
    import IPython.display

    monkeypatch.setattr(IPython.display, "display", lambda *a, **k: pytest.fail("displayed"))
    callback = ImageGridCallback(inputs=Z)
    callback.set_model(_GanLike())
    callback.on_epoch_end(0)
    assert callback.epochs_drawn == [1]


@pytest.mark.parametrize(
    "kwargs, argument",
    [
        ({}, "sample_fn"),
        ({"sample_fn": lambda m: Z, "inputs": Z}, "sample_fn"),
        ({"sample_fn": "not callable"}, "sample_fn"),
        ({"inputs": Z, "generator": 3}, "generator"),
        ({"inputs": Z, "every": 0}, "every"),
        ({"inputs": Z, "every": 1.5}, "every"),
        ({"inputs": Z, "value_range": (1, 1)}, "value_range"),
        ({"inputs": Z, "nrows": 0}, "nrows"),
    ],
)
def test_bad_arguments_raise_naming_the_argument(kwargs, argument):
    with pytest.raises(ValueError, match=f"`{argument}`"):
        ImageGridCallback(**kwargs)
