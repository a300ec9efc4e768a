"""Poisson blending of a batch (Yeh et al. 2017, Section 3.3): our batched solver vs scipy vs OpenCV.

For 64 images of 64x64x3 (by default) with centre masks and random-pattern masks, times one batch for

- ``poisson_blend`` eagerly, and inside ``tf.function(jit_compile=True)`` (compile time apart);
- scipy's sparse direct solve, one image at a time (one LU factorisation per image, one solve per
  channel): the exact reference every error is measured against;
- OpenCV's ``cv2.seamlessClone`` (``NORMAL_CLONE``), one image at a time, on uint8 images.

OpenCV does not solve the same discrete problem, and the table shows by how much. Its solver (read in
OpenCV's ``seamless_cloning_impl.cpp``, behaviour checked with OpenCV 5.0) works on the mask's bounding
box and holds that box's outermost pixels at the destination; it first erodes the mask by three pixels
(a 3x3 kernel, three times) and takes forward-difference gradients, the source's where the eroded mask
is set and the destination's elsewhere, so the edge between a hole and its known neighbour above or to
the left is guided by the destination; it reads and writes 8-bit images and truncates its output.
Pixels on the image's outermost rows and columns are never filled. We give it the hole dilated by
``OPENCV_DILATION`` = 3 pixels (its erosion then gives back a rectangular hole; of dilations 0 to 5 this
had the smallest error on these images), and run it only where that dilated hole stays off the image
border: every centre mask, and almost never a random pattern.

The images are smooth random fields (the known image y) and, for G(z), y plus another smooth field and
a colour offset per image and channel, so that blending has colours to fix.

    python -m benchmarks.poisson_blend [--batch 64] [--size 64] [--out FILE.json]
"""

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import scipy.sparse  # noqa: E402
import scipy.sparse.linalg  # noqa: E402
import tensorflow as tf  # noqa: E402
from scipy import ndimage  # noqa: E402

from benchmarks._common import machine, print_table, time_call, write_json  # noqa: E402
from gan_papers.common.masks import make_masks  # noqa: E402
from gan_papers.common.ranges import signed_to_uint8, uint8_to_signed  # noqa: E402
from gan_papers.inpainting.blending import poisson_blend  # noqa: E402


def make_images(batch, size, seed=0):
    """Smooth known images y in [-0.7, 0.7] and a 'generated' G(z) that differs in content and colour."""
    rng = np.random.default_rng(seed)

    def smooth():
        field = ndimage.gaussian_filter(rng.standard_normal((batch, size, size, 3)), (0, 3, 3, 0))
        return field / np.abs(field).max(axis=(1, 2, 3), keepdims=True)

    known = 0.7 * smooth()
    offset = rng.uniform(-0.15, 0.15, (batch, 1, 1, 3))
    generated = np.clip(known + 0.15 * smooth() + offset, -1, 1)
    return generated.astype(np.float32), known.astype(np.float32)


def scipy_blend(generated, known, masks):
    """Exact solve of the discrete Poisson equation per image (shared LU) and channel, in float64."""
    out = np.array(known, dtype=np.float64)
    steps = ((-1, 0), (1, 0), (0, -1), (0, 1))
    for g, y, mask, x in zip(generated.astype(np.float64), known, masks, out, strict=True):
        hole = mask[..., 0] == 0
        height, width = hole.shape
        index = np.full(hole.shape, -1)
        index[hole] = np.arange(hole.sum())
        rows, cols = np.nonzero(hole)
        diagonal = np.zeros(rows.size)
        rhs = np.zeros((rows.size, g.shape[-1]))
        entries_r, entries_c = [], []
        for di, dj in steps:
            qi, qj = rows + di, cols + dj
            inside = (qi >= 0) & (qi < height) & (qj >= 0) & (qj < width)
            p, qi, qj = np.nonzero(inside)[0], qi[inside], qj[inside]
            diagonal[p] += 1
            rhs[p] += g[rows[p], cols[p]] - g[qi, qj]
            in_hole = hole[qi, qj]
            rhs[p[~in_hole]] += y[qi[~in_hole], qj[~in_hole]]
            entries_r.append(p[in_hole])
            entries_c.append(index[qi[in_hole], qj[in_hole]])
        matrix = scipy.sparse.csc_matrix(
            (
                np.concatenate([diagonal, -np.ones(sum(e.size for e in entries_r))]),
                (
                    np.concatenate([np.arange(rows.size), *entries_r]),
                    np.concatenate([np.arange(rows.size), *entries_c]),
                ),
            ),
            shape=(rows.size, rows.size),
        )
        solve = scipy.sparse.linalg.factorized(matrix)
        x[hole] = np.stack([solve(rhs[:, c]) for c in range(g.shape[-1])], axis=-1)
    return out


OPENCV_DILATION = 3


def opencv_applies(mask):
    """The hole dilated by ``OPENCV_DILATION`` pixels, and whether that stays off the image border."""
    dilated = ndimage.binary_dilation(mask[..., 0] == 0, iterations=OPENCV_DILATION)
    inner = np.zeros_like(dilated)
    inner[1:-1, 1:-1] = True
    return dilated, bool(dilated.any() and not (dilated & ~inner).any())


def opencv_blend(generated, known, masks):
    """``cv2.seamlessClone`` per image where it applies; ``None`` where it does not."""
    import cv2

    results = []
    for g, y, mask in zip(generated, known, masks, strict=True):
        dilated, ok = opencv_applies(mask)
        if not ok:
            results.append(None)
            continue
        rows, cols = np.nonzero(dilated)
        top, left = rows.min(), cols.min()
        height, width = rows.max() + 1 - top, cols.max() + 1 - left
        # seamlessClone places the mask's bounding box centred at this point of the destination.
        centre = (int(left + width // 2), int(top + height // 2))
        blended = cv2.seamlessClone(
            signed_to_uint8(g),
            signed_to_uint8(y),
            dilated.astype(np.uint8) * 255,
            centre,
            cv2.NORMAL_CLONE,
        )
        results.append(uint8_to_signed(blended))
    return results


def cv2_version():
    import cv2

    return cv2.__version__


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=3, help="timed calls per method")
    parser.add_argument("--out", default="benchmarks/results/poisson_blend.json")
    args = parser.parse_args(argv)

    generated, known = make_images(args.batch, args.size)
    g_t, y_t = tf.constant(generated), tf.constant(known)
    rows = []
    for kind in ("center", "random_pattern"):
        masks = make_masks(kind, args.size, args.batch, seed=0)
        m_t = tf.constant(masks)
        exact = scipy_blend(generated, known, masks)

        def row(method, seconds, error, applies=args.batch, iterations="", kind=kind):
            per_image = round(seconds / applies * 1e3, 3) if applies else "n/a"
            return {
                "mask": kind,
                "method": method,
                "images": applies,
                "batch_s": round(seconds, 4),
                "ms_per_image": per_image,
                "max_abs_error": f"{error:.2e}" if error is not None else "n/a",
                "cg_iterations": iterations,
            }

        seconds, _ = time_call(lambda m=masks: scipy_blend(generated, known, m), 1, args.repeats)
        rows.append(row("scipy sparse LU (reference)", seconds, 0.0))

        def eager(m=m_t):
            return poisson_blend(g_t, y_t, m, clip=False, return_info=True)

        seconds, _ = time_call(lambda: eager()[0].numpy(), 1, args.repeats)
        out, info = eager()
        rows.append(
            row(
                "poisson_blend eager",
                seconds,
                np.abs(out.numpy() - exact).max(),
                iterations=int(info["iterations"]),
            )
        )

        jitted = tf.function(
            lambda g, y, m: poisson_blend(g, y, m, clip=False, return_info=True),
            jit_compile=True,
        )
        start = time.perf_counter()
        out, info = jitted(g_t, y_t, m_t)
        out.numpy()
        compile_s = time.perf_counter() - start
        seconds, _ = time_call(lambda m=m_t, f=jitted: f(g_t, y_t, m)[0].numpy(), 1, args.repeats)
        rows.append(
            row(
                f"poisson_blend XLA (1st call {compile_s:.1f} s)",
                seconds,
                np.abs(out.numpy() - exact).max(),
                iterations=int(info["iterations"]),
            )
        )

        cloned = opencv_blend(generated, known, masks)
        applies = [i for i, c in enumerate(cloned) if c is not None]
        if applies:
            seconds, _ = time_call(
                lambda m=masks: opencv_blend(generated, known, m), 1, args.repeats
            )
            error = max(np.abs(cloned[i] - exact[i]).max() for i in applies)
        else:
            seconds, error = 0.0, None
        rows.append(row("cv2.seamlessClone NORMAL_CLONE, uint8", seconds, error, len(applies)))

    print(f"Poisson blending, {args.batch} images of {args.size}x{args.size}x3, CPU")
    print_table(rows, list(rows[0]))
    write_json(
        {
            "machine": machine(),
            "batch": args.batch,
            "size": args.size,
            "tensorflow": tf.__version__,
            "opencv": cv2_version(),
            "opencv_dilation": OPENCV_DILATION,
            "rows": rows,
        },
        args.out,
    )


if __name__ == "__main__":
    main()
