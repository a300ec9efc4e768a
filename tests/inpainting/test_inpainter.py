"""SemanticInpainter: the one-call API (search, then blend), its outputs and its input checks."""

import warnings

import numpy as np
import pytest

from gan_papers.common.masks import center_mask
from gan_papers.inpainting import SemanticInpainter, build_discriminator, build_generator
from tests.gan_case import assert_raises

SIZE = 8


@pytest.fixture(scope="module")
def inpainter():
    generator = build_generator(image_size=SIZE, latent_dim=6, base_filters=8)
    discriminator = build_discriminator(image_size=SIZE, base_filters=4)
    return SemanticInpainter(generator, discriminator)


def _problem(n=2):
    images = np.random.default_rng(0).uniform(-1, 1, (n, SIZE, SIZE, 3)).astype("float32")
    return images, center_mask(SIZE, batch=n)


def test_inpaint_returns_blended_raw_codes_and_history(inpainter):
    images, masks = _problem()
    result = inpainter.inpaint(
        images, masks, iterations=20, log_every=5, keep_frames=True, progress=False, restarts=2
    )
    known = masks == 1
    # Known pixels come back untouched; the hole holds the blended completion.
    np.testing.assert_array_equal(
        np.broadcast_to(known, images.shape) * result.blended,
        np.broadcast_to(known, images.shape) * images,
    )
    assert result.generated.shape == images.shape and result.codes.shape == (2, 6)
    assert np.abs(result.codes).max() <= 1.0
    assert len(result.history["loss"]) == 4 and len(result.frames) == 1 + 4  # start + 4 logs
    assert result.losses.shape == (2,) and np.all(np.isfinite(result.losses))


def test_inpaint_warns_about_nothing(inpainter):
    # A user calling inpaint sees no Keras warning about fit's arguments (e.g. shuffle=True being
    # ignored for the search's one repeated batch).
    images, masks = _problem()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        inpainter.inpaint(images, masks, iterations=2, log_every=1, progress=False)
    assert [str(w.message) for w in caught] == []


def test_a_later_call_searches_as_a_new_inpainter_would(inpainter):
    # inpaint reuses its compiled search for a batch of the same shape, restarted: nothing of an
    # earlier call (codes, Adam's moments, learning rate) carries over.
    images, masks = _problem(3)
    inpainter.inpaint(images[::-1], masks, iterations=6, learning_rate=0.05, progress=False, seed=4)
    again = inpainter.inpaint(images, masks, iterations=7, progress=False, seed=1)
    calibrated = inpainter.discriminator  # the "generated" copy; as_trained: read it as it is
    fresh = SemanticInpainter(inpainter.generator, calibrated, d_statistics="as_trained")
    new = fresh.inpaint(images, masks, iterations=7, progress=False, seed=1)
    for name in ("blended", "generated", "codes", "losses"):
        np.testing.assert_array_equal(getattr(again, name), getattr(new, name))
    assert again.history == new.history


def test_the_hole_content_is_never_read(inpainter):
    images, masks = _problem()
    other = images.copy()
    other[:, 2:6, 2:6] = 0.9  # change only missing pixels
    a = inpainter.inpaint(images, masks, iterations=5, progress=False)
    b = inpainter.inpaint(other, masks, iterations=5, progress=False)
    np.testing.assert_allclose(a.blended, b.blended, atol=1e-6)


@pytest.mark.parametrize(
    "images, masks, fragment",
    [
        (
            np.zeros((2, SIZE, SIZE, 3), "f4"),
            np.ones((2, SIZE, SIZE + 1, 1), "f4"),
            "height and width",
        ),
        (np.zeros((2, SIZE, SIZE, 3), "f4"), np.full((2, SIZE, SIZE, 1), 0.5, "f4"), "binary"),
        (
            np.full((2, SIZE, SIZE, 3), 2.0, "f4"),
            np.ones((2, SIZE, SIZE, 1), "f4"),
            r"\[-1.0, 1.0\]",
        ),
        (np.zeros((2, SIZE, SIZE, 1), "f4"), np.ones((2, SIZE, SIZE, 1), "f4"), "3 channel"),
        (np.zeros((0, SIZE, SIZE, 3), "f4"), np.ones((0, SIZE, SIZE, 1), "f4"), "empty"),
        (np.zeros((2, 16, 16, 3), "f4"), np.ones((2, 16, 16, 1), "f4"), "generator's size"),
        (
            np.zeros((2, SIZE, SIZE, 3), "f4"),
            np.ones((1, SIZE, SIZE, 1), "f4"),
            "one mask per image",
        ),
    ],
)
def test_bad_input(inpainter, images, masks, fragment):
    with pytest.raises(ValueError, match=fragment):
        inpainter.inpaint(images, masks, iterations=1, progress=False)


def test_a_mask_with_nothing_known_is_refused(inpainter):
    images, masks = _problem(3)
    masks[1] = 0.0  # e.g. an inverted mask: nothing known in image 1
    with pytest.raises(ValueError, match=r"no known pixel for 1 of 3 images \(indices \[1\]\)"):
        inpainter.inpaint(images, masks, iterations=1, progress=False)
    with pytest.raises(ValueError, match="1 = known"):
        inpainter.inpaint(images, np.zeros_like(masks), iterations=1, progress=False)


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        ({"lam": "0.003"}, "`lam`"),
        ({"lam": -1.0}, "`lam`"),
        ({"lam": None}, "`lam`"),
        ({"prior": "wgan"}, "`prior`"),
        ({"window": 4}, "`window`"),
    ],
)
def test_bad_constructor_arguments(kwargs, fragment):
    generator = build_generator(image_size=SIZE, latent_dim=6, base_filters=8)
    discriminator = build_discriminator(image_size=SIZE, base_filters=4)
    assert_raises(
        SemanticInpainter,
        {"generator": generator, "discriminator": discriminator, **kwargs},
        fragment,
    )


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        ({"learning_rate": "fast"}, "`learning_rate`"),
        ({"learning_rate": 0.0}, "`learning_rate`"),
        ({"restarts": 0}, "`restarts`"),
        ({"iterations": 2.5}, "`iterations`"),
        ({"log_every": 0}, "`log_every`"),
        ({"seed": -1}, "`seed`"),
        ({"blend": "yes"}, "`blend`"),
        ({"jit_compile": "xla"}, "`jit_compile`"),
    ],
)
def test_bad_inpaint_arguments(inpainter, kwargs, fragment):
    images, masks = _problem()
    assert_raises(
        inpainter.inpaint,
        {"images": images, "masks": masks, "progress": False, "iterations": 1, **kwargs},
        fragment,
    )
