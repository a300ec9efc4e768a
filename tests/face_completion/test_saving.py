"""The stage is part of the model's state (Li et al. 2017's three-stage schedule): it is saved in a
``.keras`` file, resumed by ``BackupAndRestore``, and switching it keeps the optimisers."""

import warnings

import keras
import numpy as np
import pytest
import tensorflow as tf

from gan_papers.face_completion import FaceCompletionGAN, build_parser, compile_parser, freeze
from tests.face_completion.helpers import (
    HOLE,
    SIZE,
    faces,
    hole_masks,
    tiny_gan,
    tiny_networks,
    weights_of,
)
from tests.gan_case import interrupted_fit


def _optimizers(model):
    return (model.g_optimizer, model.local_d_optimizer, model.global_d_optimizer)


def test_keras_file_keeps_stage_lambdas_and_weights_in_safe_mode(tmp_path):
    model = tiny_gan(
        stage=3,
        reconstruction="l1",
        reconstruction_reduction="mean",
        parsing_reduction="mean",
        global_gradient="hole",
        discriminator_batch="separate",
        lambda_local=7.0,
        compile_kwargs={"run_eagerly": True},
    )
    model.fit(faces(4), batch_size=4, verbose=0)
    path = tmp_path / "face_completion.keras"
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    assert isinstance(loaded, FaceCompletionGAN)
    assert loaded.current_stage == 3  # the constructor's default is 1: this came from the file
    assert loaded.lambdas == (7.0, 3.0, 0.5)
    assert (loaded.reconstruction, loaded.reconstruction_reduction) == ("l1", "mean")
    assert (loaded.parsing_reduction, loaded.global_gradient) == ("mean", "hole")
    assert loaded.discriminator_batch == "separate"
    assert (loaded.hole_size, loaded.patch_size, loaded.image_size) == (4, 8, 16)
    assert len(loaded.weights) == len(model.weights)
    for a, b in zip(weights_of(loaded), weights_of(model), strict=True):
        np.testing.assert_array_equal(a, b)
    assert loaded.parser.trainable_weights == []  # still frozen
    np.testing.assert_array_equal(
        loaded.seed_generator.state.numpy(), model.seed_generator.state.numpy()
    )
    x, masks = faces(2, seed=1), hole_masks([(0, 0), (7, 9)])
    np.testing.assert_array_equal(loaded.complete(x, masks), model.complete(x, masks))
    # The optimisers come back with their state: training goes on where it stopped.
    for a, b in zip(_optimizers(loaded), _optimizers(model), strict=True):
        assert int(a.iterations) == int(b.iterations) == 1
        assert float(a.learning_rate) == pytest.approx(float(b.learning_rate))


def test_set_stage_keeps_the_optimizers_and_their_state():
    model = tiny_gan(stage=3, compile_kwargs={"run_eagerly": True})
    model.fit(faces(4), batch_size=4, verbose=0)
    optimizers = _optimizers(model)
    variables = [[v.numpy() for v in o.variables] for o in optimizers]
    model.set_stage(1)
    assert model.current_stage == 1
    assert _optimizers(model) == optimizers  # the same objects
    for optimizer, before in zip(optimizers, variables, strict=True):
        assert int(optimizer.iterations) == 1
        for v, b in zip(optimizer.variables, before, strict=True):  # Adam's moments included
            np.testing.assert_array_equal(v.numpy(), b)
    model.fit(faces(4), batch_size=4, verbose=0)
    assert [int(o.iterations) for o in optimizers] == [2, 1, 1]  # stage 1 trains G alone


def _dataset():
    """One batch per epoch; the step cuts random holes from the model's seed stream."""
    return tf.data.Dataset.from_tensor_slices(faces(4)).batch(4)


def test_backup_and_restore_resumes_in_stage_3_exactly(tmp_path):
    # Eager steps: the traced step is tested in test_model; three traced models cost seconds.
    reference = tiny_gan(stage=3, compile_kwargs={"run_eagerly": True})
    initial = reference.get_weights()
    reference.fit(_dataset(), epochs=2, verbose=0)

    interrupted = tiny_gan(stage=3, compile_kwargs={"run_eagerly": True})
    interrupted.set_weights(initial)
    backup = interrupted_fit(
        interrupted, _dataset(), epochs=2, at_epoch=1, backup_dir=tmp_path / "backup"
    )

    # A new session starting in stage 1 with other weights: only the backup carries over.
    resumed = tiny_gan(stage=1, seed=11, compile_kwargs={"run_eagerly": True})
    resumed.fit(_dataset(), epochs=2, verbose=0, callbacks=[backup])
    assert resumed.current_stage == 3
    for a, b in zip(_optimizers(resumed), _optimizers(reference), strict=True):
        assert int(a.iterations) == int(b.iterations) == 2
    np.testing.assert_array_equal(
        resumed.seed_generator.state.numpy(), reference.seed_generator.state.numpy()
    )
    for a, b in zip(weights_of(resumed), weights_of(reference), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_a_parser_trained_with_compile_parser_is_saved_and_loaded_without_its_optimizer(tmp_path):
    # The notebook's path: fit the parser, freeze it, train and save the GAN, load it back.
    networks = tiny_networks()
    parser = build_parser(SIZE, widths=(4, 4, 4, 4))  # not frozen yet: fit gives Adam its slots
    compile_parser(parser, 1e-3)
    parser.fit(faces(2), np.zeros((2, SIZE, SIZE), "int32"), verbose=0)
    model = FaceCompletionGAN(**{**networks, "parser": freeze(parser)}, hole_size=HOLE, seed=0)
    model.compile()
    model.train_on_batch(faces(2))
    path = tmp_path / "face_completion.keras"
    model.save(path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. "Skipping variable loading for optimizer"
        loaded = keras.saving.load_model(path, safe_mode=True)
    x, masks = faces(2, seed=1), hole_masks([(0, 0), (7, 9)])
    np.testing.assert_array_equal(loaded.complete(x, masks), model.complete(x, masks))
