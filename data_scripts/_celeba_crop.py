"""Cropping and resizing CelebA's faces for ``data_scripts.celeba``: the crops and ``prepare``.

``CROPS`` holds the centred square each image size takes from the 178x218 aligned image (see the
script's docstring for whose crop each is); ``prepare`` reads the official partition list, then
crops, area-averages and writes one PNG per listed image into ``prepared_<size>/<split>/`` (in
worker processes, resumable, atomic per file) and writes the manifest.
"""

import dataclasses
import json
import multiprocessing
import os
import pathlib
from concurrent.futures import ProcessPoolExecutor

import numpy as np
from tqdm.auto import tqdm

from data_scripts._celeba_files import IMAGE_FOLDER, PARTITION, SPLITS, read_partition
from data_scripts._images import area_resize, remove_stale_temps, write_png, write_replacing

SOURCE_SIZE = (218, 178)  # height, width of every aligned-and-cropped image
LISTED = 10  # problems listed by name; the rest are counted


@dataclasses.dataclass(frozen=True)
class Crop:
    """A centred square of ``side`` pixels, resized to ``size``; ``reference`` says whose crop it is."""

    size: int
    side: int
    reference: str

    def box(self, height=SOURCE_SIZE[0], width=SOURCE_SIZE[1]):
        """``(top, left)`` of the square in a ``height`` x ``width`` image."""
        return (height - self.side) // 2, (width - self.side) // 2

    def describe(self):
        """The crop in the 178x218 image, in words."""
        top, left = self.box()
        return (
            f"centre {self.side}x{self.side} (rows {top}-{top + self.side - 1}, columns "
            f"{left}-{left + self.side - 1}) -> {self.size}x{self.size}"
        )


CROPS = {
    64: Crop(64, 108, "Yeh et al. 2017, via the DCGAN code"),
    128: Crop(128, 178, "Li et al. 2017 state no crop: ours"),
}


def prepared_folder(data_dir, size):
    """``<data_dir>/celeba/prepared_<size>``, the folder ``gan_papers.data.celeba_dataset`` reads."""
    return pathlib.Path(data_dir) / "celeba" / f"prepared_{size}"


# --------------------------------------------------------------------------------------------
# Crop and resize
# --------------------------------------------------------------------------------------------


def crop_and_resize(image, crop):
    """The ``crop`` of a uint8 HxWx3 image: its centred ``crop.side`` square at ``crop.size``."""
    height, width = image.shape[:2]
    if height < crop.side or width < crop.side:
        raise ValueError(f"image is {height}x{width}, smaller than the {crop.side}-pixel crop")
    top, left = crop.box(height, width)
    return area_resize(image[top : top + crop.side, left : left + crop.side], crop.size)


def prepare_image(task):
    """One image: ``(source, target, size)`` -> ``(status, detail)``; run in worker processes."""
    from PIL import Image

    source, target, size = task
    if not os.path.exists(source):
        return "missing", pathlib.Path(source).name
    try:
        with Image.open(source) as image:
            pixels = np.asarray(image.convert("RGB"))
        write_png(crop_and_resize(pixels, CROPS[size]), target)
    # PIL raises OSError (truncated file), SyntaxError or ValueError for damaged images.
    except (OSError, SyntaxError, ValueError) as error:
        return "unreadable", f"{pathlib.Path(source).name} ({type(error).__name__}: {error})"
    return "written", None


def _write_json(path, data):
    text = json.dumps(data, indent=2, sort_keys=True) + "\n"
    write_replacing(path, lambda temp: pathlib.Path(temp).write_text(text, encoding="utf-8"))


def _run_tasks(tasks, workers, progress, description):
    """``prepare_image`` over ``tasks``, in ``workers`` processes, yielding results in order."""
    bar = tqdm(total=len(tasks), desc=description, unit="img", disable=not progress)
    with bar:
        if workers == 1 or len(tasks) < 2:
            for task in tasks:
                yield prepare_image(task)
                bar.update()
            return
        # "spawn" starts clean interpreters: a fork of a process that already runs TensorFlow
        # threads (a notebook, a test session) could deadlock in the child.
        context = multiprocessing.get_context("spawn")
        chunk = max(1, min(256, len(tasks) // (4 * workers)))
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            for result in pool.map(prepare_image, tasks, chunksize=chunk):
                yield result
                bar.update()


def prepare(data_dir, size, limit=None, workers=1, force=False, progress=True, sources=None):
    """Crop and resize the listed images into ``prepared_<size>/<split>/``; return the manifest.

    Args:
        data_dir: the data folder holding ``celeba/img_align_celeba/`` and ``celeba/list_eval_partition.txt``.
        size: 64 or 128, a key of ``CROPS``.
        limit: prepare only the first ``limit`` images of each split (None: all).
        workers: processes that decode, crop and write images.
        force: write every image again, even those already there.
        progress: show a tqdm progress bar.
        sources: the archives' SHA-256 digests, recorded in the manifest.
    """
    root = pathlib.Path(data_dir) / "celeba"
    crop = CROPS[size]
    folder = prepared_folder(data_dir, size)
    partition = read_partition(root / PARTITION)
    tasks, splits = [], {}
    for split, names in partition.items():
        names = names if limit is None else names[:limit]
        out = folder / split
        out.mkdir(parents=True, exist_ok=True)
        remove_stale_temps(out)
        present = 0
        for name in names:
            target = out / f"{pathlib.Path(name).stem}.png"
            if target.exists() and not force:
                present += 1
            else:
                tasks.append((split, (str(root / IMAGE_FOLDER / name), str(target), size)))
        splits[split] = {"listed": len(names), "already_there": present, "written": 0}
        splits[split].update({"missing": 0, "unreadable": 0, "problems": []})

    results = _run_tasks([task for _, task in tasks], workers, progress, f"celeba {size}px")
    for (split, _), (status, detail) in zip(tasks, results, strict=True):
        splits[split][status] += 1
        if detail is not None and len(splits[split]["problems"]) < LISTED:
            splits[split]["problems"].append(detail)

    for split, entry in splits.items():
        # What a loader will find: every PNG in the folder, from this run or an earlier one.
        entry["images"] = sum(1 for _ in (folder / split).glob("*.png"))
        entry["official_images"] = SPLITS[split]
    top, left = crop.box()
    manifest = {
        "dataset": "CelebA, aligned and cropped (Liu et al., ICCV 2015)",
        "size": size,
        "crop": {
            "source_image": f"{SOURCE_SIZE[1]}x{SOURCE_SIZE[0]} (width x height)",
            "description": crop.describe(),
            "top": top,
            "left": left,
            "side": crop.side,
            "reference": crop.reference,
        },
        "resize": f"area average to {size}x{size}, rounded to 8 bits",
        "limit": limit,
        "sources": sources or {},
        "splits": splits,
    }
    _write_json(folder / "manifest.json", manifest)
    return manifest
