"""The image and file helpers the dataset scripts share when they prepare a dataset.

Area-average resizing (``area_resize``: every output pixel is the mean of the input area it covers,
with fractional weights at its edges, like OpenCV's ``INTER_AREA``), and atomic writing for folders
that several runs may fill at once: ``write_replacing`` writes a file under a unique temporary name
``.<name>.<random>.tmp`` next to it, then renames it (``write_png`` for images), and
``remove_stale_temps`` deletes the temporary files an interrupted run left behind.
"""

import os
import pathlib
import tempfile
import time

import numpy as np

TEMP_SUFFIX = ".tmp"
STALE_TEMP_S = 60.0  # a temporary file older than this belongs to no running process


def _area_average_axis(x, size, axis):
    """Area average of the float array ``x`` along ``axis``, down to ``size`` samples.

    Pixel ``j`` covers ``[j, j + 1)`` and output pixel ``i`` covers ``[i * s, (i + 1) * s)`` with
    ``s = n / size``. The integral of the pixels from 0 to a position ``t`` is the running sum of the
    whole pixels before ``t`` plus the covered fraction of the pixel ``t`` falls in, so each output
    pixel is a difference of two such integrals divided by ``s``: exact, with no weight matrix.
    """
    x = np.moveaxis(x, axis, 0)
    n = x.shape[0]
    if not 0 < size <= n:
        raise ValueError(f"area averaging only shrinks: received {n} -> {size} pixels.")
    running = np.zeros((n + 1, *x.shape[1:]))
    np.cumsum(x, axis=0, out=running[1:])
    edges = np.arange(size + 1) * (n / size)
    pixel = np.minimum(edges.astype(np.int64), n - 1)  # the last edge, n, is the end of pixel n-1
    fraction = (edges - pixel).reshape(-1, *(1,) * (x.ndim - 1))
    integral = running[pixel] + fraction * x[pixel]
    return np.moveaxis(np.diff(integral, axis=0) / (n / size), 0, axis)


def area_resize(image, size):
    """A uint8 HxWx3 image resized to ``size`` x ``size`` by area averaging, rounded to uint8."""
    resized = _area_average_axis(image.astype(np.float64), size, 0)
    resized = _area_average_axis(resized, size, 1)
    return np.clip(np.round(resized), 0, 255).astype(np.uint8)


def write_replacing(target, write):
    """Call ``write(temp)`` on a unique temporary name next to ``target``, then rename it to ``target``.

    The temporary file is deleted if ``write`` fails, so ``target`` is never half-written and runs
    writing the same file at once do not collide.
    """
    target = pathlib.Path(target)
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=TEMP_SUFFIX)
    os.close(fd)
    try:
        write(temp)
        os.replace(temp, target)
    except BaseException:
        pathlib.Path(temp).unlink(missing_ok=True)
        raise


def write_png(array, target):
    """Write a uint8 image to ``target`` under a unique temporary name, then rename it."""
    from PIL import Image

    write_replacing(target, lambda temp: Image.fromarray(array).save(temp, format="PNG"))


def remove_stale_temps(folder, age_s=STALE_TEMP_S):
    """Delete temporary PNGs left by an interrupted run (not those of a run still going)."""
    now = time.time()
    for temp in folder.glob(f".*{TEMP_SUFFIX}"):
        try:
            if now - temp.stat().st_mtime > age_s:
                temp.unlink()
        except FileNotFoundError:
            pass  # another run removed or renamed it meanwhile
