"""Poisson blending of the generated fill into the known pixels (Yeh et al. 2017, Section 3.3).

The latent search gives an image G(z) whose content fits the hole but whose colours need not match the
known pixels y around it. The paper keeps G(z)'s gradients inside the hole and y's values outside
(Pérez, Gangnet and Blake, "Poisson Image Editing", SIGGRAPH 2003):

    x_hat = argmin_x || grad x - grad G(z) ||^2   subject to   x_i = y_i where M_i = 1.

Discretely, with the 4-neighbours N_p of pixel p that lie inside the image, each missing pixel p gives

    |N_p| x_p - sum_{q in N_p, q missing} x_q = sum_{q in N_p} (g_p - g_q) + sum_{q in N_p, q known} y_q.

Neighbours outside the image are absent, not wrapped around (ports that shift with ``np.roll`` or
index a flattened image couple the left and right columns); so a hole touching the border has a
free (Neumann) boundary there. Writing x = g + d, the unknown correction d satisfies

    A d = b,   (A d)_p = |N_p| d_p - sum_{q in N_p, q missing} d_q,
               b_p = sum_{q in N_p, q known} (y_q - g_q),

so d is driven only by the colour mismatch on the hole's border: d = 0 when G(z) already equals y
there, and a constant offset of G(z) comes out as a constant d. A is symmetric positive definite on
every hole component that touches a known pixel; it is solved by conjugate gradient for all images and
channels at once, on zero-padded tensors, inside a ``tf.while_loop`` that stops early once every
system's residual is small, so the whole solve compiles with XLA.

A hole component with no known neighbour at all (for example an all-zero mask) has no colour to match:
any constant shift of G(z) is a minimiser. There b = 0 and A does not couple it to the rest, so
conjugate gradient started from d = 0 leaves d = 0 and such a component keeps G(z) unchanged.
"""

import tensorflow as tf

from gan_papers.common.masks import check_mask
from gan_papers.common.validation import check_image_batch, check_positive_int

# The paper's masks reach the tolerance in a few hundred iterations at most (measured:
# benchmarks/README.md, "Semantic inpainting", "Poisson blending: conjugate-gradient iterations").
# The cap only guards against pathological masks (long thin holes need more).
DEFAULT_ITERATIONS = 2000
DEFAULT_TOLERANCE = 1e-6


def _neighbour_sum(v):
    """Sum of the 4-neighbours of each pixel; neighbours outside the image count as 0 (no wrap)."""
    padded = tf.pad(v, [[0, 0], [1, 1], [1, 1], [0, 0]])
    return padded[:, :-2, 1:-1] + padded[:, 2:, 1:-1] + padded[:, 1:-1, :-2] + padded[:, 1:-1, 2:]


def _check_inputs(generated, known, mask, iterations, tolerance):
    check_image_batch(generated, "generated", channels=None)
    check_image_batch(known, "known", channels=None)
    g_shape, y_shape = tuple(generated.shape), tuple(known.shape)
    if not generated.shape.is_compatible_with(known.shape):
        raise ValueError(
            "`generated` and `known` must have the same shape; received "
            f"generated {g_shape} and known {y_shape}."
        )
    m_shape = check_mask(mask, "mask", like=generated)
    if m_shape[0] is not None and g_shape[0] is not None and m_shape[0] not in (1, g_shape[0]):
        raise ValueError(
            f"`mask` must have batch size 1 or {g_shape[0]} (that of the images); received "
            f"mask of shape {m_shape} for images of shape {g_shape}."
        )
    check_positive_int(iterations, "iterations")
    if isinstance(tolerance, bool) or not isinstance(tolerance, int | float) or tolerance < 0:
        raise ValueError(f"`tolerance` must be a non-negative number; received {tolerance!r}.")


def poisson_blend(
    generated,
    known,
    mask,
    iterations=DEFAULT_ITERATIONS,
    tolerance=DEFAULT_TOLERANCE,
    clip=True,
    return_info=False,
):
    """Blend ``generated`` (G(z)) into ``known`` (y) inside the hole of ``mask`` (Poisson equation).

    Args:
        generated: (B, H, W, C) float images in [-1, 1], the generator's output G(z).
        known: (B, H, W, C) float images in [-1, 1]; only pixels where ``mask`` is 1 are used.
        mask: (B, H, W, 1) or (1, H, W, 1) float, 1 = known, 0 = missing (the paper's M).
        iterations: the most conjugate-gradient iterations.
        tolerance: stop once ``||r|| <= tolerance * ||b||`` for every image and channel (r the
            residual, b the right-hand side); 0 runs all ``iterations``.
        clip: clip the blended hole to [-1, 1], the package's image range. Matching gradients can
            overshoot it a little; the paper does not say what it did. ``False`` returns the exact
            minimiser.
        return_info: also return a dict with ``iterations`` (the number run, a scalar) and
            ``residual`` ((B, C), the final relative residual of each system).

    Returns:
        The blended images (B, H, W, C), in the dtype of ``generated`` (float64 stays float64,
        anything else is computed and returned in float32). Known pixels are ``known`` exactly.
        A hole component with no known neighbour keeps ``generated`` (see the module docstring).

    Runs eagerly or inside ``tf.function(jit_compile=True)``; values are validated when concrete.
    """
    generated, known, mask = (tf.convert_to_tensor(v) for v in (generated, known, mask))
    _check_inputs(generated, known, mask, iterations, tolerance)
    dtype = tf.float64 if generated.dtype == tf.float64 else tf.float32
    g, y = tf.cast(generated, dtype), tf.cast(known, dtype)
    known_px = tf.cast(mask, dtype) > 0.5
    m = tf.cast(known_px, dtype)
    h = 1.0 - m  # 1 on missing pixels

    # |N_p|: 4 inside, 3 on an edge, 2 in a corner.
    count = _neighbour_sum(tf.ones_like(m[:1]))

    def laplacian(d):
        # The Laplacian restricted to the hole (d is kept zero on known pixels): symmetric, and
        # positive definite on hole components that touch a known pixel.
        return h * (count * d - _neighbour_sum(h * d))

    b = h * _neighbour_sum(m * (y - g))

    def dot(u, v):
        return tf.reduce_sum(u * v, axis=[1, 2], keepdims=True)  # one value per image and channel

    bb = dot(b, b)
    threshold = tf.cast(tolerance, dtype) ** 2 * bb

    def not_done(i, d, r, p, rr):
        return tf.logical_and(i < iterations, tf.reduce_any(rr > threshold))

    def step(i, d, r, p, rr):
        # Systems that have converged (or are empty) are frozen: alpha = beta = 0 leaves them as
        # they are while the others go on, so a batch gives the same result as one image at a time.
        active = rr > threshold
        ap = laplacian(p)
        pap = dot(p, ap)
        alpha = tf.where(active & (pap > 0), rr / tf.where(pap > 0, pap, 1.0), 0.0)
        d = d + alpha * p
        r = r - alpha * ap
        rr_new = dot(r, r)
        beta = tf.where(active & (rr > 0), rr_new / tf.where(rr > 0, rr, 1.0), 0.0)
        p = r + beta * p
        return i + 1, d, r, p, tf.where(active, rr_new, rr)

    zero = tf.zeros_like(b)
    used, d, _, _, rr = tf.while_loop(
        not_done, step, (tf.constant(0), zero, b, b, bb), maximum_iterations=iterations
    )
    filled = g + d
    if clip:
        filled = tf.clip_by_value(filled, -1.0, 1.0)
    blended = tf.where(known_px, y, filled)
    if not return_info:
        return blended
    residual = tf.sqrt(tf.where(bb > 0, rr / tf.where(bb > 0, bb, 1.0), 0.0))
    return blended, {"iterations": used, "residual": residual[:, 0, 0, :]}
