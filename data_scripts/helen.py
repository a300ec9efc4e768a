"""Download, verify, extract and prepare Helen face parsing (Smith et al., CVPR 2013) for Li et al. 2017.

Li et al. 2017 (*Generative Face Completion*) pretrain on Helen the face parsing network whose
semantic loss guides the completion network: 2,330 faces with 11-class label maps, the annotations of
Smith, Zhang, Brandt, Lin and Yang (*Exemplar-Based Face Parsing*, CVPR 2013) for the Helen photos of
Le et al. (ECCV 2012). This script fetches the "resized" version of those annotations,
``SmithCVPR2013_dataset_resized.zip``, from the project page. Inside (top folder
``SmithCVPR2013_dataset_resized/``)::

    images/<name>.jpg                        the photo
    labels/<name>/<name>_lbl00.png ... _lbl10.png
                                             one 8-bit grey map per class: 0 = probability 0,
                                             255 = probability 1 (the authors' "label probability maps")
    exemplars.txt, tuning.txt, testing.txt   the paper's 2,000 training, 230 tuning and 100 test faces,
                                             one ``<index> , <name>`` line each (``1 , 100032540_1``)

Label ``lblKK`` is class ``KK`` of ``gan_papers.data.FACE_CLASSES``, the same order: background, face
skin, left brow, right brow, left eye, right eye, nose, upper lip, inner mouth, lower lip, hair. The
dataset's README names lbl02/lbl04 "left eyebrow"/"left eye" without saying whether that is the left
of the image or the person's own left; we could not establish it without the images at hand, so the
order is kept as it is. ``FACE_CLASSES`` means the image's left (smaller column index): check a few
prepared label maps before mixing Helen with the procedural faces in one training set, and swap
2 <-> 3 and 4 <-> 5 (``MIRRORED_CLASSES``) if Helen turns out to mean the person's left. Helen's skin
also excludes ears and neck (its README), where the procedural faces count them as skin.

Preparation, per face (our choices; neither paper describes this step):

- **Merge**: the label of a pixel is the class whose map is highest there (argmax over the 11 maps;
  a tie goes to the smaller class index, so a pixel where every map is 0 is background).
- **Crop**: Helen photos are large and not aligned. The crop is the bounding square of the pixels
  not labelled background (hair included), centred on their bounding box, enlarged by ``--margin``
  times its side on each side (default 0.1), then moved to lie inside the image and, when larger
  than the image's shorter side, shrunk to it.
- **Resize** to ``--size`` (default 128, the face size of Li et al.): the image by area averaging
  (``data_scripts._images.area_resize``) when the crop is at least that large, bicubic otherwise;
  the label map by nearest neighbour (output pixel ``i`` takes crop pixel ``floor((i + 0.5) * side /
  size)``), so labels stay classes.

A face whose photo or label maps are missing, unreadable, of different sizes, or hold no labelled
pixel is skipped; the skipped faces are counted in one warning and listed in the manifest.

The archive's authors publish no checksum: its SHA-256 is recorded on first download (trust on
first use, ``data_scripts._archives``), after checking that the host sent a zip and not a web page.
"""

import argparse
import pathlib
import sys

from data_scripts._archives import (
    CHECKSUMS_FILE,
    HostRefused,
    archive_problem,
    command_line,
    fetch_archive,
    parser,
    positive_int,
    say,
    warn_skipped,
)
from data_scripts._helen_faces import (
    ARCHIVE,
    DEFAULT_MARGIN,
    DEFAULT_SIZE,
    LISTED,
    SPLITS,
    TOP_FOLDER,
    crop_box,
    merge_labels,
    prepare,
    prepared_folder,
    resize_image,
    resize_labels,
    source_folder,
)
from gan_papers.data.faces import FACE_CLASSES

HOMEPAGE = "https://pages.cs.wisc.edu/~lizhang/projects/face-parsing/"
BASE_URL = HOMEPAGE.rstrip("/")  # also reachable as www.cs.wisc.edu/~lizhang/projects/face-parsing

# The names reached through the script: its entry points and what it uses of its private modules.
__all__ = [
    "HOMEPAGE",
    "SPLITS",
    "build_parser",
    "crop_box",
    "main",
    "merge_labels",
    "prepare",
    "resize_image",
    "resize_labels",
]


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def manual_download_message(error, data_dir):
    """What to download by hand, from where, and where to put it."""
    downloads = (pathlib.Path(data_dir) / "downloads").resolve()
    return "\n".join(
        [
            f"Helen could not be downloaded: {error}",
            "Download it by hand:",
            f"  1. In a browser, open {HOMEPAGE} and download the resized annotations,",
            f"     {ARCHIVE.filename}.",
            f"  2. Put it, under that name, into {downloads}/",
            "  3. Run the same command again: the archive is checked, its SHA-256 recorded (or compared",
            f"     with the one already in {CHECKSUMS_FILE}) and used without network access.",
        ]
    )


def _margin(text):
    value = float(text)
    if not 0 <= value <= 2:
        raise argparse.ArgumentTypeError(f"must be a number in [0, 2]; received {text}")
    return value


DESCRIPTION = f"""\
Download Helen face parsing (Smith et al., CVPR 2013: 2,330 Helen photos with 11-class label maps,
resized version), verify and extract it, then merge each face's 11 class maps into one label map,
crop a square around the face and resize photo and labels for Li et al. 2017's face parser.

What is downloaded (from --base-url, default {BASE_URL}/):
  {ARCHIVE.filename}   photos, 11 label maps per face, the split lists
  Its authors publish no checksum: the SHA-256 of the first download is recorded in
  <data-dir>/downloads/{CHECKSUMS_FILE} (trust on first use) and every later download or copy
  placed by hand must match it. Delete that line to accept a different archive.

Classes (lbl00..lbl10, the order of gan_papers.data.FACE_CLASSES):
  {", ".join(FACE_CLASSES)}

Crop (our choice): the bounding square of the non-background pixels, enlarged by --margin times its
side on each side, moved inside the photo; then area-averaged (photo) and nearest-neighbour (labels)
to --size x --size."""

EPILOG = f"""\
Layout written under --data-dir (the one gan_papers.data.helen_dataset reads):
  downloads/{ARCHIVE.filename}        kept so a re-run need not fetch it
  downloads/{CHECKSUMS_FILE}                        its SHA-256 (`sha256sum -c` format)
  helen/{TOP_FOLDER}/images/<name>.jpg, labels/<name>/<name>_lbl00.png ...
  helen/prepared_128/train/images/<name>.png          2,000 faces of exemplars.txt (RGB)
  helen/prepared_128/train/labels/<name>.png          their label maps (8-bit grey, values 0..10)
  helen/prepared_128/valid/...                        230 faces of tuning.txt
  helen/prepared_128/test/...                         100 faces of testing.txt
  helen/prepared_128/manifest.json                    counts per split, crop and resize, problems
  (--size 64: helen/prepared_64/..., and so on)

Interrupted? Run the same command again: the download resumes (HTTP Range), the archive takes its
final name only after its content (a zip, not a web page) and checksum were checked, it is extracted
once (a .done marker), and faces already prepared are skipped (all are prepared again when --margin
changed). --force does every step again.

The host refuses, or answers with a web page? The script says so and exits with status 1. Then
download {ARCHIVE.filename} in a browser from
  {HOMEPAGE}
put it into <data-dir>/downloads/ and run the same command; it is then used without network access.
A folder holding the file also works with --base-url file:///path/to/folder.

Quick start: --limit 100 prepares only the first 100 faces of each list.
"""


def build_parser():
    result = parser("python -m data_scripts.helen", DESCRIPTION, EPILOG, BASE_URL, sr_options=False)
    result.add_argument(
        "--size",
        type=positive_int,
        default=DEFAULT_SIZE,
        help=f"side of the prepared faces in pixels (default: {DEFAULT_SIZE}, Li et al.'s)",
    )
    result.add_argument(
        "--margin",
        type=_margin,
        default=DEFAULT_MARGIN,
        help="crop margin on each side of the labelled square, as a fraction of its side "
        f"(default: {DEFAULT_MARGIN}, our choice)",
    )
    result.add_argument(
        "--limit",
        type=positive_int,
        default=None,
        help="prepare only the first N faces of each list (default: all)",
    )
    return result


def _main(args):
    root = args.data_dir / "helen"
    progress = not args.no_progress
    try:
        digest = fetch_archive(
            ARCHIVE, args.base_url, args.data_dir, root, args.force, progress, archive_problem
        )
    except HostRefused as error:
        print(f"error: {manual_download_message(error, args.data_dir)}", file=sys.stderr)
        return 1
    if not source_folder(args.data_dir).is_dir():
        raise ValueError(
            f"{ARCHIVE.filename} holds no {TOP_FOLDER}/ folder: it is not the Helen archive "
            f"(delete it from {args.data_dir / 'downloads'} and its line from {CHECKSUMS_FILE})."
        )
    manifest = prepare(
        args.data_dir,
        args.size,
        args.margin,
        args.limit,
        args.force,
        progress,
        sources={ARCHIVE.filename: digest},
    )
    folder = prepared_folder(args.data_dir, args.size)
    skipped = []
    for split, entry in manifest["splits"].items():
        say(
            f"Helen {args.size}x{args.size} {split}: {entry['faces']} faces in {folder / split} "
            f"({entry['written']} written now, {entry['already_there']} already there; the paper's "
            f"list has {entry['official_faces']:,})."
        )
        skipped += [(split, problem) for problem in entry["problems"]]
    counts = {
        kind: sum(entry[kind] for entry in manifest["splits"].values())
        for kind in ("missing", "unreadable", "mismatched")
    }
    if sum(counts.values()):
        split, first = skipped[0]
        warn_skipped(
            f"{sum(counts.values())} face(s) ({counts['missing']} missing, "
            f"{counts['unreadable']} unreadable, {counts['mismatched']} mismatched); the first: "
            f"{first} in {split}",
            LISTED,
        )
    say(f"Manifest: {folder / 'manifest.json'}")
    return 0


main = command_line(build_parser, _main)


if __name__ == "__main__":
    sys.exit(main())
