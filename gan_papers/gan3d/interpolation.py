"""Exploring G's latent space (Wu et al. 2016, Section 5, analysing the learned representations).

- Interpolation: G((1 - t) z0 + t z1) for t from 0 to 1; the shapes change smoothly from one
  object to the other.
- Shape arithmetic: G(z_a - z_b + z_c), e.g. a chair with arms minus one without plus a table
  The paper also does arithmetic on latent vectors found for existing shapes.
"""

import keras
import numpy as np

from gan_papers.common.validation import check_positive_int
from gan_papers.gan3d.voxels import to_numpy


def _codes(generator, z, name):
    latent_dim = int(generator.input_shape[-1])
    z = np.asarray(to_numpy(z), dtype="float32")
    if z.shape == (1, latent_dim):
        z = z[0]
    if z.shape != (latent_dim,):
        raise ValueError(
            f"`{name}` must be one code of the generator's latent_dim, shape ({latent_dim},); "
            f"received shape {z.shape}."
        )
    if not np.all(np.isfinite(z)):
        raise ValueError(f"`{name}` contains NaN or infinite values.")
    return z


def _generate(generator, codes, batch_size=16):
    chunks = [
        to_numpy(generator(keras.ops.convert_to_tensor(codes[i : i + batch_size]), training=False))
        for i in range(0, len(codes), batch_size)
    ]
    return np.concatenate(chunks).astype("float32")


def interpolate(generator, z0, z1, steps=8):
    """Shapes along the line from z0 to z1: G((1 - t) z0 + t z1), t = 0, 1/(steps-1), ..., 1.

    Args:
        generator: a trained ``build_generator`` model.
        z0, z1: codes (latent_dim,) (or (1, latent_dim)).
        steps: how many shapes, both ends included (>= 2).

    Returns:
        NumPy occupancy probabilities (steps, R, R, R, 1); G runs in inference mode.
    """
    steps = check_positive_int(steps, "steps")
    if steps < 2:
        raise ValueError(f"`steps` must be >= 2 (both ends are included); received {steps}.")
    z0, z1 = _codes(generator, z0, "z0"), _codes(generator, z1, "z1")
    t = np.linspace(0.0, 1.0, steps, dtype="float32")[:, None]
    return _generate(generator, (1.0 - t) * z0 + t * z1)


def shape_arithmetic(generator, z_a, z_b, z_c):
    """G(z_a - z_b + z_c) with the three inputs: NumPy (4, R, R, R, 1): G(z_a), G(z_b), G(z_c) and
    the result (one row of the paper's shape-arithmetic figure)."""
    z_a, z_b, z_c = (_codes(generator, z, n) for z, n in ((z_a, "z_a"), (z_b, "z_b"), (z_c, "z_c")))
    return _generate(generator, np.stack([z_a, z_b, z_c, z_a - z_b + z_c]))
