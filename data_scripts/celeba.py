"""Download, verify, extract and prepare CelebA (Liu et al., ICCV 2015) for the two face papers.

Both face papers of the course use CelebA's aligned-and-cropped faces (``img_align_celeba.zip``:
202,599 JPEGs of 178x218 pixels, ``000001.jpg`` ...) with the official split of
``list_eval_partition.txt`` (``000001.jpg 0``; 0 = train 162,770, 1 = valid 19,867, 2 = test 19,962).
Each image is cropped to a centred square and resized once, here, into a PNG per image:

- ``--size 64``: Yeh et al. 2017 (*Semantic Image Inpainting*) train their DCGAN prior on CelebA as
  the DCGAN code does: the centre 108x108 square of the 178x218 image (rows 55-162 and columns
  35-142, counted from 0), resized to 64x64.
- ``--size 128``: Li et al. 2017 (*Generative Face Completion*, Sec. 4.1) use 128x128 aligned faces but
  state no crop box, and the authors' released code starts from images already cut to 128x128. Our
  choice: the centre 178x178 square (the full width of the image, rows 20-197), resized to 128x128,
  which keeps the whole face from chin to forehead and centres it like the aligned image does.

Resizing is area averaging (``area_resize``): every output pixel is the mean of the input area it
covers, with fractional weights at its edges (OpenCV's ``INTER_AREA``); it is antialiased and, unlike
bicubic, never rings. Neither paper names a resampling filter.

CelebA's official host is Google Drive, which usually refuses scripted downloads of the 1.4 GB archive
(it answers with an HTML virus-scan or quota page instead of the file). The script detects that and
prints where to get the files by hand and where to put them; it then uses those files without
network access. Both files are checked against the SHA-256 digests that TensorFlow Datasets
publishes for them (``tensorflow_datasets/url_checksums/celeb_a.txt``).

Preparation is resumable (an image already written is skipped), atomic per file (each PNG is written
under a unique temporary name, then renamed) and uses several processes (``--workers``). Once the
archive is extracted, several runs may prepare the same folder at once (say ``--size 64`` and
``--size 128`` in two shells, or two machines on a shared disk): they write identical files under
distinct temporary names. Run the download and extraction step once, not in parallel.
"""

import json
import os
import sys

from data_scripts._archives import (
    HostRefused,
    add_run_options,
    base_parser,
    command_line,
    human_size,
    positive_int,
    say,
)
from data_scripts._celeba_crop import CROPS, prepare, prepared_folder
from data_scripts._celeba_files import (
    ARCHIVE,
    GDRIVE,
    HOMEPAGE,
    PARTITION,
    SHA256,
    SIZE_BYTES,
    extract_archive,
    fetch,
    install_partition,
    manual_download_message,
    source_url,
)
from data_scripts._images import area_resize

# The names reached through the script: its entry points and what it uses of its private modules.
__all__ = [
    "ARCHIVE",
    "CROPS",
    "GDRIVE",
    "PARTITION",
    "SHA256",
    "area_resize",
    "build_parser",
    "main",
    "prepare",
    "source_url",
]


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def _usable_cpus():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _size(filename):
    return f"{human_size(SIZE_BYTES[filename]):>8s}"


DESCRIPTION = f"""\
Download CelebA's aligned-and-cropped faces (Liu et al., ICCV 2015) and the official split, verify,
extract, then crop and resize every face into a PNG per image for the two face papers.

What is downloaded (from the official Google Drive links, or --base-url):
  {ARCHIVE:24s} {_size(ARCHIVE)}  202,599 JPEGs of 178x218 (as much again once extracted)
  {PARTITION:24s} {_size(PARTITION)}  the split: train 162,770 / valid 19,867 / test 19,962
  Both are checked against the SHA-256 published for the official files by TensorFlow Datasets
  (tensorflow_datasets/url_checksums/celeb_a.txt).

Crops of the 178x218 image, resized by area averaging (counted from 0):
  --size 64    {CROPS[64].describe()}: {CROPS[64].reference}
  --size 128   {CROPS[128].describe()}: {CROPS[128].reference}"""

EPILOG = f"""\
Layout written under --data-dir (the one gan_papers.data.celeba_dataset reads):
  downloads/img_align_celeba.zip                  kept so a re-run need not fetch it (delete it
                                                  once the run succeeded, to save space)
  downloads/list_eval_partition.txt
  downloads/CHECKSUMS.sha256                      their verified digests (`sha256sum -c` format)
  celeba/img_align_celeba/000001.jpg ...          the extracted images, up to 202599.jpg
  celeba/list_eval_partition.txt
  celeba/prepared_64/train/000001.png ...         162,770 images (--limit N: the first N)
  celeba/prepared_64/valid/162771.png ...         19,867 images
  celeba/prepared_64/test/182638.png ...          19,962 images
  celeba/prepared_64/manifest.json                counts per split, the crop used, problems
  celeba/prepared_128/...                         the same with --size 128

Interrupted? Run the same command again: a download resumes (HTTP Range), a file takes its final name
only after its content and checksum were checked, the archive is extracted once (a .done marker), and
images already prepared are skipped; each PNG is written under a temporary name, then renamed.

Google Drive refuses? It usually does for the 1.4 GB archive (a virus-scan page instead of the file).
The script then says so and exits with status 1: download the files in a browser from
{HOMEPAGE} ('Align&Cropped Images'), put them
into <data-dir>/downloads/ under their own names and run the same command: they are verified and
used without network access. A folder of the two files also works with --base-url file:///path.

Quick start: --limit 2000 prepares only the first 2,000 faces of each split.
"""


def build_parser():
    result = base_parser("python -m data_scripts.celeba", DESCRIPTION, EPILOG)
    result.add_argument(
        "--size",
        type=int,
        action="append",
        choices=sorted(CROPS),
        help="image size to prepare; repeat for both (default: 64, Yeh et al.'s)",
    )
    result.add_argument(
        "--limit",
        type=positive_int,
        default=None,
        help="prepare only the first N images of each split (default: all)",
    )
    result.add_argument(
        "--base-url",
        default=None,
        help="fetch <base-url>/<file name> instead: a mirror or a file:// folder holding the two "
        "files (default: the official Google Drive links)",
    )
    result.add_argument(
        "--workers",
        type=positive_int,
        default=_usable_cpus(),
        help="processes that crop and write images (default: the usable CPU cores)",
    )
    return add_run_options(
        result,
        "verify, extract and prepare again even where earlier runs did (downloaded files are "
        "kept and re-verified, not fetched again)",
    )


def _main(args):
    data_dir = args.data_dir
    downloads = data_dir / "downloads"
    root = data_dir / "celeba"
    progress = not args.no_progress
    sizes = sorted(set(args.size or [64]))

    marker = root / f".{ARCHIVE}.done"
    partition_done = (root / PARTITION).exists() and not args.force
    refused, digests = [], {}
    for filename in (PARTITION, ARCHIVE):
        if filename == ARCHIVE and marker.exists() and not args.force:
            digests[ARCHIVE] = json.loads(marker.read_text(encoding="utf-8"))["sha256"]
            continue
        if filename == PARTITION and partition_done:
            digests[PARTITION] = SHA256[PARTITION]
            continue
        try:
            digests[filename] = fetch(
                filename, source_url(filename, args.base_url), downloads, progress
            )
        except HostRefused as error:
            refused.append(error)
    if refused:
        print(f"error: {manual_download_message(refused, data_dir)}", file=sys.stderr)
        return 1

    extract_archive(data_dir, digests[ARCHIVE], args.force)
    if not partition_done:
        install_partition(data_dir)

    status = 0
    for size in sizes:
        manifest = prepare(
            data_dir, size, args.limit, args.workers, args.force, progress, sources=digests
        )
        for split, entry in manifest["splits"].items():
            say(
                f"CelebA {size}x{size} {split}: {entry['images']} images in "
                f"{prepared_folder(data_dir, size) / split} ({entry['written']} written now, "
                f"{entry['already_there']} already there; the official split has "
                f"{entry['official_images']:,})."
            )
            failed = entry["missing"] + entry["unreadable"]
            if failed:
                status = 1
                print(
                    f"error: {failed} listed {split} image(s) could not be prepared "
                    f"({entry['missing']} missing, {entry['unreadable']} unreadable): "
                    f"{'; '.join(entry['problems'])}. Run with --force to extract the archive again.",
                    file=sys.stderr,
                )
        say(f"Manifest: {prepared_folder(data_dir, size) / 'manifest.json'}")
    return status


main = command_line(build_parser, _main)


if __name__ == "__main__":
    sys.exit(main())
