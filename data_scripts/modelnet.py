"""Download, verify, extract and voxelise ModelNet10 or ModelNet40 (Wu et al., CVPR 2015) for 3D-GAN.

Wu et al. 2016 (*3D-GAN*, Section 4.3) evaluate their discriminator's features by classifying the
ModelNet10 and ModelNet40 shapes with a linear SVM. The archives hold triangle meshes in the OFF
format, z up::

    ModelNet10/<class>/train/<class>_0001.off ...      3,991 meshes in 10 classes
    ModelNet10/<class>/test/<class>_0892.off ...         908 meshes
    ModelNet40/<class>/{train,test}/...                 9,843 + 2,468 meshes in 40 classes

Some files carry a known defect, the counts on the header line (``OFF490 518 0``), which the reader
accepts; macOS metadata (``__MACOSX/``, ``._*`` files) is ignored. Each mesh is voxelised with
``gan_papers.data.modelnet.voxelize_mesh`` (proportions kept, largest side over 28 of 32 voxels,
centred, on the floor; surface voxels then the inside filled; see that module) and each split is
written as one compressed file of packed bits, which ``gan_papers.data.modelnet_voxels`` and
``modelnet_dataset`` read. Labels are the class folders in alphabetical order.

A mesh that does not parse (a truncated file, an index out of range, no face...) is skipped; the
skipped meshes are counted in one warning and listed in the manifest.

No checksum of the archives is published: their SHA-256 is recorded on first download (trust on
first use, ``data_scripts._archives``), after checking that the host sent a zip and not a web page.
"""

import argparse
import json
import os
import pathlib
import sys
import tempfile
import zipfile

import numpy as np
from tqdm.auto import tqdm

from data_scripts._archives import (
    CHECKSUMS_FILE,
    Archive,
    HostRefused,
    archive_problem,
    fetch_archive,
    parser,
    run,
    say,
    write_atomic,
)
from data_scripts.celeba import _positive_int
from gan_papers.data.modelnet import (
    MODELNET10_CLASSES,
    MODELNET_SPLITS,
    modelnet_folder,
    read_off,
    voxelize_mesh,
)
from gan_papers.data.shapes import MIN_RESOLUTION, PADDING

HOMEPAGE = "https://modelnet.cs.princeton.edu/"
BASE_URLS = {
    10: "http://3dvision.princeton.edu/projects/2014/3DShapeNets",
    40: "http://modelnet.cs.princeton.edu",
}
ARCHIVES = {
    10: Archive("ModelNet10.zip", sha256=None, size_bytes=None),  # about 450 MB
    40: Archive("ModelNet40.zip", sha256=None, size_bytes=None),  # about 2 GB
}
SIZES = {10: "about 450 MB", 40: "about 2 GB"}
# Meshes per split in the official archives.
OFFICIAL = {10: {"train": 3991, "test": 908}, 40: {"train": 9843, "test": 2468}}
DEFAULT_RESOLUTION = 32
LISTED = 10  # problems listed by name in the manifest; the rest are counted
_PARTS = ".parts"  # one finished (split, class) per file, so that an interrupted run resumes


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
    path = pathlib.Path(path)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        with open(temp, "wb") as file:
            np.savez_compressed(file, **arrays)
        os.replace(temp, path)
    except BaseException:
        pathlib.Path(temp).unlink(missing_ok=True)
        raise


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
    part = folder / _PARTS / f"{split}-{name}.npz"
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


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def manual_download_message(error, data_dir, variant):
    """What to download by hand, from where, and where to put it."""
    downloads = (pathlib.Path(data_dir) / "downloads").resolve()
    archive = ARCHIVES[variant].filename
    return (
        f"ModelNet{variant} could not be downloaded: {error}\n"
        f"Fetch {archive} ({SIZES[variant]}) in a browser, from {HOMEPAGE} or "
        f"{BASE_URLS[variant]}/{archive},\n"
        f"save it unrenamed into {downloads}/ and run the same command again. The copy is then\n"
        f"used without network access, once its SHA-256 matches the one in {CHECKSUMS_FILE}\n"
        "(or is recorded there, the first time)."
    )


def _resolution(text):
    value = int(text)
    if value < MIN_RESOLUTION:
        raise argparse.ArgumentTypeError(f"must be an integer >= {MIN_RESOLUTION}; received {text}")
    return value


def _variant(text):
    if text not in ("10", "40"):
        raise argparse.ArgumentTypeError(f"must be 10 or 40; received {text}")
    return int(text)


DESCRIPTION = f"""\
Download ModelNet10 (or ModelNet40) (Wu et al., CVPR 2015), verify and extract it, then voxelise every
OFF mesh at --resolution^3 for 3D-GAN (Wu et al. 2016): proportions kept, the largest side over
{1 - 2 * PADDING:g} of the grid, centred, standing on the floor; surface voxels, then the inside filled.

What is downloaded (from --base-url):
  ModelNet10.zip   {SIZES[10]}, 10 classes: {", ".join(MODELNET10_CLASSES)}
                   (default URL {BASE_URLS[10]}/ModelNet10.zip)
  ModelNet40.zip   {SIZES[40]}, 40 classes, with --variant 40
                   (default URL {BASE_URLS[40]}/ModelNet40.zip)
  No checksum is published: the SHA-256 of the first download is recorded in
  <data-dir>/downloads/{CHECKSUMS_FILE} (trust on first use) and every later download or copy
  placed by hand must match it. Delete that line to accept a different archive."""

EPILOG = f"""\
Layout written under --data-dir (the one gan_papers.data.modelnet_dataset reads):
  downloads/ModelNet10.zip                 kept so a re-run need not fetch it
  downloads/{CHECKSUMS_FILE}                its SHA-256 (`sha256sum -c` format)
  modelnet10/ModelNet10/<class>/{{train,test}}/<class>_0001.off ...
  modelnet10/prepared_32/train.npz         3,991 grids: voxels (np.packbits of each 32^3 grid,
                                           axes depth, height, width = the meshes' y, z, x),
                                           labels, class_names, files
  modelnet10/prepared_32/test.npz          908 grids
  modelnet10/prepared_32/manifest.json     counts per class and split, skipped meshes, settings
  (--resolution 64: modelnet10/prepared_64/...; --variant 40: modelnet40/...)

Stopped half-way? The same command carries on: a partial download continues where it stopped,
a downloaded file is used only once it is known to be a zip with the recorded checksum, the archive
is unpacked once, and the classes already voxelised are kept (prepared_<R>/{_PARTS}/). --force
redoes every step.

No download (the host refuses, or sends a web page)? The script exits with status 1 and says what to
fetch by hand: save the archive from
  {HOMEPAGE}
into <data-dir>/downloads/ and run the same command, or point --base-url at a folder holding it
(file:///path/to/folder).

Quick start: --limit 20 voxelises only the first 20 meshes of each class and split.
"""


def build_parser():
    result = parser(
        "python -m data_scripts.modelnet",
        DESCRIPTION,
        EPILOG,
        f"{BASE_URLS[10]} for ModelNet10, {BASE_URLS[40]} for ModelNet40",
        sr_options=False,
    )
    result.set_defaults(base_url=None)
    result.add_argument(
        "--variant",
        type=_variant,
        default=10,
        help="10 (ModelNet10, default) or 40 (ModelNet40)",
    )
    result.add_argument(
        "--resolution",
        type=_resolution,
        default=DEFAULT_RESOLUTION,
        help=f"voxels per side (default: {DEFAULT_RESOLUTION}; 64 is the paper's)",
    )
    result.add_argument(
        "--limit",
        type=_positive_int,
        default=None,
        help="voxelise only the first N meshes of each class and split (default: all)",
    )
    return result


def _main(args):
    variant = args.variant
    archive = ARCHIVES[variant]
    base_url = args.base_url or BASE_URLS[variant]
    progress = not args.no_progress
    root = args.data_dir / f"modelnet{variant}"
    try:
        digest = fetch_archive(
            archive, base_url, args.data_dir, root, args.force, progress, archive_problem
        )
    except HostRefused as error:
        print(f"error: {manual_download_message(error, args.data_dir, variant)}", file=sys.stderr)
        return 1
    source = source_folder(args.data_dir, variant)
    if not source.is_dir():
        raise ValueError(
            f"{archive.filename} holds no ModelNet{variant}/ folder: it is not the ModelNet "
            f"archive (delete it from {args.data_dir / 'downloads'} and its line from "
            f"{CHECKSUMS_FILE})."
        )
    manifest = prepare(
        args.data_dir,
        variant,
        args.resolution,
        args.limit,
        args.force,
        progress,
        sources={archive.filename: digest},
    )
    folder = modelnet_folder(args.data_dir, args.resolution, variant)
    for split, entry in manifest["splits"].items():
        say(
            f"ModelNet{variant} {args.resolution}^3 {split}: {entry['meshes']} grids in "
            f"{folder / (split + '.npz')} ({len(manifest['classes'])} classes; the official split "
            f"has {entry['official_meshes']:,})."
        )
    skipped = [problem for entry in manifest["splits"].values() for problem in entry["problems"]]
    total = sum(entry["skipped"] for entry in manifest["splits"].values())
    if total:
        print(
            f"warning: skipped {total} unreadable mesh(es); the first: {skipped[0]}. The manifest "
            f"lists the first {LISTED} of each split.",
            file=sys.stderr,
        )
    say(f"Manifest: {folder / 'manifest.json'}")
    return 0


def main(argv=None):
    """Command line entry point; returns the exit status (0: data ready)."""
    args = build_parser().parse_args(argv)
    return run(lambda: _main(args))


if __name__ == "__main__":
    sys.exit(main())
