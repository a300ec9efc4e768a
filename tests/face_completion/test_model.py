"""FaceCompletionGAN (Li et al. 2017, Section 3.4 and 4.1): the three stages' objectives, the train
step against a hand-written one, the composite, the loss-scale convention, mixed precision."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from gan_papers.face_completion import (
    composite,
    crop_patches,
    noise_filled,
    patch_origin,
)
from tests.face_completion.helpers import (
    LAMBDAS,
    PATCH,
    PIXELS,
    SIZE,
    changed,
    faces,
    hole_masks,
    tiny_gan,
)
from tests.gan_case import assert_mixed_precision_step, assert_xla_step, weights_of

OPTIMIZERS = ("g_optimizer", "local_d_optimizer", "global_d_optimizer")
NETWORKS = ("generator", "local_discriminator", "global_discriminator", "parser")

TERMS = ("local_adversarial_loss", "global_adversarial_loss", "parsing_loss")
WEIGHTS = (LAMBDAS["lambda_local"], LAMBDAS["lambda_global"], LAMBDAS["lambda_parsing"])
ACTIVE = {1: (), 2: ("local_adversarial_loss",), 3: TERMS}


def _iterations(model):
    return [int(o.iterations) for o in (model.local_d_optimizer, model.global_d_optimizer)]


def test_each_stage_has_exactly_its_terms_under_xla():
    model = tiny_gan(learning_rates=(1e-3, 0.1, 0.1), compile_kwargs={"jit_compile": True})
    traces = []
    step = model.train_step
    model.train_step = lambda data: (traces.append(1), step(data))[1]  # runs only when traced
    x = faces(4)  # faces alone: the step cuts its random holes itself
    parser_before = weights_of(model.parser)
    expected_d_iterations = {1: [0, 0], 2: [1, 0], 3: [2, 1]}
    for stage in (1, 2, 3):
        model.set_stage(stage)
        g, local, glob = (
            weights_of(n)
            for n in (model.generator, model.local_discriminator, model.global_discriminator)
        )
        logs = {k: v[-1] for k, v in model.fit(x, batch_size=4, verbose=0).history.items()}
        assert logs["stage"] == stage
        assert all(np.isfinite(v) for v in logs.values())
        for term in TERMS:
            assert (logs[term] != 0.0) == (term in ACTIVE[stage]), (stage, term)
        expected = logs["reconstruction_loss"] + sum(
            w * logs[t] for w, t in zip(WEIGHTS, TERMS, strict=True)
        )
        assert logs["reconstruction_loss"] > 0
        assert logs["loss"] == pytest.approx(expected, rel=1e-6)
        # A discriminator trains only from the stage that uses it; its optimiser does not step
        # (not even by a zero gradient) before.
        assert changed(g, weights_of(model.generator))
        assert changed(local, weights_of(model.local_discriminator)) == (stage >= 2)
        assert changed(glob, weights_of(model.global_discriminator)) == (stage >= 3)
        assert (logs["local_d_loss"] != 0) == (stage >= 2)
        assert (logs["global_d_loss"] != 0) == (stage >= 3)
        assert _iterations(model) == expected_d_iterations[stage]
        assert int(model.g_optimizer.iterations) == stage
    # The stage is a variable read by tf.cond: switching it did not retrace the step.
    assert len(traces) == 1
    # The frozen parser never changes (batch-norm statistics included) and has nothing to train.
    assert not changed(parser_before, weights_of(model.parser))
    assert model.parser.trainable_weights == []
    parser_ids = {id(w) for w in model.parser.weights}
    assert not parser_ids & {id(w) for w in model.trainable_weights}


def _hand_step(networks, x, masks, noise, lr, global_gradient="everywhere"):
    """Stage 3 by hand: one SGD step of G on eq. 3, then of each D on the same completions.

    ``"everywhere"`` as ``gradstack.m`` does it: the global term's gradient with respect to the
    composite is pushed back through G from every pixel of G's output (a vector-Jacobian product),
    not through the composite."""
    generator, local_d, global_d, parser = networks
    rows, cols = patch_origin(masks, PATCH)
    g_vars = generator.trainable_variables

    def minus_log_sigmoid(logits):
        return tf.reduce_mean(-tf.math.log_sigmoid(logits))

    with tf.GradientTape(persistent=True) as tape:
        output = generator(noise_filled(x, masks, noise), training=True)
        completed = composite(x, masks, output)
        tape.watch(completed)
        fake_patches = crop_patches(completed, rows, cols, PATCH)
        rest = (
            tf.reduce_mean(tf.reduce_sum((output - x) ** 2, axis=(1, 2, 3)))
            + WEIGHTS[0] * minus_log_sigmoid(local_d(fake_patches))
            + WEIGHTS[2]
            * tf.reduce_mean(
                tf.reduce_sum(
                    tf.nn.sparse_softmax_cross_entropy_with_logits(
                        tf.argmax(parser(x, training=False), axis=-1), parser(completed)
                    ),
                    axis=(1, 2),
                )
            )
        )
        global_term = WEIGHTS[1] * minus_log_sigmoid(global_d(completed))
    if global_gradient == "everywhere":
        d_composite = tape.gradient(global_term, completed)
        global_grads = tape.gradient(output, g_vars, output_gradients=d_composite)
    else:
        global_grads = tape.gradient(global_term, g_vars)
    for v, g, h in zip(g_vars, tape.gradient(rest, g_vars), global_grads, strict=True):
        v.assign_sub(lr[0] * (g + h))
    real_patches = crop_patches(x, rows, cols, PATCH)
    for d, real, fake, rate in (
        (local_d, real_patches, fake_patches, lr[1]),
        (global_d, x, completed, lr[2]),
    ):
        with tf.GradientTape() as d_tape:
            d_loss = minus_log_sigmoid(d(real)) + minus_log_sigmoid(-d(fake))
        for v, g in zip(
            d.trainable_variables, d_tape.gradient(d_loss, d.trainable_variables), strict=True
        ):
            v.assign_sub(rate * g)
    return float(rest + global_term)


@pytest.mark.parametrize("global_gradient", ["everywhere", "hole"])
def test_stage_3_step_equals_a_hand_written_step(global_gradient):
    lr = (1e-3, 0.1, 0.2)
    model = tiny_gan(
        stage=3,
        learning_rates=lr,
        global_gradient=global_gradient,
        compile_kwargs={"run_eagerly": True},
    )
    reference = tiny_gan(stage=3)
    reference.set_weights(model.get_weights())
    x = faces(4)
    masks = hole_masks([(0, 0), (3, 5), (12, 12), (6, 1)])
    # The step's noise: the model's seed stream, drawn from a copy of its state.
    stream = keras.random.SeedGenerator(0)
    stream.state.assign(model.seed_generator.state.value)
    noise = keras.random.uniform((4, SIZE, SIZE, 3), -1.0, 1.0, seed=stream)
    networks = (
        reference.generator,
        reference.local_discriminator,
        reference.global_discriminator,
        reference.parser,
    )
    expected_loss = _hand_step(networks, x, masks, noise, lr, global_gradient)
    logs = model.fit(x, masks, batch_size=4, verbose=0, shuffle=False).history
    assert logs["loss"][-1] == pytest.approx(expected_loss, rel=1e-5)
    for a, b in zip(weights_of(model), weights_of(reference), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)


def test_completion_keeps_the_known_pixels_exactly():
    model = tiny_gan()
    x = faces(3)
    masks = hole_masks([(0, 0), (6, 9), (12, 3)])
    known = np.broadcast_to(masks == 1, x.shape)
    state = model.seed_generator.state.numpy()
    completed = np.asarray(model([x, masks]))
    np.testing.assert_array_equal(completed[known], x[known])
    assert np.all(completed[~known] != x[~known])  # the hole is the generator's
    # What was in the hole does not leak into the completion: noise replaces it.
    other = x.copy()
    other[~known] = -x[~known]
    model.seed_generator.state.assign(state)
    np.testing.assert_array_equal(np.asarray(model([other, masks])), completed)
    # complete(): the same with NumPy in and out, clipped to the image range (G is linear).
    model.seed_generator.state.assign(state)
    by_numpy = model.complete(x, masks)
    assert isinstance(by_numpy, np.ndarray)
    np.testing.assert_array_equal(by_numpy, np.clip(completed, -1, 1))


def test_noise_fill_and_composite_by_hand():
    x = faces(1)
    masks = hole_masks([(4, 4)])
    noise = np.full_like(x, 0.25)
    output = np.full_like(x, -0.5)
    hole = np.broadcast_to(masks == 0, x.shape)
    np.testing.assert_array_equal(
        np.asarray(noise_filled(x, masks, noise)), np.where(hole, 0.25, x)
    )
    np.testing.assert_array_equal(np.asarray(composite(x, masks, output)), np.where(hole, -0.5, x))


def test_rescaled_lambdas_by_hand():
    """A per-element mean L_r is the sum over D_r = H*W*3, a per-pixel mean L_p the sum over
    D_p = H*W: dividing eq. 3 by D_r gives lambda_1,2 / D_r and lambda_3 * D_p / D_r."""
    l1, l2, l3 = WEIGHTS
    d_r, d_p = PIXELS, SIZE * SIZE
    cases = {
        ("sum", "sum"): (l1, l2, l3),
        ("mean", "sum"): (l1 / d_r, l2 / d_r, l3 / d_r),
        ("sum", "mean"): (l1, l2, l3 * d_p),
        ("mean", "mean"): (l1 / d_r, l2 / d_r, l3 / 3),
    }
    for (r, p), expected in cases.items():
        model = tiny_gan(reconstruction_reduction=r, parsing_reduction=p)
        assert model._weights() == pytest.approx(expected, rel=1e-12), (r, p)
        assert model.lambdas == WEIGHTS  # what the user gave is kept, in the authors' convention


@pytest.mark.parametrize("reductions", [("mean", "sum"), ("sum", "mean"), ("mean", "mean")])
def test_mean_reductions_with_the_same_lambdas_give_the_same_update(reductions):
    # A "mean" L_r makes the whole objective the sum objective / (H*W*3) (the model rescales the
    # lambdas), so G's learning rate times H*W*3 gives the same step; a "mean" L_p alone changes
    # nothing but the logged L_p.
    reconstruction_reduction, parsing_reduction = reductions
    scale = PIXELS if reconstruction_reduction == "mean" else 1
    by_sum = tiny_gan(
        stage=3, learning_rates=(1e-3, 0.1, 0.1), compile_kwargs={"run_eagerly": True}
    )
    by_mean = tiny_gan(
        stage=3,
        learning_rates=(1e-3 * scale, 0.1, 0.1),
        reconstruction_reduction=reconstruction_reduction,
        parsing_reduction=parsing_reduction,
        compile_kwargs={"run_eagerly": True},
    )
    initial = by_sum.get_weights()
    by_mean.set_weights(initial)  # the seed generator's state too: the same holes and noise
    x = faces(4)
    sum_logs = by_sum.fit(x, batch_size=4, verbose=0).history
    mean_logs = by_mean.fit(x, batch_size=4, verbose=0).history
    assert mean_logs["loss"][-1] * scale == pytest.approx(sum_logs["loss"][-1], rel=1e-5)
    assert mean_logs["reconstruction_loss"][-1] * scale == pytest.approx(
        sum_logs["reconstruction_loss"][-1], rel=1e-5
    )
    parsing_scale = SIZE * SIZE if parsing_reduction == "mean" else 1
    assert mean_logs["parsing_loss"][-1] * parsing_scale == pytest.approx(
        sum_logs["parsing_loss"][-1], rel=1e-5
    )
    for name in ("local_adversarial_loss", "global_adversarial_loss", "local_d_loss"):
        assert mean_logs[name][-1] == pytest.approx(sum_logs[name][-1], rel=1e-5)
    sum_updates = [a - b for a, b in zip(weights_of(by_sum), initial, strict=True)]
    mean_updates = [a - b for a, b in zip(weights_of(by_mean), initial, strict=True)]
    largest = max(float(np.abs(u).max()) for u in sum_updates)
    assert largest > 0
    for s, m in zip(sum_updates, mean_updates, strict=True):
        np.testing.assert_allclose(m, s, atol=1e-4 * largest)


def _separate_step(x, masks, initial):
    model = tiny_gan(
        stage=3,
        learning_rates=(1e-3, 0.1, 0.1),
        discriminator_batch="separate",
        compile_kwargs={"run_eagerly": True},
    )
    model.set_weights(initial)
    history = model.fit(x, masks, batch_size=4, verbose=0, shuffle=False).history
    return model, {k: v[-1] for k, v in history.items()}


def test_separate_discriminator_batch_uses_other_faces_for_the_discriminators():
    """demo_GFC_training.m: D steps on faces of its own. Faces 0, 2 train the Ds, faces 1, 3 G."""
    initial = tiny_gan(stage=3, discriminator_batch="separate").get_weights()
    x = faces(4)
    masks = hole_masks([(0, 0), (3, 5), (12, 12), (6, 1)])
    other_g_faces, other_d_faces = x.copy(), x.copy()
    other_g_faces[1::2] = faces(2, seed=7)
    other_d_faces[0::2] = faces(2, seed=8)
    model, logs = _separate_step(x, masks, initial)
    g_changed, g_logs = _separate_step(other_g_faces, masks, initial)
    d_changed, d_logs = _separate_step(other_d_faces, masks, initial)
    # The discriminators never saw G's faces: new faces there leave their step as it was...
    for name in ("local_discriminator", "global_discriminator"):
        after = zip(
            weights_of(getattr(model, name)), weights_of(getattr(g_changed, name)), strict=True
        )
        for a, b in after:
            np.testing.assert_array_equal(a, b)
    assert g_logs["local_d_loss"] == logs["local_d_loss"]
    assert g_logs["reconstruction_loss"] != logs["reconstruction_loss"]
    # ...and G's L_r (computed before its update, so independent of the Ds) never saw D's faces.
    assert d_logs["reconstruction_loss"] == logs["reconstruction_loss"]
    assert d_logs["local_d_loss"] != logs["local_d_loss"]
    assert changed(weights_of(model.local_discriminator), weights_of(d_changed.local_discriminator))
    # L_r is a batch mean over G's 2 faces: by hand from G's output on faces 1 and 3.
    reference = tiny_gan(stage=3)
    reference.set_weights(initial)
    stream = keras.random.SeedGenerator(0)
    stream.state.assign(reference.seed_generator.state.value)
    noise = keras.random.uniform((4, SIZE, SIZE, 3), -1.0, 1.0, seed=stream)
    output = reference.generator(noise_filled(x, masks, noise))[1::2]
    expected = float(tf.reduce_mean(tf.reduce_sum((output - x[1::2]) ** 2, axis=(1, 2, 3))))
    assert logs["reconstruction_loss"] == pytest.approx(expected, rel=1e-5)


def test_separate_discriminator_batch_under_xla_and_mixed_precision():
    x = faces(4)
    model = tiny_gan(stage=3, discriminator_batch="separate", compile_kwargs={"jit_compile": True})
    logs = assert_xla_step(model, x, batch_size=4)
    assert all(logs[t] != 0 for t in TERMS)
    assert_mixed_precision_step(
        lambda: tiny_gan(stage=3, discriminator_batch="separate"),
        x,
        optimizers=OPTIMIZERS,
        batch_size=4,
    )
    with pytest.raises(ValueError, match="at least 2 faces.*received 1"):
        tiny_gan(discriminator_batch="separate", compile_kwargs={"run_eagerly": True}).fit(
            faces(1), batch_size=1, verbose=0
        )


def test_fit_train_on_batch_and_evaluate_take_faces_or_faces_and_masks():
    """keras.utils.unpack_x_y_sample_weight: faces as x, masks as y (or x=[faces, masks])."""
    model = tiny_gan(stage=3, learning_rates=(1e-3, 0.1, 0.1))
    x = faces(4)
    masks = hole_masks([(0, 0), (3, 5), (12, 12), (6, 1)])
    names = {"loss", "reconstruction_loss", "local_d_loss", "global_d_loss", "stage", *TERMS}
    assert set(model.fit(x, masks, batch_size=4, verbose=0).history) == names
    logs = model.train_on_batch(x, masks, return_dict=True)
    assert set(logs) == names and all(np.isfinite(v) for v in logs.values())
    assert np.isfinite(model.train_on_batch(x)[0])
    model.train_on_batch([x, masks])
    # evaluate: the same losses and no update of any network or optimiser.
    before = weights_of(model)
    iterations = [int(o.iterations) for o in (model.g_optimizer, *_d_optimizers(model))]
    results = model.evaluate(x, masks, batch_size=4, verbose=0, return_dict=True)
    assert set(results) == names and results["stage"] == 3
    assert all(results[t] != 0 for t in TERMS) and results["global_d_loss"] > 0
    assert not changed(before, weights_of(model))
    assert [int(o.iterations) for o in (model.g_optimizer, *_d_optimizers(model))] == iterations
    # With the holes given, evaluate is a function of the weights: the same twice.
    again = model.evaluate(x, masks, batch_size=4, verbose=0, return_dict=True)
    assert again["reconstruction_loss"] == pytest.approx(results["reconstruction_loss"], rel=1e-6)
    assert np.isfinite(model.evaluate(x, batch_size=4, verbose=0)[0])
    with pytest.raises(ValueError, match="no sample weights"):
        model.train_on_batch(x, masks, sample_weight=np.ones(4, "float32"))


def _d_optimizers(model):
    return (model.local_d_optimizer, model.global_d_optimizer)


def test_default_optimizers_follow_the_authors_code():
    model = tiny_gan()
    assert float(model.g_optimizer.learning_rate) == pytest.approx(1e-4)
    assert model.g_optimizer.beta_1 == 0.9
    for optimizer in (model.local_d_optimizer, model.global_d_optimizer):
        assert isinstance(optimizer, keras.optimizers.Adam)
        assert float(optimizer.learning_rate) == pytest.approx(2e-4)
        assert optimizer.beta_1 == 0.5
    assert model.local_d_optimizer is not model.global_d_optimizer
    assert model.optimizer is None


def test_mixed_precision_step():
    model, logs = assert_mixed_precision_step(
        lambda: tiny_gan(stage=3, compile_kwargs={"run_eagerly": True}),
        faces(4),
        optimizers=OPTIMIZERS,
        float16_layers={"generator": "enc1_conv1", "parser": "enc1a_conv"},
        outputs=NETWORKS,
        batch_size=4,
    )
    assert all(logs[t] != 0 for t in TERMS)
    completed = model.complete(faces(2), hole_masks([(0, 0), (5, 5)]))
    assert completed.dtype == np.float32 and np.all(np.isfinite(completed))


def _weighted_sum(logs, weights):
    return logs["reconstruction_loss"] + sum(
        w * logs[t] for w, t in zip(weights, TERMS, strict=True)
    )


def test_set_lambdas_retraces_the_steps_with_the_new_weights():
    """The ablation fork of notebook 02: the same trained model, stage 3 without L_p. Eq. 3's L is
    the weighted sum of the logged terms, with the lambdas set after the steps were traced."""
    model = tiny_gan(stage=3, learning_rates=(1e-3, 0.1, 0.1))
    x, masks = faces(4), hole_masks([(0, 0), (3, 5), (12, 12), (6, 1)])
    logs = model.evaluate(x, masks, batch_size=4, verbose=0, return_dict=True)
    assert logs["loss"] == pytest.approx(_weighted_sum(logs, WEIGHTS), rel=1e-5)
    model.train_on_batch(x, masks)  # both steps are now traced with the first lambdas
    model.set_lambdas(lambda_parsing=0.0)
    assert model.lambdas == (*WEIGHTS[:2], 0.0)
    assert model.get_config()["lambda_parsing"] == 0.0
    for logs in (
        model.evaluate(x, masks, batch_size=4, verbose=0, return_dict=True),
        model.train_on_batch(x, masks, return_dict=True),  # logs the terms before the update
    ):
        assert logs["parsing_loss"] > 0  # still computed and logged, weighted 0
        assert logs["loss"] == pytest.approx(_weighted_sum(logs, (*WEIGHTS[:2], 0.0)), rel=1e-5)


def test_set_lambdas_rejects_a_negative_lambda_and_keeps_the_old_ones():
    model = tiny_gan(stage=3)
    with pytest.raises(ValueError, match="lambda_global"):
        model.set_lambdas(lambda_global=-1.0)
    assert model.lambdas == WEIGHTS
