"""Voxelising an extracted ModelNet for ``data_scripts.modelnet``: the meshes found, and ``prepare``.

``find_classes`` and ``mesh_files`` list the class folders and OFF files of the extracted archive;
``prepare`` voxelises each class and split (kept in a part file, so that an interrupted run
resumes), writes each split as one compressed file of packed bits and writes the manifest.
"""

import json
import pathlib
import zipfile

import numpy as np
from tqdm.auto import tqdm

from data_scripts._archives import write_atomic
from data_scripts._images import write_replacing
from gan_papers.data.modelnet import MODELNET_SPLITS, modelnet_folder, read_off, voxelize_mesh
from gan_papers.data.shapes import PADDING

# Meshes per split in the official archives.
OFFICIAL = {10: {"train": 3991, "test": 908}, 40: {"train": 9843, "test": 2468}}
DEFAULT_RESOLUTION = 32
LISTED = 10  # problems listed by name in the manifest; the rest are counted
PARTS = ".parts"  # one finished (split, class) per file, so that an interrupted run resumes


def source_folder(data_dir, variant=10):
    """``<data_dir>/modelnet<variant>/ModelNet<variant>``: the extracted archive."""
    return pathlib.Path(data_dir) / f"modelnet{variant}" / f"ModelNet{variant}"


def find_classes(source):
    """The class folders of an extracted ModelNet, sorted (their order gives the labels)."""
    classes = sorted(
        path.name
        for path in pathlib.Path(source).iterdir()
        if path.is_dir()
        and not path.name.startswith((".", "__"))
        and any((path / split).is_dir() for split in MODELNET_SPLITS)
    )
    if not classes:
        raise ValueError(
            f"{source} holds no <class>/train or <class>/test folder: it is not an extracted "
            "ModelNet archive."
        )
    return classes


def mesh_files(source, name, split):
    """The OFF files of one class and split, sorted by name (macOS ``._*`` files left out)."""
    folder = pathlib.Path(source) / name / split
    if not folder.is_dir():
        return []
    return sorted(
        path
        for path in folder.iterdir()
        if path.suffix.lower() == ".off" and not path.name.startswith(".") and path.is_file()
    )


def _save_npz(path, **arrays):
    """``np.savez_compressed`` under a temporary name, then renamed (never half-written)."""

    def write(temp):
        with open(temp, "wb") as file:  # a file, not a name: np.savez would append ".npz" to it
            np.savez_compressed(file, **arrays)

    write_replacing(path, write)


def _voxelise_class(source, name, split, files, resolution, progress):
    """``(packed rows, kept relative names, problems)`` for one class and split."""
    rows, kept, problems = [], [], []
    for path in tqdm(files, desc=f"{name} {split}", disable=not progress, leave=False):
        relative = path.relative_to(source).as_posix()
        try:
            grid = voxelize_mesh(*read_off(path), resolution=resolution)
        except (OSError, ValueError) as error:
            problems.append(f"{relative} ({type(error).__name__}: {error})")
            continue
        rows.append(np.packbits(grid.reshape(-1)))
        kept.append(relative)
    packed = np.stack(rows) if rows else np.zeros((0, (resolution**3 + 7) // 8), np.uint8)
    return packed, kept, problems


def _class_part(source, folder, name, split, files, resolution, force, progress):
    """One class and split, from its part file when a previous run finished it."""
    part = folder / PARTS / f"{split}-{name}.npz"
    listed = [path.relative_to(source).as_posix() for path in files]
    if part.exists() and not force:
        try:
            with np.load(part, allow_pickle=False) as npz:
                if npz["listed"].tolist() == listed:
                    return npz["voxels"], npz["files"].tolist(), npz["problems"].tolist()
        except (OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile):
            pass  # an unreadable part is made again
    packed, kept, problems = _voxelise_class(source, name, split, files, resolution, progress)
    part.parent.mkdir(parents=True, exist_ok=True)
    _save_npz(
        part,
        voxels=packed,
        files=np.array(kept, dtype=str),
        listed=np.array(listed, dtype=str),
        problems=np.array(problems, dtype=str),
    )
    return packed, kept, problems


def prepare(
    data_dir,
    variant=10,
    resolution=DEFAULT_RESOLUTION,
    limit=None,
    force=False,
    progress=True,
    sources=None,
):
    """Voxelise both splits into ``prepared_<resolution>/{train,test}.npz``; return the manifest.

    Args:
        data_dir: the data folder holding ``modelnet<variant>/ModelNet<variant>/``.
        variant: 10 or 40.
        resolution: voxels per side.
        limit: voxelise only the first ``limit`` meshes (by name) of each class and split.
        force: voxelise every mesh again, even those of a finished class.
        progress: show tqdm progress bars.
        sources: the archive's SHA-256, recorded in the manifest.
    """
    source = source_folder(data_dir, variant)
    folder = modelnet_folder(data_dir, resolution, variant)
    folder.mkdir(parents=True, exist_ok=True)
    classes = find_classes(source)
    splits = {}
    for split in MODELNET_SPLITS:
        packed, labels, files, problems = [], [], [], []
        per_class = {}
        for label, name in enumerate(tqdm(classes, desc=split, disable=not progress)):
            listed = mesh_files(source, name, split)
            listed = listed if limit is None else listed[:limit]
            rows, kept, bad = _class_part(
                source, folder, name, split, listed, resolution, force, progress
            )
            packed.append(rows)
            labels += [label] * len(kept)
            files += kept
            problems += bad
            per_class[name] = len(kept)
        _save_npz(
            folder / f"{split}.npz",
            voxels=np.concatenate(packed),
            labels=np.array(labels, dtype=np.int32),
            class_names=np.array(classes, dtype=str),
            files=np.array(files, dtype=str),
            resolution=np.array(resolution),
        )
        splits[split] = {
            "meshes": len(files),
            "official_meshes": OFFICIAL[variant][split],
            "per_class": per_class,
            "skipped": len(problems),
            "problems": problems[:LISTED],
        }
    manifest = {
        "dataset": f"ModelNet{variant} (Wu et al., CVPR 2015)",
        "resolution": resolution,
        "classes": classes,
        "axes": "(depth, height, width) = the meshes' (y, z, x); z is up",
        "placement": f"proportions kept; the largest side spans {1 - 2 * PADDING:g} of the grid "
        "(centre to centre of its end voxels), centred across width and depth, on the floor "
        f"layer {PADDING:g} x resolution",
        "voxelisation": "surface voxels (a mesh edge passes through, or a triangle crosses one of "
        "the three centre lines), then the inside filled (3-D binary_fill_holes)",
        "format": "voxels: uint8 rows of np.packbits over each (R, R, R) grid, C order",
        "limit": limit,
        "sources": sources or {},
        "splits": splits,
    }
    write_atomic(folder / "manifest.json", json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest
