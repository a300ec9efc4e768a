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

import argparse
import dataclasses
import json
import multiprocessing
import os
import pathlib
import re
import shutil
import sys
import tempfile
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor

import numpy as np
from tqdm.auto import tqdm

from data_scripts._archives import (
    CHECKSUMS_FILE,
    human_size,
    record_checksum,
    run,
    say,
    write_atomic,
)
from data_scripts._download import ChecksumError, DownloadError, download
from data_scripts._extract import extract

ARCHIVE = "img_align_celeba.zip"
PARTITION = "list_eval_partition.txt"
IMAGE_FOLDER = "img_align_celeba"  # the archive's top-level folder
HOMEPAGE = "https://mmlab.ie.cuhk.edu.hk/projects/CelebA.html"

# Google Drive file ids and resource keys of the official files (the ids TensorFlow Datasets and
# torchvision download; since 2021 Drive also wants the key that the files' share links carry).
GDRIVE = {
    ARCHIVE: ("0B7EVK8r0v71pZjFTYXZWM3FlRnM", "0-dYn9z10tMJOBAkviAcfdyQ"),
    PARTITION: ("0B7EVK8r0v71pY0NSMzRuSXJEVkk", "0-i4TGCi_51OtQ5K9FSp4EDg"),
}
# SHA-256 and size of the official files, as published in TensorFlow Datasets' checksums file.
SHA256 = {
    ARCHIVE: "46fb89443c578308acf364d7d379fe1b9efb793042c0af734b6112e4fd3a8c74",
    PARTITION: "fc955bcb3ef8fbdf7d5640d9a8693a8431b5f2ee291a5c1449a1549e7e073fe7",
}
SIZE_BYTES = {ARCHIVE: 1_443_490_838, PARTITION: 2_836_386}
# The PyTorch tutorials serve a copy of the archive with the same SHA-256 (pytorch/tutorials,
# .jenkins/download_data.py); there is no such copy of the partition list.
ARCHIVE_COPY = "https://s3.amazonaws.com/pytorch-tutorial-assets/img_align_celeba.zip"

SPLITS = {"train": 162_770, "valid": 19_867, "test": 19_962}  # official split sizes
SPLIT_OF_ID = {"0": "train", "1": "valid", "2": "test"}
SOURCE_SIZE = (218, 178)  # height, width of every aligned-and-cropped image
LISTED = 10  # problems listed by name; the rest are counted
_TEMP_SUFFIX = ".tmp"
_STALE_TEMP_S = 60.0  # a temporary PNG older than this belongs to no running process


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
# Download
# --------------------------------------------------------------------------------------------


class HostRefused(Exception):
    """The host did not deliver ``filename`` (an HTTP error, no network, or a web page instead)."""

    def __init__(self, filename, url, reason):
        super().__init__(f"{filename}: {reason}")
        self.filename, self.url, self.reason = filename, url, reason


def official_url(filename):
    """Google Drive's direct-download URL of an official file."""
    file_id, key = GDRIVE[filename]
    return f"https://drive.google.com/uc?export=download&id={file_id}&resourcekey={key}"


def browser_url(filename):
    """The Google Drive page of an official file, where a browser offers "Download anyway"."""
    file_id, key = GDRIVE[filename]
    return f"https://drive.google.com/file/d/{file_id}/view?resourcekey={key}"


def source_url(filename, base_url):
    """Where ``filename`` is fetched from: ``<base_url>/<filename>``, or the official link."""
    return official_url(filename) if base_url is None else f"{base_url.rstrip('/')}/{filename}"


def content_problem(path, filename):
    """Why the file at ``path`` cannot be ``filename`` (a web page, not a zip, ...), or None."""
    with open(path, "rb") as file:
        head = file.read(2048)
    text = head.lstrip().lower()
    if text.startswith((b"<!doctype html", b"<html", b"<head")) or b"<html" in text[:512]:
        return (
            "the server sent a web page (HTML) instead of the file; Google Drive does this for large "
            "files (its virus-scan warning) and when a file's download quota is exceeded"
        )
    if filename.endswith(".zip"):
        return None if zipfile.is_zipfile(path) else "the file received is not a zip archive"
    first = head.split(b"\n", 1)[0].decode("latin-1").strip()
    if not re.fullmatch(r"\S+\.jpg\s+[012]", first):
        return f"the file received is not a CelebA partition list (first line {first[:60]!r})"
    return None


def fetch(filename, url, downloads, progress=True):
    """Make sure ``<downloads>/<filename>`` is the official file; return its SHA-256.

    A file already there (a finished download, or one placed by hand) is only verified. Otherwise the
    download goes to a hidden staging name first (resumable, see ``data_scripts._download``) and
    takes its final name only after its content and its SHA-256 were checked, so the final name never
    holds an HTML page or a partial file. Raises ``HostRefused`` when the host does not deliver the
    file, ``ChecksumError`` when it delivers other bytes.
    """
    dest = downloads / filename
    if dest.exists():
        say(f"{filename}: found in {downloads}, verifying.")
        problem = content_problem(dest, filename)
        if problem:
            raise ValueError(
                f"{dest} is not {filename}: {problem}. Delete it, then download the file by hand "
                f"({browser_url(filename)}) or run again."
            )
        digest = download(url, dest, sha256=SHA256[filename], progress=progress)
    else:
        staging = downloads / f".{filename}.unverified"
        say(f"{filename}: downloading {url} ({human_size(SIZE_BYTES[filename])}).")
        try:
            digest = download(url, staging, progress=progress)
        except DownloadError as error:
            # The underlying HTTP or network error says it best (the DownloadError repeats the URL
            # and names the staging file as the place for a copy made by hand).
            cause = error.__cause__ or error.__context__ or error
            raise HostRefused(filename, url, str(cause).rstrip(".")) from None
        problem = content_problem(staging, filename)
        if problem:
            staging.unlink()
            raise HostRefused(filename, url, problem)
        if digest != SHA256[filename]:
            staging.unlink()
            raise ChecksumError(
                f"Checksum mismatch for {filename} (from {url}): expected SHA-256 "
                f"{SHA256[filename]}, received {digest}. The download was deleted; run again."
            )
        os.replace(staging, dest)
    record_checksum(downloads / CHECKSUMS_FILE, filename, digest)
    return digest


def manual_download_message(refused, data_dir):
    """What to download by hand, from where, and where to put it."""
    downloads = (pathlib.Path(data_dir) / "downloads").resolve()
    lines = ["CelebA could not be downloaded:"]
    lines += [f"  {error.filename} from {error.url}: {error.reason}." for error in refused]
    lines += [
        "Google Drive, CelebA's official host, often refuses scripted downloads. Download by hand:",
        f"  1. In a browser, open {HOMEPAGE} -> 'Align&Cropped Images' (Google Drive or Baidu),",
        "     or open the files' own pages and choose 'Download' ('Download anyway'):",
    ]
    for error in refused:
        name = error.filename
        lines.append(f"       {name:24s} {human_size(SIZE_BYTES[name]):>8s}  {browser_url(name)}")
    if any(error.filename == ARCHIVE for error in refused):
        lines.append(f"     A copy of {ARCHIVE} with the same SHA-256: {ARCHIVE_COPY}")
    lines += [
        f"  2. Put them, under these names, into {downloads}/",
        "  3. Run the same command again: the files are verified against their published SHA-256",
        "     and used without network access.",
    ]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Extraction and the partition list
# --------------------------------------------------------------------------------------------


def extract_archive(data_dir, digest, force=False):
    """Extract the archive into ``<data_dir>/celeba/img_align_celeba/`` once (a marker skips it)."""
    root = pathlib.Path(data_dir) / "celeba"
    marker = root / f".{ARCHIVE}.done"
    if marker.exists() and not force:
        say(f"{ARCHIVE}: already extracted ({marker} exists; --force redoes it).")
        return
    say(f"{ARCHIVE}: extracting into {root} (202,599 files in the official archive).")
    files = extract(pathlib.Path(data_dir) / "downloads" / ARCHIVE, root)
    if not (root / IMAGE_FOLDER).is_dir():
        raise ValueError(
            f"{ARCHIVE} holds no {IMAGE_FOLDER}/ folder: it is not the CelebA archive."
        )
    write_atomic(marker, json.dumps({"archive": ARCHIVE, "sha256": digest, "files": files}))


def install_partition(data_dir):
    """Copy the verified partition list next to the images (atomically); return its path."""
    source = pathlib.Path(data_dir) / "downloads" / PARTITION
    target = pathlib.Path(data_dir) / "celeba" / PARTITION
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{PARTITION}.", suffix=_TEMP_SUFFIX)
    os.close(fd)
    shutil.copyfile(source, temp)
    os.replace(temp, target)
    return target


def read_partition(path):
    """``{"train": [...], "valid": [...], "test": [...]}`` image names, in the file's order."""
    splits = {name: [] for name in SPLITS}
    for number, line in enumerate(pathlib.Path(path).read_text(encoding="latin-1").splitlines(), 1):
        if not line.strip():
            continue
        fields = line.split()
        if len(fields) != 2 or fields[1] not in SPLIT_OF_ID or not fields[0].endswith(".jpg"):
            raise ValueError(
                f"{path}, line {number}: expected '<image>.jpg <0|1|2>' (0 = train, 1 = valid, "
                f"2 = test); received {line!r}."
            )
        splits[SPLIT_OF_ID[fields[1]]].append(fields[0])
    return splits


# --------------------------------------------------------------------------------------------
# Crop and resize
# --------------------------------------------------------------------------------------------


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


def crop_and_resize(image, crop):
    """The ``crop`` of a uint8 HxWx3 image: its centred ``crop.side`` square at ``crop.size``."""
    height, width = image.shape[:2]
    if height < crop.side or width < crop.side:
        raise ValueError(f"image is {height}x{width}, smaller than the {crop.side}-pixel crop")
    top, left = crop.box(height, width)
    return area_resize(image[top : top + crop.side, left : left + crop.side], crop.size)


def write_png(array, target):
    """Write a uint8 image to ``target`` under a unique temporary name, then rename it."""
    from PIL import Image

    target = pathlib.Path(target)
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=_TEMP_SUFFIX)
    os.close(fd)
    try:
        Image.fromarray(array).save(temp, format="PNG")
        os.replace(temp, target)
    except BaseException:
        pathlib.Path(temp).unlink(missing_ok=True)
        raise


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


def remove_stale_temps(folder, age_s=_STALE_TEMP_S):
    """Delete temporary PNGs left by an interrupted run (not those of a run still going)."""
    now = time.time()
    for temp in folder.glob(f".*{_TEMP_SUFFIX}"):
        try:
            if now - temp.stat().st_mtime > age_s:
                temp.unlink()
        except FileNotFoundError:
            pass  # another run removed or renamed it meanwhile


def _write_json(path, data):
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=_TEMP_SUFFIX)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(json.dumps(data, indent=2, sort_keys=True) + "\n")
    os.replace(temp, path)


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


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def _usable_cpus():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _positive_int(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer; received {text}")
    return value


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
    result = argparse.ArgumentParser(
        prog="python -m data_scripts.celeba",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    result.add_argument(
        "--data-dir",
        type=pathlib.Path,
        default=pathlib.Path("data"),
        help="root folder of the datasets (default: data, git-ignored)",
    )
    result.add_argument(
        "--size",
        type=int,
        action="append",
        choices=sorted(CROPS),
        help="image size to prepare; repeat for both (default: 64, Yeh et al.'s)",
    )
    result.add_argument(
        "--limit",
        type=_positive_int,
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
        type=_positive_int,
        default=_usable_cpus(),
        help="processes that crop and write images (default: the usable CPU cores)",
    )
    result.add_argument(
        "--force",
        action="store_true",
        help="verify, extract and prepare again even where earlier runs did (downloaded files are "
        "kept and re-verified, not fetched again)",
    )
    result.add_argument("--no-progress", action="store_true", help="no progress bars")
    return result


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


def main(argv=None):
    """Command line entry point; returns the exit status (0: data ready)."""
    args = build_parser().parse_args(argv)
    return run(lambda: _main(args))


if __name__ == "__main__":
    sys.exit(main())
