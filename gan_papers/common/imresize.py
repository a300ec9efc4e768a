"""MATLAB-compatible bicubic resizing, used to make SRGAN's LR images (Ledig et al. 2017, Section 3.2).

The paper's training LR images and every benchmark LR image (Set5, Set14, BSD100, DIV2K's
``*_LR_bicubic``) were made with MATLAB's ``imresize(hr, 1/4)``: bicubic interpolation with Keys'
cubic kernel (a = -0.5) and, when shrinking, the kernel stretched by 1/scale so that it also acts as
an anti-aliasing low-pass filter. ``tf.image.resize(method="bicubic")`` uses the same kernel but does
not antialias unless asked (``antialias=False`` is its default: shrinking x4 then aliases badly), and
even with ``antialias=True`` it treats the borders differently (it truncates the kernel instead of
mirroring the image). Results compare with the paper's tables only when LR images are made the same
way, so this module follows MATLAB's own rules:

- output size ``ceil(scale * size)`` when a scale is given;
- output pixel ``x`` (1-based) maps to input coordinate ``u = x / scale + 0.5 * (1 - 1 / scale)``
  (pixel centres line up, not pixel corners);
- the kernel is ``cubic(t)`` when enlarging and ``scale * cubic(scale * t)`` (4 / scale taps wide) when
  shrinking with antialiasing; each output pixel's weights are normalised to sum to 1;
- taps that fall outside the image are mirrored back in (``... 2 1 | 1 2 3 ... n | n n-1 ...``).

Resizing is separable, so each axis is a matrix product with a fixed ``(out, in)`` weight matrix.
The matrices are computed once in float64 NumPy and cached; ``imresize_tf`` uses them as constants,
so it runs inside ``tf.data`` ``map`` functions and ``tf.function`` graphs.
Values are not clipped: bicubic overshoots near edges (ringing), and callers clip if they need a range.
"""

import functools
import math

import numpy as np

from gan_papers.common.validation import check_float, check_positive_number, check_rank


def cubic(t):
    """Keys' cubic convolution kernel with a = -0.5 (MATLAB's ``bicubic``), on a float64 array."""
    t = np.abs(np.asarray(t, dtype=np.float64))
    near = (1.5 * t**3 - 2.5 * t**2 + 1.0) * (t <= 1.0)
    far = (-0.5 * t**3 + 2.5 * t**2 - 4.0 * t + 2.0) * ((t > 1.0) & (t <= 2.0))
    return near + far


def _triangle(t):
    # MATLAB's 'bilinear' kernel. Only the tests use it: MATLAB's published bilinear outputs check the
    # shared machinery (coordinate mapping, antialias widening, normalisation, mirroring).
    return np.maximum(0.0, 1.0 - np.abs(t))


# name -> (kernel, support width at the original resolution)
_KERNELS = {"cubic": (cubic, 4.0), "triangle": (_triangle, 2.0)}


@functools.lru_cache(maxsize=64)
def _weight_matrix(in_size, out_size, scale, antialias, kernel_name="cubic"):
    """The ``(out_size, in_size)`` float64 matrix that resizes one axis (read-only, cached)."""
    base_kernel, base_width = _KERNELS[kernel_name]
    if scale < 1.0 and antialias:
        # Stretching the kernel by 1/scale turns the interpolator into a low-pass filter whose cut-off
        # follows the new sampling rate; the factor `scale` keeps its integral at 1.
        def kernel(t):
            return scale * base_kernel(scale * t)

        width = base_width / scale
    else:
        kernel, width = base_kernel, base_width

    x = np.arange(1, out_size + 1, dtype=np.float64)
    u = x / scale + 0.5 * (1.0 - 1.0 / scale)
    left = np.floor(u - width / 2.0)
    # ceil(width) + 2 candidate taps cover the kernel's support wherever u falls; the extra ones
    # get weight 0.
    taps = left[:, None] + np.arange(math.ceil(width) + 2)[None, :]
    weights = kernel(u[:, None] - taps)
    weights /= weights.sum(axis=1, keepdims=True)

    # Symmetric padding: 1-based index i outside [1, n] is reflected with the edge pixel repeated.
    period = 2 * in_size
    taps = np.mod(taps.astype(np.int64) - 1, period)
    taps = np.where(taps < in_size, taps, period - 1 - taps)

    matrix = np.zeros((out_size, in_size), dtype=np.float64)
    rows = np.broadcast_to(np.arange(out_size)[:, None], taps.shape)
    np.add.at(matrix, (rows, taps), weights)
    matrix.setflags(write=False)
    return matrix


def _resolve_sizes(in_hw, scale, output_shape):
    """Check ``scale`` / ``output_shape`` and return ((out_h, out_w), (scale_h, scale_w))."""
    if (scale is None) == (output_shape is None):
        raise ValueError(
            "Give exactly one of `scale` and `output_shape`; received "
            f"scale={scale!r}, output_shape={output_shape!r}."
        )
    if scale is not None:
        scale = check_positive_number(scale, "scale")
        # MATLAB: outputSize = ceil(scale * inputSize).
        out_hw = tuple(math.ceil(scale * n) for n in in_hw)
        return out_hw, (scale, scale)
    try:
        out_hw = tuple(int(n) for n in output_shape)
        valid = len(out_hw) == 2 and all(
            n >= 1 and n == m for n, m in zip(out_hw, output_shape, strict=True)
        )
    except (TypeError, ValueError):
        valid = False
    if not valid:
        raise ValueError(
            f"`output_shape` must be two positive integers (height, width); received {output_shape!r}."
        )
    # MATLAB derives each axis' scale from the requested size when only the size is given.
    return out_hw, tuple(o / i for o, i in zip(out_hw, in_hw, strict=True))


def _spatial_axes(rank):
    return (0, 1) if rank in (2, 3) else (1, 2)


def _apply(image, w_h, w_w, ax_h, ax_w):
    """Multiply the height axis by ``w_h`` and the width axis by ``w_w`` in float64."""
    out = np.asarray(image, dtype=np.float64)
    # tensordot puts the new axis first; moveaxis returns it to its place.
    out = np.moveaxis(np.tensordot(w_h, out, axes=([1], [ax_h])), 0, ax_h)
    out = np.moveaxis(np.tensordot(w_w, out, axes=([1], [ax_w])), 0, ax_w)
    return out.astype(image.dtype)


def weight_matrices(in_hw, scale=None, output_shape=None, antialias=True):
    """The (height, width) weight matrices that ``imresize`` applies, each ``(out, in)`` float64.

    ``out = W_h @ image @ W_w.T`` for a single-channel HxW image.
    """
    in_hw = tuple(int(n) for n in in_hw)
    out_hw, scales = _resolve_sizes(in_hw, scale, output_shape)
    return tuple(
        _weight_matrix(n_in, n_out, s, bool(antialias))
        for n_in, n_out, s in zip(in_hw, out_hw, scales, strict=True)
    )


def imresize(image, scale=None, output_shape=None, antialias=True):
    """Resize like MATLAB's ``imresize(image, scale)`` with the default bicubic method.

    Args:
        image: float NumPy array, HxW, HxWxC or NHWC, in any value range (the result is not clipped,
            so bicubic overshoot near edges is kept).
        scale: resize factor (> 0), the same for both axes; the output size is ``ceil(scale * size)``.
        output_shape: ``(height, width)`` of the result instead of ``scale``.
        antialias: widen the kernel by 1/scale when shrinking (MATLAB's default, ``True``).

    Returns:
        The resized array, same rank and dtype as ``image``; computed in float64.
    """
    check_rank(image, "image", (2, 3, 4), layout="HxW, HxWxC or NHWC")
    check_float(image, "image")
    image = np.asarray(image)
    ax_h, ax_w = _spatial_axes(image.ndim)
    if image.shape[ax_h] == 0 or image.shape[ax_w] == 0:
        raise ValueError(f"`image` must not be empty; received shape {image.shape}.")
    w_h, w_w = weight_matrices(
        (image.shape[ax_h], image.shape[ax_w]), scale, output_shape, antialias
    )
    return _apply(image, w_h, w_w, ax_h, ax_w)


def imresize_tf(images, scale=None, output_shape=None, antialias=True):
    """``imresize`` on a float ``tf.Tensor`` (HxWxC or NHWC with static height and width).

    The weight matrices are graph constants, so this works eagerly, in ``tf.function`` and in
    ``tf.data.Dataset.map``; the product runs in the tensor's dtype.
    """
    import tensorflow as tf

    images = tf.convert_to_tensor(images)
    check_rank(images, "images", (3, 4), layout="HxWxC or NHWC")
    if not images.dtype.is_floating:
        raise ValueError(
            f"`images` must be a floating-point tensor; received dtype {images.dtype.name}."
        )
    ax_h, ax_w = _spatial_axes(images.shape.rank)
    in_h, in_w = images.shape[ax_h], images.shape[ax_w]
    if in_h is None or in_w is None:
        raise ValueError(
            "`images` must have a static height and width (e.g. from a fixed-size crop); "
            f"received shape {tuple(images.shape)}."
        )
    w_h, w_w = weight_matrices((in_h, in_w), scale, output_shape, antialias)
    w_h = tf.constant(w_h, dtype=images.dtype)
    w_w = tf.constant(w_w, dtype=images.dtype)
    if images.shape.rank == 3:
        return tf.einsum("oh,hwc,pw->opc", w_h, images, w_w)
    return tf.einsum("oh,bhwc,pw->bopc", w_h, images, w_w)


def downscale(hr, scale):
    """MATLAB bicubic downscaling by an integer factor (``imresize(hr, 1/scale)``), NumPy.

    ``hr`` is HxWxC or NHWC float; its height and width must be divisible by ``scale`` (crop first),
    so that LR and HR pixels line up exactly as in the benchmark datasets.
    """
    scale = _check_scale_int(scale)
    check_rank(hr, "hr", (3, 4), layout="HxWxC or NHWC")
    shape = np.shape(hr)
    ax_h, ax_w = _spatial_axes(len(shape))
    height, width = shape[ax_h], shape[ax_w]
    if height % scale or width % scale:
        raise ValueError(
            f"`hr` height and width must be divisible by scale={scale}; received shape {shape} "
            f"({height}x{width}). Crop HR to a multiple of the scale first."
        )
    # An explicit output size avoids ceil(n * (1/scale)) rounding up when n/scale is exact.
    hr = np.asarray(hr)
    check_float(hr, "hr")
    w_h = _weight_matrix(height, height // scale, 1.0 / scale, True)
    w_w = _weight_matrix(width, width // scale, 1.0 / scale, True)
    return _apply(hr, w_h, w_w, ax_h, ax_w)


def _check_scale_int(scale):
    if isinstance(scale, bool) or not isinstance(scale, int | np.integer) or scale < 1:
        raise ValueError(f"`scale` must be a positive integer (e.g. 4); received {scale!r}.")
    return int(scale)
