"""The download -> verify -> extract steps shared by the dataset scripts, and their command line.

Archives are kept in ``<data-dir>/downloads/``. Each archive is checked against a SHA-256 digest:
the one published for it when there is one (``Archive.sha256``), otherwise the digest recorded in
``<data-dir>/downloads/CHECKSUMS.sha256`` the first time the archive was downloaded ("trust on first
use": a later download or a copy placed by hand must then be byte-identical to the first). Every
verified digest is written to that file, in the format of GNU ``sha256sum``, so
``cd <data-dir>/downloads && sha256sum -c CHECKSUMS.sha256`` re-checks the archives by hand.

After a successful extraction a marker ``.<archive>.done`` is written next to the extracted folders;
with it a re-run skips the archive entirely (no network access, no hashing), until ``--force``.

Trust on first use must not trust a web page: some hosts answer a scripted request with an HTML page
(a login, quota or "moved" page) and status 200. With ``fetch_archive(..., check=archive_problem)`` a
download is checked under a hidden staging name and only then takes its final name and has its digest
recorded; a web page instead raises ``HostRefused``, which a script turns into a message saying what to
download by hand and where to put it.
"""

import argparse
import dataclasses
import json
import os
import pathlib
import sys
import tarfile
import zipfile

from data_scripts._download import ChecksumError, DownloadError, download
from data_scripts._extract import extract

CHECKSUMS_FILE = "CHECKSUMS.sha256"
SCALES = (2, 3, 4)


@dataclasses.dataclass(frozen=True)
class Archive:
    """One file to fetch: its name on the server, its published SHA-256 (or None) and its size."""

    filename: str
    sha256: str | None
    size_bytes: int | None = None


class HostRefused(DownloadError):
    """The host did not deliver ``file``: an HTTP or network error, or a web page in its place."""

    def __init__(self, file, url, reason):
        super().__init__(f"{file} from {url}: {reason}.")
        # Not `filename`: OSError's own attribute of that name would change how it prints.
        self.file, self.url, self.reason = file, url, reason


def archive_problem(path):
    """Why the file at ``path`` is not a zip or tar archive (say, a web page), or None if it is one."""
    with open(path, "rb") as file:
        head = file.read(1024).lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<head")) or b"<html" in head[:512]:
        return "the server sent a web page (HTML) instead of the file"
    if zipfile.is_zipfile(path) or tarfile.is_tarfile(path):
        return None
    return "the file received is neither a zip nor a tar archive"


def human_size(size_bytes):
    """``3530603713 -> '3.53 GB'`` (decimal units, as download pages state sizes)."""
    for unit in ("B", "kB", "MB", "GB"):
        if size_bytes < 1000 or unit == "GB":
            return f"{size_bytes:.0f} {unit}" if unit in ("B", "kB") else f"{size_bytes:.3g} {unit}"
        size_bytes /= 1000
    raise AssertionError("unreachable")


def write_atomic(path, text):
    """Write a small text file under a temporary name, then rename it (never half-written)."""
    path = pathlib.Path(path)
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)


def read_checksums(path):
    """``{filename: sha256}`` from a ``sha256sum``-format file (empty if the file does not exist)."""
    path = pathlib.Path(path)
    if not path.exists():
        return {}
    digests = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        digest, _, name = line.partition(" ")
        name = name.strip().lstrip("*")  # "*name" marks binary mode in sha256sum's format
        if len(digest) != 64 or not name:
            raise ValueError(
                f"{path}, line {number}: expected '<sha256>  <file name>'; received {line!r}."
            )
        digests[name] = digest.lower()
    return digests


def record_checksum(path, filename, digest):
    """Add or update one ``<sha256>  <filename>`` line of the checksum file."""
    digests = read_checksums(path)
    if digests.get(filename) == digest:
        return
    digests[filename] = digest
    write_atomic(path, "".join(f"{digests[name]}  {name}\n" for name in sorted(digests)))


def say(message):
    print(message, flush=True)


def warn_skipped(summary, listed):
    """Warn on stderr of what a run skipped: ``summary`` counts it and names the first."""
    print(
        f"warning: skipped {summary}. The manifest lists the first {listed} of each split.",
        file=sys.stderr,
    )


def _download_checked(filename, url, path, expected, check, progress):
    """``download`` for ``fetch_archive(check=...)``: the content is checked before anything is kept."""
    if path.exists():  # a finished download, or a file placed by hand
        digest = download(url, path, sha256=expected, progress=progress)
        problem = check(path)
        if problem:
            raise ValueError(
                f"{path} is not {filename}: {problem}. Delete it and run again, or put the "
                "right file there by hand."
            )
        return digest
    return download_staged(filename, url, path, expected, check, progress)


def download_staged(filename, url, path, expected, check, progress):
    """Download ``url`` to ``path`` through the hidden staging name ``.<filename>.unverified``.

    The file takes its final name only after ``check(staging)`` (``path -> reason or None``) found
    nothing and its SHA-256 matched ``expected`` (None: any). Raises ``HostRefused`` when the host
    does not deliver the file, ``ChecksumError`` when it delivers other bytes; returns the SHA-256.
    """
    staging = path.with_name(f".{filename}.unverified")
    try:
        digest = download(url, staging, progress=progress)
    except DownloadError as error:
        # The HTTP or network error says it best; the DownloadError would name the staging file.
        cause = error.__cause__ or error.__context__ or error
        raise HostRefused(filename, url, str(cause).rstrip(".")) from None
    # The content first: a web page is a refusal, not a corrupt download.
    problem = check(staging)
    if problem is None and expected is not None and digest != expected:
        staging.unlink()
        raise ChecksumError(
            f"Checksum mismatch for {filename} (from {url}): expected SHA-256 {expected}, "
            f"received {digest}. The download was deleted; run again."
        )
    if problem:
        staging.unlink()
        raise HostRefused(filename, url, problem)
    os.replace(staging, path)
    return digest


def fetch_archive(archive, base_url, data_dir, extract_dir, force=False, progress=True, check=None):
    """Make sure ``archive`` is downloaded, verified and extracted into ``extract_dir``.

    Returns the archive's SHA-256. Steps already done are skipped: a ``.done`` marker skips
    everything (unless ``force``), an archive present in ``<data_dir>/downloads/`` is verified
    instead of downloaded.

    ``check``: None, or a function ``path -> reason or None`` saying whether a file is really the
    archive (``archive_problem``). With it, a fresh download is checked under a hidden staging name
    before it takes its final name and before its digest is recorded, and a host that does not
    deliver the file raises ``HostRefused``; a file placed by hand that fails the check raises
    ``ValueError`` naming it.
    """
    downloads = pathlib.Path(data_dir) / "downloads"
    extract_dir = pathlib.Path(extract_dir)
    marker = extract_dir / f".{archive.filename}.done"
    if marker.exists() and not force:
        say(f"{archive.filename}: already extracted ({marker} exists; --force redoes it).")
        return json.loads(marker.read_text(encoding="utf-8"))["sha256"]

    checksums = downloads / CHECKSUMS_FILE
    recorded = read_checksums(checksums).get(archive.filename)
    expected = archive.sha256 or recorded
    path = downloads / archive.filename
    url = f"{base_url.rstrip('/')}/{archive.filename}"
    if path.exists():
        say(f"{archive.filename}: found in {downloads}, verifying.")
    else:
        size = f" ({human_size(archive.size_bytes)})" if archive.size_bytes else ""
        say(f"{archive.filename}: downloading {url}{size}.")
    if check is None:
        digest = download(url, path, sha256=expected, progress=progress)
    else:
        digest = _download_checked(archive.filename, url, path, expected, check, progress)
    if expected is None:
        say(
            f"{archive.filename}: no published checksum; recorded SHA-256 {digest} in {checksums} "
            "(trust on first use)."
        )
    record_checksum(checksums, archive.filename, digest)

    say(f"{archive.filename}: extracting into {extract_dir}.")
    files = extract(path, extract_dir)
    write_atomic(
        marker, json.dumps({"archive": archive.filename, "sha256": digest, "files": files})
    )
    return digest


def base_parser(prog, description, epilog):
    """A script's ``ArgumentParser`` (texts shown as written) with the ``--data-dir`` option."""
    result = argparse.ArgumentParser(
        prog=prog,
        description=description,
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    result.add_argument(
        "--data-dir",
        type=pathlib.Path,
        default=pathlib.Path("data"),
        help="root folder of the datasets (default: data, git-ignored)",
    )
    return result


def parser(prog, description, epilog, default_base_url, sr_options=True):
    """The options every dataset script shares; ``sr_options`` adds the super-resolution ones
    (``--scale``, ``--make-lr``)."""
    result = base_parser(prog, description, epilog)
    if sr_options:
        result.add_argument(
            "--scale",
            type=int,
            choices=SCALES,
            default=4,
            help="downscaling factor of the LR images to fetch and check (default: 4, the paper's)",
        )
    result.add_argument(
        "--base-url",
        default=default_base_url,
        help="where the archives are fetched from: the official site, a mirror or a file:// folder "
        f"(default: {default_base_url})",
    )
    return add_run_options(
        result,
        "verify and extract again even where a .done marker says it was done "
        "(downloaded archives are kept and re-verified, not fetched again)",
        make_lr=sr_options,
    )


def add_run_options(result, force_help, make_lr=False):
    """Add the last options of a script's ``--help``: ``--force``, ``--make-lr`` (with ``make_lr``)
    and ``--no-progress``; returns ``result``."""
    result.add_argument("--force", action="store_true", help=force_help)
    if make_lr:
        result.add_argument(
            "--make-lr",
            action="store_true",
            help="compute missing LR images from their HR images with MATLAB-compatible bicubic "
            "(gan_papers.common.imresize) instead of reporting them",
        )
    result.add_argument("--no-progress", action="store_true", help="no progress bars")
    return result


def positive_int(text):
    """``argparse`` type of a count: an integer >= 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer; received {text}")
    return value


def run(step):
    """Call ``step()``; turn the errors a user can act on into a message and exit status 1."""
    try:
        return step()
    except (ChecksumError, DownloadError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted: run the same command again to resume.", file=sys.stderr)
        return 130


def command_line(build_parser, body):
    """A script's ``main(argv=None)``: ``body(args)`` on the parsed ``argv``, under ``run``."""

    def main(argv=None):
        """Command line entry point; returns the exit status (0: data ready)."""
        args = build_parser().parse_args(argv)
        return run(lambda: body(args))

    return main
