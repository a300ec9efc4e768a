"""Which pixels each term of L = L_r + l1 L_a1 + l2 L_a2 + l3 L_p reaches (Li et al. 2017, Section 3;
the authors' ``demo_GFC_training.m`` and ``gradstack.m``).

The generator's output ``o`` enters the losses two ways: L_r compares ``o`` itself with the face, the
other terms see the composite ``x * M + o * (1 - M)``. The local adversarial term (on the patch
around the hole) and the parsing term reach ``o`` only inside the hole; L_r reaches ``o`` everywhere.
The global term sees every pixel of the composite; with ``global_gradient="everywhere"`` (the
default, ``gradstack.m``) its gradient with respect to the composite reaches ``o`` at every pixel,
with ``"hole"`` only inside the hole. The global D's input is built by the model's own
``global_input``, as ``train_step`` builds it.
"""

import numpy as np
import pytest
import tensorflow as tf

from gan_papers.common.losses import generator_loss
from gan_papers.face_completion import (
    composite,
    crop_patches,
    global_input,
    noise_filled,
    parsing_labels,
    parsing_loss,
    patch_origin,
    reconstruction_loss,
)
from tests.face_completion.helpers import PATCH, faces, hole_masks, tiny_gan


@pytest.fixture(scope="module", params=["everywhere", "hole"])
def gradients(request):
    model = tiny_gan(stage=3, global_gradient=request.param)
    x = faces(2)
    masks = hole_masks([(3, 5), (12, 0)])  # the second hole's patch is clipped at the border
    noise = np.random.default_rng(1).uniform(-1, 1, x.shape).astype("float32")
    output = tf.convert_to_tensor(model.generator(noise_filled(x, masks, noise), training=True))
    rows, cols = patch_origin(masks, PATCH)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(output)
        completed = composite(x, masks, output)
        tape.watch(completed)
        terms = {
            "local": generator_loss(
                model.local_discriminator(crop_patches(completed, rows, cols, PATCH))
            ),
            "global": generator_loss(
                model.global_discriminator(global_input(output, completed, model.global_gradient))
            ),
            "parsing": parsing_loss(
                model.parser(completed, training=False),
                parsing_labels(model.parser(x, training=False)),
            ),
            "reconstruction": reconstruction_loss(output, x),
        }

    def magnitude(term, source):
        gradient = tape.gradient(term, source, unconnected_gradients=tf.UnconnectedGradients.ZERO)
        return np.abs(gradient.numpy()).max(axis=-1)  # over the channels: (B, H, W)

    by_output = {name: magnitude(term, output) for name, term in terms.items()}
    by_composite = {name: magnitude(term, completed) for name, term in terms.items()}
    patch = np.zeros(masks.shape[:3], bool)
    for p, r, c in zip(patch, np.asarray(rows), np.asarray(cols), strict=True):
        p[r : r + PATCH, c : c + PATCH] = True
    # With the straight-through input, d/dcomposite is the gradient w.r.t. the global D's input.
    d_input = global_input(output, completed, model.global_gradient)
    with tf.GradientTape(persistent=True) as global_tape:
        global_tape.watch(d_input)
        global_term = generator_loss(model.global_discriminator(d_input))
    by_composite["global"] = np.abs(global_tape.gradient(global_term, d_input).numpy()).max(axis=-1)
    np.testing.assert_array_equal(d_input.numpy(), completed.numpy())  # same forward value
    return request.param, by_output, by_composite, masks[..., 0] == 0, patch


@pytest.mark.parametrize("term", ["local", "parsing"])
def test_local_and_parsing_terms_reach_the_output_only_inside_the_hole(gradients, term):
    _, by_output, _, hole, _ = gradients
    assert np.all(by_output[term][~hole] == 0.0)
    assert np.all(by_output[term][hole].reshape(2, -1).max(axis=1) > 0)  # in each image


def test_global_term_reaches_the_output_as_its_routing_says(gradients):
    routing, by_output, by_composite, hole, _ = gradients
    reach = by_output["global"]
    assert np.all(reach[hole].reshape(2, -1).max(axis=1) > 0)
    if routing == "hole":
        assert np.all(reach[~hole] == 0.0)  # plain autodiff through x * M + o * (1 - M)
    else:
        # gradstack.m: d L_a2 / d composite is added to o at every pixel, unchanged.
        assert np.count_nonzero(reach[~hole]) > 0.9 * (~hole).sum()
        np.testing.assert_allclose(reach, by_composite["global"], rtol=1e-6, atol=0)


def test_local_term_sees_the_patch_and_nothing_else(gradients):
    _, _, by_composite, hole, patch = gradients
    local = by_composite["local"]
    assert np.all(local[~patch] == 0.0)
    # Inside the patch it does see known pixels: the zero outside the hole above comes from M.
    known_in_patch = patch & ~hole
    assert np.all(local[known_in_patch].reshape(2, -1).max(axis=1) > 0)


def test_global_term_sees_the_whole_composite(gradients):
    _, _, by_composite, hole, patch = gradients
    # Non-zero on known pixels, including those outside the local patch.
    assert np.count_nonzero(by_composite["global"][~hole]) > 0.9 * (~hole).sum()
    assert np.count_nonzero(by_composite["global"][~patch]) > 0.9 * (~patch).sum()


def test_reconstruction_reaches_the_output_everywhere(gradients):
    _, by_output, by_composite, hole, _ = gradients
    assert np.all(by_output["reconstruction"] > 0)  # d/do of (o - x)^2 is 2 (o - x), never 0 here
    assert np.all(by_composite["reconstruction"] == 0)  # it compares o, not the composite
