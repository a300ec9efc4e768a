"""The stage is part of the model's state (Li et al. 2017's three-stage schedule): it is saved in a
``.keras`` file, resumed by ``BackupAndRestore``, and switching it keeps the optimisers."""

import numpy as np
import tensorflow as tf

from gan_papers.face_completion import FaceCompletionGAN, build_parser, compile_parser, freeze
from tests.face_completion.helpers import (
    HOLE,
    SIZE,
    faces,
    hole_masks,
    tiny_gan,
    tiny_networks,
)
from tests.gan_case import assert_resumes_exactly, assert_safe_mode_round_trip

OPTIMIZERS = ("g_optimizer", "local_d_optimizer", "global_d_optimizer")


def _optimizers(model):
    return tuple(getattr(model, name) for name in OPTIMIZERS)


def _complete(model, faces_and_masks):
    return model.complete(*faces_and_masks)


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
    # Weights, complete(), the optimisers' steps and rates and the seed state come back; training
    # goes on where it stopped.
    loaded = assert_safe_mode_round_trip(
        model,
        tmp_path,
        (faces(2, seed=1), hole_masks([(0, 0), (7, 9)])),
        call=_complete,
        optimizers=OPTIMIZERS,
        name="face_completion.keras",
    )
    assert isinstance(loaded, FaceCompletionGAN)
    assert loaded.current_stage == 3  # the constructor's default is 1: this came from the file
    assert loaded.lambdas == (7.0, 3.0, 0.5)
    assert (loaded.reconstruction, loaded.reconstruction_reduction) == ("l1", "mean")
    assert (loaded.parsing_reduction, loaded.global_gradient) == ("mean", "hole")
    assert loaded.discriminator_batch == "separate"
    assert (loaded.hole_size, loaded.patch_size, loaded.image_size) == (4, 8, 16)
    assert loaded.parser.trainable_weights == []  # still frozen
    assert [int(o.iterations) for o in _optimizers(loaded)] == [1, 1, 1]


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
    # The resumed model is a new session starting in stage 1 with other weights: only the backup
    # carries over (optimiser steps, seed state and weights checked by the helper).
    run = assert_resumes_exactly(
        lambda: tiny_gan(stage=3, compile_kwargs={"run_eagerly": True}),
        _dataset(),
        epochs=2,
        at_epoch=1,
        tmp_path=tmp_path,
        make_resumed=lambda: tiny_gan(stage=1, seed=11, compile_kwargs={"run_eagerly": True}),
        optimizers=OPTIMIZERS,
        iterations=2,
    )
    assert run.resumed.current_stage == 3


def test_a_parser_trained_with_compile_parser_is_saved_and_loaded_without_its_optimizer(tmp_path):
    # The notebook's path: fit the parser, freeze it, train and save the GAN, load it back.
    networks = tiny_networks()
    parser = build_parser(SIZE, widths=(4, 4, 4, 4))  # not frozen yet: fit gives Adam its slots
    compile_parser(parser, 1e-3)
    parser.fit(faces(2), np.zeros((2, SIZE, SIZE), "int32"), verbose=0)
    model = FaceCompletionGAN(**{**networks, "parser": freeze(parser)}, hole_size=HOLE, seed=0)
    model.compile()
    model.train_on_batch(faces(2))
    assert_safe_mode_round_trip(
        model,
        tmp_path,
        (faces(2, seed=1), hole_masks([(0, 0), (7, 9)])),
        call=_complete,
        optimizers=OPTIMIZERS,
        no_warnings=True,  # e.g. "Skipping variable loading for optimizer"
    )
