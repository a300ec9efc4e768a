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
import pathlib
import sys

from data_scripts._archives import (
    CHECKSUMS_FILE,
    Archive,
    HostRefused,
    archive_problem,
    command_line,
    fetch_archive,
    parser,
    positive_int,
    say,
    warn_skipped,
)
from data_scripts._modelnet_voxels import (
    DEFAULT_RESOLUTION,
    LISTED,
    PARTS,
    prepare,
    source_folder,
)
from gan_papers.data.modelnet import MODELNET10_CLASSES, modelnet_folder
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
is unpacked once, and the classes already voxelised are kept (prepared_<R>/{PARTS}/). --force
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
        type=positive_int,
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
        warn_skipped(f"{total} unreadable mesh(es); the first: {skipped[0]}", LISTED)
    say(f"Manifest: {folder / 'manifest.json'}")
    return 0


main = command_line(build_parser, _main)


if __name__ == "__main__":
    sys.exit(main())
