"""Preparing Helen's faces for ``data_scripts.helen``: the split lists, one face, all faces.

``read_split_list`` reads one of the paper's lists; ``prepare_face`` merges one face's 11 class
maps into a label map, crops the square around the face and resizes photo and labels;
``prepare`` does so for every listed face into ``prepared_<size>/<split>/{images,labels}/`` and
writes the manifest. The rules, our choices, are in the script's docstring.
"""

import json
import pathlib
import re

import numpy as np
from tqdm.auto import tqdm

from data_scripts._archives import Archive, say, write_atomic
from data_scripts._images import area_resize, remove_stale_temps, write_png
from gan_papers.data.faces import FACE_CLASSES

ARCHIVE = Archive("SmithCVPR2013_dataset_resized.zip", sha256=None, size_bytes=None)
TOP_FOLDER = "SmithCVPR2013_dataset_resized"
SPLIT_LISTS = {"train": "exemplars.txt", "valid": "tuning.txt", "test": "testing.txt"}
SPLITS = {"train": 2000, "valid": 230, "test": 100}  # faces per list in the paper
DEFAULT_SIZE = 128
DEFAULT_MARGIN = 0.1
LISTED = 10  # problems listed by name; the rest are counted
_LIST_LINE = re.compile(r"\s*(\d+)\s*,\s*(\S+)\s*")


def source_folder(data_dir):
    """``<data_dir>/helen/SmithCVPR2013_dataset_resized``: the extracted archive."""
    return pathlib.Path(data_dir) / "helen" / TOP_FOLDER


def prepared_folder(data_dir, size):
    """``<data_dir>/helen/prepared_<size>``, the folder ``gan_papers.data.helen_dataset`` reads."""
    return pathlib.Path(data_dir) / "helen" / f"prepared_{size}"


def read_split_list(path):
    """The face names of one of Helen's lists (``<index> , <name>`` per line), in the file's order."""
    path = pathlib.Path(path)
    if not path.is_file():
        raise ValueError(
            f"{path} does not exist; expected the split lists of {ARCHIVE.filename} there "
            "(run again with --force to extract the archive again)."
        )
    names = []
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
        if not line.strip():
            continue
        match = _LIST_LINE.fullmatch(line)
        if match is None:
            raise ValueError(
                f"{path}, line {number}: expected '<index> , <name>' (e.g. '1 , 100032540_1'); "
                f"received {line!r}."
            )
        names.append(match.group(2))
    return names


# --------------------------------------------------------------------------------------------
# One face: merge, crop, resize
# --------------------------------------------------------------------------------------------


def merge_labels(maps):
    """The (K, H, W) class maps -> uint8 (H, W) label map: the argmax, ties to the smaller class."""
    return np.argmax(np.asarray(maps), axis=0).astype(np.uint8)


def crop_box(labels, margin=DEFAULT_MARGIN):
    """``(top, left, side)`` of the crop square of a label map (see the module docstring)."""
    rows = np.flatnonzero(np.any(labels != 0, axis=1))
    cols = np.flatnonzero(np.any(labels != 0, axis=0))
    if rows.size == 0:
        raise Mismatch("no pixel is labelled other than background")
    height, width = labels.shape
    extent = max(rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1)
    side = int(min(round(extent * (1 + 2 * margin)), height, width))
    # The square is centred on the box; moved inside the image where it would stick out.
    top = int(np.floor((rows[0] + rows[-1] + 1 - side) / 2 + 0.5))
    left = int(np.floor((cols[0] + cols[-1] + 1 - side) / 2 + 0.5))
    return min(max(top, 0), height - side), min(max(left, 0), width - side), side


def resize_image(image, size):
    """A uint8 square HxHx3 image at ``size``: area average when shrinking, bicubic when enlarging."""
    if image.shape[0] >= size:
        return area_resize(image, size)
    from PIL import Image

    return np.asarray(Image.fromarray(image).resize((size, size), Image.Resampling.BICUBIC))


def resize_labels(labels, size):
    """A square label map at ``size`` by nearest neighbour, sampled at the output pixel centres."""
    pick = np.floor((np.arange(size) + 0.5) * (labels.shape[0] / size)).astype(np.int64)
    return labels[np.ix_(pick, pick)]


def read_face(source, name):
    """``(image uint8 HxWx3, maps uint8 KxHxW)`` of one face; raises what PIL raises, or ValueError."""
    from PIL import Image

    with Image.open(source / "images" / f"{name}.jpg") as file:
        image = np.asarray(file.convert("RGB"))
    maps = []
    for k in range(len(FACE_CLASSES)):
        path = source / "labels" / name / f"{name}_lbl{k:02d}.png"
        with Image.open(path) as file:
            maps.append(np.asarray(file.convert("L")))
        if maps[-1].shape != image.shape[:2]:
            raise Mismatch(
                f"{path.name} is {maps[-1].shape[0]}x{maps[-1].shape[1]}, the photo "
                f"{image.shape[0]}x{image.shape[1]}"
            )
    return image, np.stack(maps)


def prepare_face(source, name, out, size, margin):
    """Merge, crop and resize one face into ``out/images/<name>.png`` and ``out/labels/<name>.png``."""
    image, maps = read_face(source, name)
    labels = merge_labels(maps)
    top, left, side = crop_box(labels, margin)
    window = np.s_[top : top + side, left : left + side]
    # Labels first: a face counts as prepared once its image exists (see `prepare`).
    write_png(resize_labels(labels[window], size), out / "labels" / f"{name}.png")
    write_png(resize_image(image[window], size), out / "images" / f"{name}.png")


class Mismatch(ValueError):
    """A face whose files are readable but do not fit together (sizes), or hold no face."""


def _status(error):
    if isinstance(error, FileNotFoundError):
        return "missing"
    return "mismatched" if isinstance(error, Mismatch) else "unreadable"


# --------------------------------------------------------------------------------------------
# All faces
# --------------------------------------------------------------------------------------------


def prepare(
    data_dir,
    size=DEFAULT_SIZE,
    margin=DEFAULT_MARGIN,
    limit=None,
    force=False,
    progress=True,
    sources=None,
):
    """Prepare the faces of the three lists into ``prepared_<size>/<split>/``; return the manifest.

    Args:
        data_dir: the data folder holding ``helen/SmithCVPR2013_dataset_resized/``.
        size: side of the prepared square faces, in pixels.
        margin: crop margin on each side, as a fraction of the labelled square's side.
        limit: prepare only the first ``limit`` faces of each list (None: all).
        force: prepare every face again, even those already there.
        progress: show a tqdm progress bar.
        sources: the archive's SHA-256, recorded in the manifest.
    """
    source = source_folder(data_dir)
    folder = prepared_folder(data_dir, size)
    earlier = folder / "manifest.json"
    if earlier.exists() and not force:
        margin_before = json.loads(earlier.read_text(encoding="utf-8"))["crop"]["margin"]
        if margin_before != margin:
            # One folder must not mix two crops: prepare every face again.
            say(f"{folder} was prepared with --margin {margin_before}: preparing it all again.")
            force = True
    splits = {}
    for split, list_name in SPLIT_LISTS.items():
        names = read_split_list(source / list_name)
        names = names if limit is None else names[:limit]
        out = folder / split
        for sub in ("images", "labels"):
            (out / sub).mkdir(parents=True, exist_ok=True)
            remove_stale_temps(out / sub)
        entry = {"listed": len(names), "written": 0, "already_there": 0}
        entry.update({"missing": 0, "unreadable": 0, "mismatched": 0, "problems": []})
        for name in tqdm(names, desc=f"helen {split} {size}px", disable=not progress):
            done = all((out / sub / f"{name}.png").exists() for sub in ("images", "labels"))
            if done and not force:
                entry["already_there"] += 1
                continue
            try:
                prepare_face(source, name, out, size, margin)
            # PIL raises OSError (truncated file), SyntaxError or ValueError for damaged images.
            except (OSError, SyntaxError, ValueError) as error:
                entry[_status(error)] += 1
                if len(entry["problems"]) < LISTED:
                    entry["problems"].append(f"{name} ({type(error).__name__}: {error})")
                continue
            entry["written"] += 1
        # What a loader will find: the faces with both files, from this run or an earlier one.
        images = (out / "images").glob("*.png")
        entry["faces"] = sum(1 for path in images if (out / "labels" / path.name).exists())
        entry["official_faces"] = SPLITS[split]
        splits[split] = entry
    manifest = {
        "dataset": "Helen face parsing (Smith et al., CVPR 2013), resized version",
        "size": size,
        "classes": list(FACE_CLASSES),
        "merge": "argmax over the 11 label probability maps lbl00..lbl10; ties to the smaller class",
        "crop": {
            "rule": "bounding square of the non-background pixels, centred on their bounding box, "
            "enlarged by `margin` x its side on each side, moved inside the image, at most the "
            "image's shorter side (our choice)",
            "margin": margin,
        },
        "resize": f"image: area average to {size}x{size} (bicubic where the crop is smaller); "
        "labels: nearest neighbour at the output pixel centres",
        "limit": limit,
        "sources": sources or {},
        "splits": splits,
    }
    write_atomic(folder / "manifest.json", json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest
