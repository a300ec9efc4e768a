"""CelebA's official files for ``data_scripts.celeba``: where they are, and getting them in place.

Their Google Drive links, SHA-256 digests and sizes; ``fetch``, which downloads or verifies one of
them and tells a host that refused (``HostRefused``) from a corrupt download; the message saying
what to download by hand; the extraction of the archive and the official partition list
(``list_eval_partition.txt``: ``000001.jpg 0``, 0 = train, 1 = valid, 2 = test).
"""

import json
import pathlib
import re
import shutil
import zipfile

from data_scripts._archives import (
    CHECKSUMS_FILE,
    download_staged,
    human_size,
    record_checksum,
    say,
    write_atomic,
)
from data_scripts._download import download
from data_scripts._extract import extract
from data_scripts._images import write_replacing

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

# --------------------------------------------------------------------------------------------
# Download
# --------------------------------------------------------------------------------------------


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
        say(f"{filename}: downloading {url} ({human_size(SIZE_BYTES[filename])}).")
        digest = download_staged(
            filename,
            url,
            dest,
            SHA256[filename],
            lambda path: content_problem(path, filename),
            progress,
        )
    record_checksum(downloads / CHECKSUMS_FILE, filename, digest)
    return digest


def manual_download_message(refused, data_dir):
    """What to download by hand, from where, and where to put it."""
    downloads = (pathlib.Path(data_dir) / "downloads").resolve()
    lines = ["CelebA could not be downloaded:"]
    lines += [f"  {error.file} from {error.url}: {error.reason}." for error in refused]
    lines += [
        "Google Drive, CelebA's official host, often refuses scripted downloads. Download by hand:",
        f"  1. In a browser, open {HOMEPAGE} -> 'Align&Cropped Images' (Google Drive or Baidu),",
        "     or open the files' own pages and choose 'Download' ('Download anyway'):",
    ]
    for error in refused:
        name = error.file
        lines.append(f"       {name:24s} {human_size(SIZE_BYTES[name]):>8s}  {browser_url(name)}")
    if any(error.file == ARCHIVE for error in refused):
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
    write_replacing(target, lambda temp: shutil.copyfile(source, temp))
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
