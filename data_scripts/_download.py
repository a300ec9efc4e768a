"""Resumable, verified, atomic downloads (http://, https:// and file:// URLs).

A download is written to ``<dest>.part``. An interrupted download keeps that file and the next call
asks the server for the missing bytes only (an HTTP ``Range`` request); a server that ignores
``Range`` answers with the whole file, and the download then starts again from byte 0 rather than
appending a second copy. The finished ``.part`` file is checked against the expected digest and only
then renamed to ``dest`` with ``os.replace``, which is atomic: a file at ``dest`` is therefore always
complete and verified, and a half-written or corrupt file never carries the final name.
"""

import hashlib
import http.client
import os
import pathlib
import re
import time
import urllib.error
import urllib.request

from tqdm.auto import tqdm

CHUNK_BYTES = 1 << 20
USER_AGENT = "gan_papers-data_scripts/0.1 (python urllib)"
# Seconds to wait before retry number k (k * RETRY_DELAY_S); the tests set it to 0.
RETRY_DELAY_S = 2.0
_CONTENT_RANGE = re.compile(r"bytes\s+(\d+)-(\d+)/(\d+|\*)")
_UNSATISFIABLE = re.compile(r"bytes\s+\*/(\d+)")


class DownloadError(OSError):
    """A download could not be completed (network error, HTTP error, truncated transfer)."""


class ChecksumError(ValueError):
    """A file's digest differs from the expected one."""


def part_path(dest):
    """The temporary file a download of ``dest`` is written to until it is verified."""
    dest = pathlib.Path(dest)
    return dest.with_name(dest.name + ".part")


def file_digests(path, algorithms=("sha256",), progress=False):
    """Hex digests ``{algorithm: digest}`` of a file, read once in 1 MiB chunks."""
    path = pathlib.Path(path)
    hashers = {name: hashlib.new(name) for name in algorithms}
    with (
        open(path, "rb") as file,
        tqdm(
            total=path.stat().st_size,
            unit="B",
            unit_scale=True,
            desc=f"verify {path.name}",
            disable=not progress,
            leave=False,
        ) as bar,
    ):
        while chunk := file.read(CHUNK_BYTES):
            for hasher in hashers.values():
                hasher.update(chunk)
            bar.update(len(chunk))
    return {name: hasher.hexdigest() for name, hasher in hashers.items()}


def _check_digest(value, name, length):
    if value is None:
        return None
    if not isinstance(value, str) or not re.fullmatch(f"[0-9a-fA-F]{{{length}}}", value):
        raise ValueError(
            f"`{name}` must be a {length}-character hex digest or None; received {value!r}."
        )
    return value.lower()


def verify(path, sha256=None, md5=None, progress=False, source=None):
    """Check ``path`` against the expected digests and return its SHA-256 hex digest.

    Raises ``ChecksumError`` naming the file, the expected and the received digest on a mismatch.
    """
    path = pathlib.Path(path)
    expected = {"sha256": _check_digest(sha256, "sha256", 64), "md5": _check_digest(md5, "md5", 32)}
    algorithms = ["sha256"] + (["md5"] if expected["md5"] else [])
    received = file_digests(path, algorithms, progress)
    for name in algorithms:
        if expected[name] is not None and received[name] != expected[name]:
            origin = f" (from {source})" if source else ""
            raise ChecksumError(
                f"Checksum mismatch for {path.name}{origin}: expected {name.upper()} "
                f"{expected[name]}, received {received[name]}."
            )
    return received["sha256"]


def _fsync_dir(folder):
    # A rename is durable only once the directory entry itself reaches the disk.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _open(url, offset, timeout):
    """``(response, offset)``: the response to stream and the byte it starts at (0 = restart)."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    if offset:
        request.add_header("Range", f"bytes={offset}-")
    try:
        response = urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as error:
        if error.code == 416 and offset:
            # "Range not satisfiable": our part file is already the whole file (the transfer ended
            # just before the rename), or it is longer than the file and so stale.
            match = _UNSATISFIABLE.fullmatch(error.headers.get("Content-Range", "").strip())
            error.close()
            if match and int(match.group(1)) == offset:
                return None, offset
            return _open(url, 0, timeout)
        raise
    status = getattr(response, "status", None)  # None for file:// URLs, which ignore Range
    if status == 206:
        match = _CONTENT_RANGE.fullmatch(response.headers.get("Content-Range", "").strip())
        if offset and match and int(match.group(1)) == offset:
            return response, offset
        # Some other part of the file than we asked for: ask for all of it.
        response.close()
        if not offset:
            raise DownloadError(
                f"{url}: the server sent part of the file to a request for all of it."
            )
        return _open(url, 0, timeout)
    # A 200 answer to a Range request is the whole file: start again instead of appending it.
    return response, 0


def _transfer(url, part, timeout, progress):
    """One attempt: stream ``url`` into ``part``, resuming it when the server allows."""
    offset = part.stat().st_size if part.exists() else 0
    response, offset = _open(url, offset, timeout)
    if response is None:
        return
    with response:
        length = response.headers.get("Content-Length") if response.headers else None
        total = offset + int(length) if length and length.isdigit() else None
        with (
            open(part, "ab" if offset else "wb") as file,
            tqdm(
                total=total,
                initial=offset,
                unit="B",
                unit_scale=True,
                desc=part.name[: -len(".part")],
                disable=not progress,
            ) as bar,
        ):
            while chunk := response.read(CHUNK_BYTES):
                file.write(chunk)
                bar.update(len(chunk))
            file.flush()
            os.fsync(file.fileno())
    size = part.stat().st_size
    if total is not None and size != total:
        raise DownloadError(f"transfer ended at byte {size} of {total}")


def download(url, dest, sha256=None, md5=None, progress=True, retries=2, timeout=60):
    """Download ``url`` to ``dest``, resumably and atomically; return the file's SHA-256 hex digest.

    Args:
        url: ``http://``, ``https://`` or ``file://`` URL.
        dest: final path. If it already exists it is verified and kept (no network access): this is
            how archives placed by hand are used, and how a re-run skips a finished download.
        sha256, md5: expected hex digests, or None to skip that check (the SHA-256 is still
            computed and returned, so that a caller can record it).
        progress: show a tqdm progress bar.
        retries: further attempts after a network error; each resumes the ``.part`` file.
        timeout: seconds without data before an attempt fails.

    Raises:
        ChecksumError: the digest differs. A freshly downloaded ``.part`` file is deleted, so the
            next call downloads again; an existing ``dest`` is left for the user to inspect.
        DownloadError: the file could not be fetched; the ``.part`` file is kept for resuming.
    """
    dest = pathlib.Path(dest)
    sha256 = _check_digest(sha256, "sha256", 64)
    md5 = _check_digest(md5, "md5", 32)
    if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
        raise ValueError(f"`retries` must be an integer >= 0; received {retries!r}.")
    if dest.exists():
        try:
            return verify(dest, sha256, md5, progress)
        except ChecksumError as error:
            raise ChecksumError(
                f"{error} The existing file {dest} is not the expected one: delete it and run again."
            ) from None
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = part_path(dest)
    for attempt in range(retries + 1):
        try:
            _transfer(url, part, timeout, progress)
            break
        except urllib.error.HTTPError as error:
            if error.code < 500 or attempt == retries:
                raise DownloadError(
                    f"Could not download {url}: HTTP {error.code} {error.reason}."
                ) from None
            last_error = error
        except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
            # A local file that cannot be read will not appear by waiting.
            if attempt == retries or url.startswith("file:"):
                kept = (
                    f" The partial file {part} is kept; run again to resume."
                    if part.exists()
                    else ""
                )
                raise DownloadError(
                    f"Could not download {url} after {attempt + 1} attempt(s): {error}.{kept} "
                    f"Or download it by hand and place it at {dest}."
                ) from error
            last_error = error
        if progress:
            tqdm.write(f"{dest.name}: {last_error}; retrying (attempt {attempt + 2}/{retries + 1})")
        time.sleep(RETRY_DELAY_S * (attempt + 1))
    try:
        digest = verify(part, sha256, md5, progress, source=url)
    except ChecksumError as error:
        # A corrupt file must not be resumed either: the next attempt starts from byte 0.
        part.unlink()
        raise ChecksumError(
            f"{error} The corrupt download was deleted; run again to retry."
        ) from None
    os.replace(part, dest)
    _fsync_dir(dest.parent)
    return digest
