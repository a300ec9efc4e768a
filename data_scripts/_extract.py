"""Safe, atomic extraction of zip and tar archives.

Every member name is checked before anything is written: an absolute path, a ``..`` component, a
Windows drive, or (in a tar) a link or device member makes the whole archive refused, so a crafted
archive cannot write outside the target folder ("path traversal", CVE-2007-4559 for tarfile).

Members are extracted into a hidden temporary folder inside the target folder (the same file system,
so renames are atomic) and each top-level entry is then moved into place with ``os.replace``. Several
archives may share a top-level folder (DIV2K's ``DIV2K_train_LR_bicubic/`` holds ``X2/``, ``X3/`` and
``X4/`` from three archives), so a folder that already exists is merged into, one level down. A
reader therefore sees a folder such as ``DIV2K_train_HR/`` either complete or not at all.
"""

import pathlib
import shutil
import tarfile
import tempfile
import zipfile

_TEMP_SUFFIX = ".extracting"


def _check_member_name(name, archive):
    # Archives use "/" on every platform; a backslash or drive letter is a Windows-made path.
    pure = pathlib.PurePosixPath(name.replace("\\", "/"))
    first = pure.parts[0] if pure.parts else ""
    if pure.is_absolute() or ".." in pure.parts or first.endswith(":"):
        raise ValueError(
            f"Refusing to extract {archive}: member {name!r} would be written outside the "
            "target folder (absolute path or '..'). The archive is not the expected one."
        )


def _check_members(archive):
    """Raise ``ValueError`` for a file that is not zip/tar or holds an unsafe member."""
    if zipfile.is_zipfile(archive):
        with zipfile.ZipFile(archive) as zf:
            names = zf.namelist()
    elif tarfile.is_tarfile(archive):
        with tarfile.open(archive) as tf:
            names = []
            for member in tf.getmembers():
                if not (member.isfile() or member.isdir()):
                    raise ValueError(
                        f"Refusing to extract {archive}: member {member.name!r} is a link or "
                        "device, which an image dataset does not need and which could point "
                        "outside the target folder."
                    )
                names.append(member.name)
    else:
        raise ValueError(f"`archive` must be a zip or tar file; {archive} is neither.")
    for name in names:
        _check_member_name(name, archive)


def _merge(source, target):
    """Move every entry of folder ``source`` into folder ``target`` (atomic renames)."""
    for entry in sorted(source.iterdir()):
        destination = target / entry.name
        if entry.is_dir() and destination.is_dir():
            _merge(entry, destination)
        elif entry.is_dir() and destination.exists():
            raise ValueError(f"Cannot extract folder {entry.name}: {destination} is a file.")
        else:
            # A file replaces the old one; a folder that is not there yet appears in one step.
            entry.replace(destination)


def remove_stale_temp(dest_dir):
    """Delete temporary folders left in ``dest_dir`` by an extraction that was interrupted."""
    dest_dir = pathlib.Path(dest_dir)
    if dest_dir.is_dir():
        for leftover in dest_dir.glob(f".*{_TEMP_SUFFIX}"):
            shutil.rmtree(leftover, ignore_errors=True)


def extract(archive, dest_dir):
    """Extract a zip or tar ``archive`` into ``dest_dir``; return the number of files written.

    Raises ``ValueError`` (before writing anything) for an archive that is neither zip nor tar or
    that holds an unsafe member; see the module docstring.
    """
    archive = pathlib.Path(archive)
    dest_dir = pathlib.Path(dest_dir)
    if not archive.is_file():
        raise ValueError(f"`archive` must be an existing file; received {archive}.")
    _check_members(archive)
    dest_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_temp(dest_dir)
    temp = pathlib.Path(
        tempfile.mkdtemp(prefix=f".{archive.name}.", suffix=_TEMP_SUFFIX, dir=dest_dir)
    )
    try:
        if zipfile.is_zipfile(archive):
            with zipfile.ZipFile(archive) as zf:
                zf.extractall(temp)
        else:
            with tarfile.open(archive) as tf:
                # The "data" filter (Python >= 3.11.4) repeats the checks above inside tarfile.
                if hasattr(tarfile, "data_filter"):
                    tf.extractall(temp, filter="data")
                else:
                    tf.extractall(temp)
        files = sum(1 for path in temp.rglob("*") if path.is_file())
        _merge(temp, dest_dir)
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    return files
