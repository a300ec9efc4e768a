"""Checking the HR/LR pairs of a super-resolution dataset, and its manifest (Ledig et al. 2017, Sec. 3.2).

The paper's LR images are MATLAB's ``imresize(hr, 1/scale)`` (bicubic, antialiased) of the HR image,
and the benchmark convention (DIV2K's ``*_LR_bicubic``, the EDSR ``benchmark.tar``) first crops the HR
image at its top-left corner to a multiple of ``scale``. So the LR partner ``<name>x<scale>.png`` of
an ``H x W`` HR image ``<name>.png`` must be ``floor(H / scale) x floor(W / scale)``; a mismatch means
the wrong scale or a broken file, and a model trained or scored on it would be silently wrong.

Image sizes are read from the file headers and each file is checked for truncation with PIL's
``verify`` (about 1 ms per 2K PNG), so checking DIV2K takes seconds, not the minutes decoding would.
"""

import json
import os
import pathlib
import sys

import numpy as np

from data_scripts._archives import say

HR_EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp")
LISTED = 10  # problems listed by name in the manifest and in messages; the rest are counted


def image_size(path):
    """``(height, width)`` of an image file; raises ``OSError``/``SyntaxError`` if it is broken."""
    from PIL import Image

    with Image.open(path) as image:
        width, height = image.size
        image.verify()
    return height, width


def lr_size(hr_size, scale):
    """LR ``(height, width)`` of an HR image after cropping it to a multiple of ``scale``."""
    return hr_size[0] // scale, hr_size[1] // scale


def make_lr(hr_path, lr_path, scale):
    """Write the LR image of ``hr_path`` (modcrop, then MATLAB bicubic ``1/scale``) as an 8-bit PNG."""
    from PIL import Image

    from gan_papers.common.imresize import downscale
    from gan_papers.common.ranges import unit_to_uint8

    with Image.open(hr_path) as image:
        grey = image.mode in ("1", "L", "I", "I;16", "F")
        hr = np.asarray(image.convert("L" if grey else "RGB"))
    if grey:
        hr = hr[:, :, None]
    height, width = lr_size(hr.shape, scale)
    if height == 0 or width == 0:
        raise ValueError(
            f"HR image {hr_path} ({hr.shape[0]}x{hr.shape[1]}) is smaller than scale={scale}."
        )
    hr = hr[: height * scale, : width * scale].astype(np.float64) / 255.0
    lr = unit_to_uint8(downscale(hr, scale))
    lr_path = pathlib.Path(lr_path)
    lr_path.parent.mkdir(parents=True, exist_ok=True)
    temp = lr_path.with_name(f".{lr_path.name}.tmp")
    Image.fromarray(lr[:, :, 0] if grey else lr).save(temp, format="PNG")
    os.replace(temp, lr_path)


def _short(items):
    return items[:LISTED] + ([f"... and {len(items) - LISTED} more"] if len(items) > LISTED else [])


def check_pairs(hr_dir, lr_dir, scale, make_missing=False, root=None):
    """Check every HR image of ``hr_dir`` against its LR partner ``lr_dir/<name>x<scale>.png``.

    With ``make_missing``, a missing LR image is computed with ``make_lr`` instead of reported.
    Returns the manifest entry: counts, and the names of missing, wrongly sized or unreadable files
    (the first ``LISTED`` problems by name). Paths are relative to ``root`` when given.
    """
    hr_dir, lr_dir = pathlib.Path(hr_dir), pathlib.Path(lr_dir)
    if not hr_dir.is_dir():
        raise ValueError(
            f"HR folder {hr_dir} does not exist: it was not in the archive, or it was deleted after "
            "extraction (run again with --force to extract the archives again)."
        )
    hr_files = sorted(p for p in hr_dir.iterdir() if p.suffix.lower() in HR_EXTENSIONS)
    missing, wrong_size, unreadable = [], [], []
    pairs = generated = 0
    for hr_path in hr_files:
        lr_path = lr_dir / f"{hr_path.stem}x{scale}.png"
        try:
            hr_size = image_size(hr_path)
        except (OSError, SyntaxError) as error:
            unreadable.append(f"{hr_path.name} ({error})")
            continue
        if not lr_path.exists():
            if not make_missing:
                missing.append(lr_path.name)
                continue
            make_lr(hr_path, lr_path, scale)
            generated += 1
        try:
            size = image_size(lr_path)
        except (OSError, SyntaxError) as error:
            unreadable.append(f"{lr_path.name} ({error})")
            continue
        expected = lr_size(hr_size, scale)
        if size != expected:
            wrong_size.append(
                f"{lr_path.name} is {size[0]}x{size[1]}, expected {expected[0]}x{expected[1]} "
                f"(HR {hr_size[0]}x{hr_size[1]} / {scale})"
            )
            continue
        pairs += 1

    def shown(path):
        return str(path.relative_to(root)) if root is not None else str(path)

    return {
        "hr_dir": shown(hr_dir),
        "lr_dir": shown(lr_dir),
        "hr_images": len(hr_files),
        "pairs": pairs,
        "lr_generated": generated,
        "missing_lr": len(missing),
        "wrong_size_lr": len(wrong_size),
        "unreadable": len(unreadable),
        "problems": _short(missing + wrong_size + unreadable),
    }


def pairs_entry(root, hr_dir, lr_dir, scale, expected, make_missing=False):
    """The manifest entry of one split or set: ``check_pairs`` of ``hr_dir`` (under ``root``) against
    ``lr_dir`` at ``scale``, with the ``expected`` number of HR images beside the one found."""
    entry = check_pairs(root / hr_dir, root / lr_dir, scale, make_missing, root=root)
    return {
        "hr_dir": entry.pop("hr_dir"),
        "hr_images": entry.pop("hr_images"),
        "expected_hr_images": expected,
        "lr": {f"X{scale}": entry},
    }


def problems(entry):
    """Number of HR images without a usable LR partner in a ``check_pairs`` entry."""
    return entry["missing_lr"] + entry["wrong_size_lr"] + entry["unreadable"]


def update_manifest(path, update):
    """Merge ``update`` into the JSON manifest at ``path`` (nested dicts merge) and write it atomically.

    Merging keeps what runs at other scales wrote: ``--scale 2`` then ``--scale 4`` lists both.
    """
    path = pathlib.Path(path)
    manifest = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}

    def merge(into, new):
        for key, value in new.items():
            if isinstance(value, dict) and isinstance(into.get(key), dict):
                merge(into[key], value)
            else:
                into[key] = value

    merge(manifest, update)
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(temp, path)
    return manifest


def report_pairs(name, entry, scale):
    """Print one split's HR/LR summary; return 1 if some HR image lacks a usable LR image, else 0."""
    lr = entry["lr"][f"X{scale}"]
    say(
        f"{name}: {entry['hr_images']} HR images (expected {entry['expected_hr_images']}), "
        f"{lr['pairs']} with a valid x{scale} LR image ({lr['lr_generated']} computed)."
    )
    if not problems(lr):
        return 0
    print(
        f"error: {problems(lr)} {name} HR image(s) lack a usable LR image: "
        f"{'; '.join(lr['problems'])}. Run with --make-lr to compute missing ones.",
        file=sys.stderr,
    )
    return 1
