"""MATLAB-compatible bicubic resize: against MATLAB's published outputs, a slow reference built from
the kernel definition, PIL's float resampler, and the properties SR pipelines rely on."""

import math

import numpy as np
import pytest
import tensorflow as tf
from PIL import Image

from gan_papers.common.imresize import _weight_matrix, downscale, imresize, imresize_tf


def keys_cubic(t):
    """Keys (1981) cubic convolution kernel, a = -0.5, written out piece by piece."""
    t = abs(t)
    if t <= 1:
        return 1.5 * t**3 - 2.5 * t**2 + 1
    if t <= 2:
        return -0.5 * t**3 + 2.5 * t**2 - 4 * t + 2
    return 0.0


def reference_taps(n_in, x, scale, antialias):
    """(0-based input index, weight) pairs for 1-based output pixel x, straight from imresize.m's rules."""
    shrink = scale < 1 and antialias
    half_width = 2 / scale if shrink else 2
    u = x / scale + 0.5 * (1 - 1 / scale)
    taps = []
    for j in range(math.floor(u - half_width) - 1, math.ceil(u + half_width) + 2):
        w = scale * keys_cubic(scale * (u - j)) if shrink else keys_cubic(u - j)
        # Mirror 1-based j into [1, n]: 0 -> 1, -1 -> 2, n + 1 -> n, n + 2 -> n - 1, ...
        k = j
        while k < 1 or k > n_in:
            k = 1 - k if k < 1 else 2 * n_in + 1 - k
        taps.append((k - 1, w))
    total = sum(w for _, w in taps)
    return [(k, w / total) for k, w in taps]


def reference_imresize(image, scale, antialias=True):
    """Slow per-output-pixel bicubic resize of a 2-D array (the independent reference)."""
    n_h, n_w = image.shape
    out_h, out_w = math.ceil(n_h * scale), math.ceil(n_w * scale)
    out = np.zeros((out_h, out_w))
    for i in range(out_h):
        rows = reference_taps(n_h, i + 1, scale, antialias)
        for j in range(out_w):
            cols = reference_taps(n_w, j + 1, scale, antialias)
            out[i, j] = sum(wr * wc * image[r, c] for r, wr in rows for c, wc in cols)
    return out


@pytest.mark.parametrize(
    ("shape", "scale", "antialias"),
    [
        ((12, 16), 1 / 2, True),
        ((16, 12), 1 / 4, True),
        ((9, 15), 1 / 3, True),
        ((7, 11), 1 / 2, True),  # odd sizes: ceil(3.5) = 4 rows
        ((12, 16), 1 / 2, False),
        ((5, 6), 2, True),
        ((4, 5), 4, True),
        ((5, 4), 3, True),
    ],
)
def test_matches_per_pixel_reference(shape, scale, antialias):
    image = np.random.default_rng(1).uniform(-1, 1, shape)
    expected = reference_imresize(image, scale, antialias)
    result = imresize(image, scale=scale, antialias=antialias)
    assert result.shape == expected.shape
    np.testing.assert_allclose(result, expected, atol=1e-12)


def test_matlab_bicubic_published_values():
    # MATLAB: M = reshape(0:15,4,4).'; imresize(M,0.5,'bicubic','AntiAliasing',false)
    #   -> [2.1875 4.3125; 10.6875 12.8125]
    # Stack Overflow, "MATLAB vs C++ vs OpenCV - imresize" (answer by Amro, 2014).
    m = np.arange(16, dtype=np.float64).reshape(4, 4)
    np.testing.assert_allclose(
        imresize(m, 0.5, antialias=False), [[2.1875, 4.3125], [10.6875, 12.8125]], atol=1e-12
    )


def _bilinear(image, output_shape, antialias=True):
    # The same weight machinery with MATLAB's triangle kernel, to compare with MATLAB's published
    # bilinear outputs (antialias widening, pixel-centre mapping, mirrored borders).
    (n_h, n_w), (o_h, o_w) = image.shape, output_shape
    w_h = _weight_matrix(n_h, o_h, o_h / n_h, antialias, "triangle")
    w_w = _weight_matrix(n_w, o_w, o_w / n_w, antialias, "triangle")
    return w_h @ image @ w_w.T


def test_matlab_bilinear_published_values():
    m = np.arange(16, dtype=np.float64).reshape(4, 4)
    # Same Stack Overflow answer: imresize(M,0.5,'bilinear','AntiAliasing',true / false).
    np.testing.assert_allclose(_bilinear(m, (2, 2)), [[3.125, 4.875], [10.125, 11.875]])
    np.testing.assert_allclose(_bilinear(m, (2, 2), False), [[2.5, 4.5], [10.5, 12.5]])
    # Stack Overflow, "Why does OpenCV cv2.resize give a different answer than MATLAB imresize?":
    # x = imresize([1,2;3,4],[4,4],'bilinear'), then imresize(x,[2,2],'bilinear') with/without AA.
    up = _bilinear(np.array([[1.0, 2.0], [3.0, 4.0]]), (4, 4))
    np.testing.assert_allclose(
        up,
        [[1, 1.25, 1.75, 2], [1.5, 1.75, 2.25, 2.5], [2.5, 2.75, 3.25, 3.5], [3, 3.25, 3.75, 4]],
    )
    np.testing.assert_allclose(_bilinear(up, (2, 2)), [[1.5625, 2.1875], [2.8125, 3.4375]])
    np.testing.assert_allclose(_bilinear(up, (2, 2), False), [[1.375, 2.125], [2.875, 3.625]])
    # MATLAB Answers 650593: imresize(x,[2 2],'bilinear') -> [0.1094 0.7656; 0.0156 0.1094] (4 d.p.).
    x = np.array([[0, 0, 1, 1], [0, 0, 1, 1], [0, 0, 0, 0], [0, 0, 0, 0]], dtype=np.float64)
    np.testing.assert_allclose(
        _bilinear(x, (2, 2)), [[0.1094, 0.7656], [0.0156, 0.1094]], atol=5e-5
    )
    # dsp.stackexchange 14560: imresize([100 50 0],[1,5],'bilinear') -> [100 80 50 20 0].
    np.testing.assert_allclose(
        _bilinear(np.array([[100.0, 50.0, 0.0]]), (1, 5)), [[100, 80, 50, 20, 0]]
    )


@pytest.mark.parametrize("factor", [1 / 2, 1 / 3, 1 / 4, 2, 4])
def test_interior_agrees_with_pil(factor):
    # PIL's BICUBIC is an independent implementation of the same antialiased a = -0.5 filter with
    # pixel-centre alignment; it only treats borders differently (truncates and renormalises the
    # kernel instead of mirroring), so pixels farther than the kernel radius from the edge must agree.
    image = np.random.default_rng(2).random((48, 60)).astype(np.float32)
    result = imresize(image.astype(np.float64), factor)
    pil = Image.fromarray(image, mode="F").resize(
        (result.shape[1], result.shape[0]), Image.Resampling.BICUBIC
    )
    margin = math.ceil(2 * max(1, factor)) + 1
    inner = (slice(margin, -margin), slice(margin, -margin))
    np.testing.assert_allclose(result[inner], np.asarray(pil)[inner], atol=1e-6)
    # ... and the borders really are handled differently (so the check above is not vacuous).
    assert np.abs(result - np.asarray(pil)).max() > 1e-3


def test_constant_image_stays_constant():
    image = np.full((2, 17, 23, 3), 0.37, dtype=np.float32)
    for scale in (1 / 4, 1 / 3, 0.7, 1.9, 4):
        np.testing.assert_allclose(imresize(image, scale), 0.37, atol=1e-6)


def test_sr_shapes_and_ranks():
    assert imresize(np.zeros((96, 96, 3), np.float32), 1 / 4).shape == (24, 24, 3)
    assert imresize(np.zeros((2, 96, 96, 3), np.float32), 1 / 4).shape == (2, 24, 24, 3)
    assert imresize(np.zeros((24, 24, 3), np.float32), 4).shape == (96, 96, 3)
    # MATLAB's size rule: ceil(scale * size).
    assert imresize(np.zeros((7, 10)), 1 / 4).shape == (2, 3)
    assert imresize(np.zeros((10, 20)), output_shape=(3, 7)).shape == (3, 7)


def test_rank_and_channel_layouts_agree():
    rng = np.random.default_rng(3)
    batch = rng.random((2, 12, 8, 3))
    out = imresize(batch, 1 / 2)
    np.testing.assert_allclose(imresize(batch[1], 1 / 2), out[1])
    np.testing.assert_allclose(imresize(batch[1, ..., 2], 1 / 2), out[1, ..., 2])


def test_output_shape_equals_matching_scale():
    image = np.random.default_rng(4).random((16, 12))
    np.testing.assert_allclose(imresize(image, output_shape=(4, 3)), imresize(image, 1 / 4))


def test_scale_one_is_identity():
    image = np.random.default_rng(5).random((2, 9, 7, 3)).astype(np.float32)
    np.testing.assert_allclose(imresize(image, 1), image, atol=1e-7)


def test_dtype_kept_and_no_clipping():
    edge = np.zeros((16, 16), dtype=np.float32)
    edge[:, 8:] = 1.0
    up = imresize(edge, 2)
    assert up.dtype == np.float32
    # Bicubic rings at a step edge; the result must show the overshoot, not a clipped value.
    assert up.max() > 1.0 and up.min() < 0.0


def test_tf_matches_numpy_eager_and_in_dataset_map():
    rng = np.random.default_rng(6)
    hr = rng.uniform(-1, 1, (3, 96, 96, 3)).astype(np.float32)
    expected = imresize(hr, 1 / 4)
    np.testing.assert_allclose(imresize_tf(tf.constant(hr), 1 / 4).numpy(), expected, atol=1e-5)
    np.testing.assert_allclose(
        imresize_tf(tf.constant(hr[0]), output_shape=(24, 24)).numpy(), expected[0], atol=1e-5
    )
    lr = imresize(hr[:, :24, :24], 4)
    np.testing.assert_allclose(imresize_tf(hr[:, :24, :24], 4).numpy(), lr, atol=1e-5)
    # Graph mode, as the SR data pipeline uses it.
    dataset = tf.data.Dataset.from_tensor_slices(hr).map(lambda x: imresize_tf(x, scale=1 / 4))
    mapped = np.stack([x.numpy() for x in dataset])
    assert mapped.shape == (3, 24, 24, 3)
    np.testing.assert_allclose(mapped, expected, atol=1e-5)


def test_downscale_equals_imresize_and_checks_divisibility():
    hr = np.random.default_rng(7).random((2, 24, 36, 3)).astype(np.float32)
    np.testing.assert_allclose(downscale(hr, 4), imresize(hr, 1 / 4), atol=1e-7)
    assert downscale(hr[0], 3).shape == (8, 12, 3)
    with pytest.raises(ValueError, match=r"`hr`.*scale=5.*\(2, 24, 36, 3\)"):
        downscale(hr, 5)
    with pytest.raises(ValueError, match="`scale`"):
        downscale(hr, 0.25)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({}, "exactly one of `scale` and `output_shape`"),
        ({"scale": 2, "output_shape": (4, 4)}, "exactly one of `scale` and `output_shape`"),
        ({"scale": 0}, "`scale` must be a positive number"),
        ({"scale": -0.5}, "`scale` must be a positive number"),
        ({"scale": float("nan")}, "`scale` must be a positive number"),
        ({"output_shape": (4,)}, "`output_shape`"),
        ({"output_shape": (0, 4)}, "`output_shape`"),
        ({"output_shape": (2.5, 4)}, "`output_shape`"),
    ],
)
def test_bad_arguments_raise(kwargs, match):
    with pytest.raises(ValueError, match=match):
        imresize(np.zeros((8, 8)), **kwargs)


def test_bad_images_raise():
    with pytest.raises(ValueError, match="`image` must have rank 2 or 3 or 4"):
        imresize(np.zeros(8), 2)
    with pytest.raises(ValueError, match="`image` must have rank"):
        imresize(np.zeros((1, 2, 8, 8, 3)), 2)
    with pytest.raises(ValueError, match="`image` must be a floating-point array.*uint8"):
        imresize(np.zeros((8, 8, 3), np.uint8), 2)
    with pytest.raises(ValueError, match="`images` must be a floating-point tensor"):
        imresize_tf(tf.zeros((8, 8, 3), tf.int32), 2)
    with pytest.raises(ValueError, match="`images` must have rank 3 or 4"):
        imresize_tf(tf.zeros((8, 8)), 2)


def test_tf_needs_static_spatial_shape():
    @tf.function(input_signature=[tf.TensorSpec((None, None, 3), tf.float32)])
    def resize(x):
        return imresize_tf(x, 1 / 4)

    with pytest.raises(ValueError, match="static height and width"):
        resize.get_concrete_function()
