"""Whole-image (LR, HR) pairs for evaluating super-resolution (Ledig et al. 2017, Sections 3.1-3.2).

The paper measures on Set5, Set14 and BSD100, whose LR images were made with MATLAB's
``imresize(hr, 1/4)`` (antialiased bicubic) from the HR image cropped to a multiple of the scale.
Every function here follows that benchmark convention:

- the HR image is cropped at its top-left corner to a multiple of ``scale`` (the crop drops the last
  rows and columns, as MATLAB's ``modcrop`` does);
- the LR image is read from the dataset's LR file or, without one, computed from that HR crop with
  the MATLAB-compatible ``gan_papers.common.imresize.downscale`` and stored to 8 bits, exactly what an
  LR PNG file holds;
- ``max_size`` optionally keeps only a centred window of the HR image (at most ``max_size`` pixels per
  side, aligned to ``scale``) and the LR pixels that cover it, so that CPU evaluation stays quick.
  The LR image is computed before this crop, so its border pixels are those of the full image.

Each pair is ``(name, lr, hr)``: LR float32 HxWx3 in [0, 1] (the generator's input range in the
paper) and HR float32 (scale*H)x(scale*W)x3 in [-1, 1], ready for ``gan_papers.srgan.evaluate_sr``.
"""

import pathlib

import numpy as np

from gan_papers.common.imresize import downscale
from gan_papers.common.ranges import uint8_to_signed, uint8_to_unit, unit_to_uint8
from gan_papers.common.validation import check_positive_int
from gan_papers.data.image_folder import SkippedFiles, list_images, read_image
from gan_papers.data.photos import builtin_photos

BENCHMARKS = ("Set5", "Set14", "B100", "Urban100")
# The paper calls it BSD100; the EDSR benchmark archive (and data_scripts) names its folder B100.
_BENCHMARK_ALIASES = {"BSD100": "B100"}


def _check_max_size(max_size, scale):
    if max_size is None:
        return None
    max_size = check_positive_int(max_size, "max_size")
    if max_size < scale:
        raise ValueError(
            f"`max_size` must be at least scale={scale} (one LR pixel) or None; received {max_size}."
        )
    return max_size


def modcrop(image, scale):
    """Crop an HxWx... array at its top-left corner so that H and W are multiples of ``scale``."""
    height, width = image.shape[:2]
    return image[: height - height % scale, : width - width % scale]


def bicubic_lr(hr_uint8, scale):
    """LR uint8 image made from an HR uint8 image (a multiple of ``scale``) by MATLAB bicubic."""
    lr = downscale(uint8_to_unit(hr_uint8).astype(np.float64), scale)
    return unit_to_uint8(lr)


def _centre_window(size, side, scale):
    """Start of a centred window of ``side`` pixels in ``size``, on a multiple of ``scale``."""
    if size <= side:
        return 0, size
    start = (size - side) // 2 // scale * scale
    return start, start + side


def make_pair(name, hr_uint8, scale=4, max_size=None, lr_uint8=None):
    """One evaluation pair ``(name, lr, hr)`` from uint8 images (see the module docstring).

    ``lr_uint8``, when given, must be the LR image of the modcropped HR image (H/scale x W/scale);
    otherwise it is computed with MATLAB bicubic.
    """
    scale = check_positive_int(scale, "scale")
    max_size = _check_max_size(max_size, scale)
    hr_uint8 = np.asarray(hr_uint8)
    if hr_uint8.ndim != 3 or hr_uint8.shape[-1] != 3 or hr_uint8.dtype != np.uint8:
        raise ValueError(
            f"`hr_uint8` of {name!r} must be a uint8 HxWx3 array; received dtype {hr_uint8.dtype}, "
            f"shape {hr_uint8.shape}."
        )
    hr_uint8 = modcrop(hr_uint8, scale)
    if hr_uint8.shape[0] == 0 or hr_uint8.shape[1] == 0:
        raise ValueError(
            f"Image {name!r} is smaller than scale={scale} pixels; it has no LR image."
        )
    lr_shape = (hr_uint8.shape[0] // scale, hr_uint8.shape[1] // scale, 3)
    if lr_uint8 is None:
        lr_uint8 = bicubic_lr(hr_uint8, scale)
    elif np.shape(lr_uint8) != lr_shape:
        raise ValueError(
            f"`lr_uint8` of {name!r} must have shape {lr_shape} (HR {hr_uint8.shape} / {scale}); "
            f"received {np.shape(lr_uint8)}."
        )
    if max_size is not None:
        side = max_size - max_size % scale
        top, bottom = _centre_window(hr_uint8.shape[0], side, scale)
        left, right = _centre_window(hr_uint8.shape[1], side, scale)
        hr_uint8 = hr_uint8[top:bottom, left:right]
        lr_uint8 = lr_uint8[top // scale : bottom // scale, left // scale : right // scale]
    return name, uint8_to_unit(lr_uint8), uint8_to_signed(hr_uint8).astype(np.float32)


def heldout_pairs(scale=4, split="heldout", max_size=None):
    """Evaluation pairs ``(name, lr, hr)`` of the built-in photos of ``split`` (LR by MATLAB bicubic).

    Args:
        scale: the upscaling factor (a positive integer; the paper's is 4).
        split: ``"heldout"`` (default), ``"train"`` or ``"all"``, as in ``builtin_photos``.
        max_size: keep a centred HR window of at most this many pixels per side (None: whole photo).
    """
    scale = check_positive_int(scale, "scale")
    max_size = _check_max_size(max_size, scale)
    return [make_pair(name, photo, scale, max_size) for name, photo in builtin_photos(split)]


def _lr_file(lr_dir, stem, scale):
    for suffix in (".png", ".PNG", ".jpg", ".jpeg", ".bmp"):
        candidate = lr_dir / f"{stem}x{scale}{suffix}"
        if candidate.is_file():
            return candidate
    raise ValueError(
        f"LR file for HR image {stem!r} not found: expected {lr_dir / f'{stem}x{scale}.png'}."
    )


def sr_folder_pairs(hr_dir, lr_dir=None, scale=4, max_size=None):
    """Evaluation pairs ``(name, lr, hr)`` from a folder of HR images, sorted by file name.

    Args:
        hr_dir: folder of HR ``.png`` / ``.jpg`` files; ``name`` is the file name without extension.
        lr_dir: folder of the matching LR files ``<name>x<scale>.png`` (the DIV2K and EDSR benchmark
            naming), or None to compute each LR image with MATLAB bicubic.
        scale: the upscaling factor.
        max_size: keep a centred HR window of at most this many pixels per side (None: whole image).

    An unreadable HR or LR file skips its pair; the skipped files are reported in one warning.
    Raises ``ValueError`` for a missing or empty folder, a missing LR file, an LR file whose size
    is not the (modcropped) HR size divided by ``scale``, or when no pair could be read.
    """
    scale = check_positive_int(scale, "scale")
    max_size = _check_max_size(max_size, scale)
    hr_files = list_images(hr_dir, layout="a folder of HR .png / .jpg images")
    if lr_dir is not None:
        lr_dir = pathlib.Path(lr_dir)
        list_images(lr_dir, layout=f"a folder of LR images named <HR name>x{scale}.png")
    skipped = SkippedFiles("image")
    pairs = []
    for hr_file in hr_files:
        lr_file = None if lr_dir is None else _lr_file(lr_dir, hr_file.stem, scale)
        try:
            hr = read_image(hr_file)
        except (OSError, SyntaxError, ValueError) as error:
            skipped.add(hr_file, error)
            continue
        lr = None
        if lr_file is not None:
            try:
                lr = read_image(lr_file)
            except (OSError, SyntaxError, ValueError) as error:
                skipped.add(lr_file, error)
                continue
            expected = (hr.shape[0] // scale, hr.shape[1] // scale, 3)
            if lr.shape != expected:
                raise ValueError(
                    f"LR file {lr_file} has size {lr.shape[0]}x{lr.shape[1]}; expected "
                    f"{expected[0]}x{expected[1]} (HR {hr_file.name} is {hr.shape[0]}x{hr.shape[1]}, "
                    f"scale {scale})."
                )
        pairs.append(make_pair(hr_file.stem, hr, scale, max_size, lr))
    skipped.warn()
    if not pairs:
        raise ValueError(f"No readable image pair in `{hr_dir}` ({len(skipped)} unreadable files).")
    return pairs


def benchmark_pairs(data_dir, name="Set5", scale=4, max_size=None):
    """Evaluation pairs of an SR benchmark (Set5, Set14, BSD100 = ``B100``, Urban100).

    Reads the layout that ``python -m data_scripts.sr_benchmarks --data-dir <data_dir>`` writes
    (that of the EDSR ``benchmark.tar``)::

        <data_dir>/benchmark/<name>/HR/<image>.png
        <data_dir>/benchmark/<name>/LR_bicubic/X<scale>/<image>x<scale>.png

    The shipped LR files (made with MATLAB) are used; without an ``LR_bicubic/X<scale>`` folder the LR
    images are computed with the MATLAB-compatible bicubic, which gives the same images.
    """
    scale = check_positive_int(scale, "scale")
    folder = _BENCHMARK_ALIASES.get(name, name)
    if folder not in BENCHMARKS:
        raise ValueError(
            f"`name` must be one of {list(BENCHMARKS) + list(_BENCHMARK_ALIASES)}; received {name!r}."
        )
    root = pathlib.Path(data_dir) / "benchmark" / folder
    hr_dir = root / "HR"
    lr_dir = root / "LR_bicubic" / f"X{scale}"
    if not hr_dir.is_dir():
        raise ValueError(
            f"`{hr_dir}` does not exist; expected {root}/HR/<image>.png and "
            f"{root}/LR_bicubic/X{scale}/<image>x{scale}.png, as written by "
            f"`python -m data_scripts.sr_benchmarks --data-dir {data_dir}`."
        )
    return sr_folder_pairs(hr_dir, lr_dir if lr_dir.is_dir() else None, scale, max_size)
