"""extract(): zip and tar, folders shared by several archives are merged, unsafe members refused before
anything is written, no temporary folder left behind."""

import pytest

from data_scripts._extract import extract
from tests.data_scripts.helpers import tar_bytes, zip_bytes


def _write(path, data):
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("make", [zip_bytes, tar_bytes])
def test_extracts_and_merges_shared_top_level_folders(make, tmp_path):
    dest = tmp_path / "DIV2K"
    x2 = _write(tmp_path / "a", make({"LR/X2/0001x2.png": b"two", "LR/X2/0002x2.png": b"2"}))
    # A "./" prefix, as some tar tools write, lands in the same place.
    x4 = _write(tmp_path / "b", make({"./LR/X4/0001x4.png": b"four"}))
    assert extract(x2, dest) == 2
    assert extract(x4, dest) == 1
    assert (dest / "LR/X2/0001x2.png").read_bytes() == b"two"
    assert (dest / "LR/X4/0001x4.png").read_bytes() == b"four"
    assert sorted(p.name for p in dest.iterdir()) == ["LR"]  # no temporary folder left


def test_re_extracting_replaces_files(tmp_path):
    dest = tmp_path / "out"
    extract(_write(tmp_path / "a.zip", zip_bytes({"d/f.txt": b"old"})), dest)
    extract(_write(tmp_path / "b.zip", zip_bytes({"d/f.txt": b"new"})), dest)
    assert (dest / "d/f.txt").read_bytes() == b"new"


@pytest.mark.parametrize(
    "archive",
    [
        zip_bytes({"ok.txt": b"1", "../evil.txt": b"x"}),
        zip_bytes({"a/../../evil.txt": b"x"}),
        tar_bytes({"ok.txt": b"1", "../evil.txt": b"x"}),
        tar_bytes({"/tmp/evil.txt": b"x"}),
        tar_bytes({"ok.txt": b"1"}, links=[("link", "/etc/passwd")]),
    ],
    ids=["zip-dotdot", "zip-nested-dotdot", "tar-dotdot", "tar-absolute", "tar-symlink"],
)
def test_path_traversal_is_refused_before_writing_anything(archive, tmp_path):
    path = _write(tmp_path / "bad.archive", archive)
    dest = tmp_path / "inner" / "dest"
    with pytest.raises(ValueError, match="Refusing to extract"):
        extract(path, dest)
    assert not dest.exists()
    assert not (tmp_path / "inner" / "evil.txt").exists()
    assert not (tmp_path / "evil.txt").exists()


def test_not_an_archive(tmp_path):
    with pytest.raises(ValueError, match="must be a zip or tar file"):
        extract(_write(tmp_path / "x.zip", b"this is not a zip"), tmp_path / "d")
    with pytest.raises(ValueError, match="must be an existing file"):
        extract(tmp_path / "missing.zip", tmp_path / "d")


def test_stale_temporary_folder_is_removed(tmp_path):
    dest = tmp_path / "out"
    stale = dest / ".a.zip.xyz.extracting"
    stale.mkdir(parents=True)
    (stale / "half.png").write_bytes(b"half")
    extract(_write(tmp_path / "a.zip", zip_bytes({"f.txt": b"1"})), dest)
    assert sorted(p.name for p in dest.iterdir()) == ["f.txt"]
