"""GANModel's plumbing (trackers, ``built``, ``objective``, ``draw``, ``descend``/``descend_if``), and
what it is for: every ``train_step`` in the package is short and never mentions replicas."""

import ast
import pathlib

import keras
import numpy as np
import pytest
import tensorflow as tf

import gan_papers
from gan_papers.common.gan_model import GANModel

PACKAGE = pathlib.Path(gan_papers.__file__).parent


class Toy(GANModel):
    TRACKERS = ("first", "second")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.generator = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        self.discriminator = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
        self.seed_generator = keras.random.SeedGenerator(0)


def compiled_toy():
    model = Toy()
    model.compile_gan(keras.optimizers.Adam(0.1), keras.optimizers.Adam(0.1))
    return model


def test_trackers_declared_once_log_running_means():
    model = Toy()
    assert [m.name for m in model.metrics] == ["first", "second"]
    model.record(first=1.0, second=3.0)
    logs = model.record(first=3.0, second=5.0)
    assert list(logs) == ["first", "second"]
    assert {k: float(v) for k, v in logs.items()} == {"first": 2.0, "second": 4.0}


def test_built_at_construction_so_weights_save(tmp_path):
    model = compiled_toy()
    assert model.built
    model.save_weights(tmp_path / "toy.weights.h5")


def test_objective_on_one_device_and_under_loss_scaling():
    model = Toy()
    loss = tf.constant(3.0)
    assert float(model.objective(keras.optimizers.SGD(0.1), loss)) == 3.0
    scaled = keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(0.1))
    expected = 3.0 * scaled.initial_scale
    assert float(model.objective(scaled, loss)) == pytest.approx(expected)


def test_draw_on_one_device_is_the_draw():
    model = Toy()
    np.testing.assert_array_equal(model.draw(lambda n: tf.range(n), 5).numpy(), np.arange(5))


@pytest.mark.parametrize("condition", [False, True])
def test_descend_if_moves_nothing_unless_the_condition_holds(condition):
    model = compiled_toy()
    before = [w.numpy() for w in model.discriminator.weights]
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(model.discriminator(tf.ones((4, 1))) ** 2) + 1.0
        objective = model.objective(model.d_optimizer, loss)
    model.descend_if(
        tf.constant(condition), model.d_optimizer, tape, objective, model.discriminator
    )
    moved = any(
        not np.array_equal(a, b.numpy())
        for a, b in zip(before, model.discriminator.weights, strict=True)
    )
    assert moved == condition
    assert int(model.d_optimizer.iterations.numpy()) == int(condition)


def test_descend_takes_one_step():
    model = compiled_toy()
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(model.generator(tf.ones((4, 2))) ** 2) + 1.0
        objective = model.objective(model.g_optimizer, loss)
    model.descend(model.g_optimizer, tape, objective, model.generator)
    assert int(model.g_optimizer.iterations.numpy()) == 1


def train_steps():
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text()
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ClassDef):
                for method in node.body:
                    if isinstance(method, ast.FunctionDef) and method.name == "train_step":
                        name = f"{path.relative_to(PACKAGE)}:{node.name}"
                        yield pytest.param(ast.get_source_segment(text, method), id=name)


@pytest.mark.parametrize("source", list(train_steps()))
def test_train_steps_are_the_papers_maths_only(source):
    """Issue 12: 15-40 lines of a paper's maths; replicas and strategies are GANModel's business."""
    assert len(source.splitlines()) <= 40
    assert "replica" not in source
    assert "strategy" not in source


class Regression(Toy):
    """Toy whose step moves both networks towards 1 by plain gradient descent."""

    def train_step(self, data):
        for optimizer, network, inputs in (
            (self.g_optimizer, self.generator, data),
            (self.d_optimizer, self.discriminator, data[:, :1]),
        ):
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.square(network(inputs) - 1.0))
                objective = self.objective(optimizer, loss)
            self.descend(optimizer, tape, objective, network)
        return self.record(first=loss, second=loss)


def test_fit_ends_with_the_weight_averages_of_an_optimizer_that_keeps_them():
    """Keras' ``use_ema``: fit writes G's moving average (momentum 0.5, the first step's weights to
    start) into G, and leaves D, whose optimizer keeps none, at its last step's weights."""
    model = Regression()
    model.compile_gan(
        keras.optimizers.SGD(0.1, use_ema=True, ema_momentum=0.5), keras.optimizers.SGD(0.1)
    )
    steps = []
    record = keras.callbacks.LambdaCallback(
        on_train_batch_end=lambda batch, logs: steps.append(
            [v.numpy() for v in model.generator.weights + model.discriminator.weights]
        )
    )
    x = np.random.default_rng(0).normal(size=(12, 2)).astype("float32")
    model.fit(x, batch_size=4, epochs=1, shuffle=False, callbacks=[record], verbose=0)
    assert len(steps) == 3
    average = steps[0][:2]
    for raw in steps[1:]:
        average = [0.5 * a + 0.5 * w for a, w in zip(average, raw[:2], strict=True)]
    for got, want in zip(model.generator.weights, average, strict=True):
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-6)
    assert not np.allclose(model.generator.weights[0].numpy(), steps[-1][0])
    for got, want in zip(model.discriminator.weights, steps[-1][2:], strict=True):
        np.testing.assert_array_equal(got.numpy(), want)
