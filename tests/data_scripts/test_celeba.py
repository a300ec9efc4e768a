"""python -m data_scripts.celeba on a fake CelebA (six 178x218 JPEGs and a partition list) served from a
loopback server: the layout and split, crops that land where the docstring says (checked against an
exact area average), the manifest, re-runs and --limit, Google Drive's HTML page turned into a
manual-download message with nothing half-written, files placed by hand, corrupt inputs."""

import json
import os
import pathlib
import time

import numpy as np
import pytest
from PIL import Image

from data_scripts import celeba
from tests.data_scripts.fake_celeba import (
    GOOGLE_DRIVE_PAGE,
    QUADRANTS,
    SPLIT_OF,
    archive_bytes,
    base_colour,
    exact_area_average,
    jpeg_bytes,
    partition_text,
    source_image,
)
from tests.data_scripts.helpers import flip_byte, run_script, sha256


@pytest.fixture(scope="module")
def official():
    """The fake official files, ``{file name: bytes}``."""
    return {celeba.ARCHIVE: archive_bytes(), celeba.PARTITION: partition_text()}


@pytest.fixture(autouse=True)
def published_digests(monkeypatch, official):
    """The fake files' digests stand in for the published ones."""
    for name, data in official.items():
        monkeypatch.setitem(celeba.SHA256, name, sha256(data))


def run_main(data_dir, base_url, *extra):
    return run_script(celeba, data_dir, base_url, "--workers", "1", *extra)


def decoded_source(data_dir, number):
    path = data_dir / "celeba/img_align_celeba" / f"{number:06d}.jpg"
    return np.asarray(Image.open(path).convert("RGB"))


def prepared(data_dir, size, number):
    path = data_dir / f"celeba/prepared_{size}/{SPLIT_OF[number]}/{number:06d}.png"
    return np.asarray(Image.open(path))


def test_download_extract_prepare_layout_and_manifest(server, official, tmp_path):
    server.files.update(official)
    assert run_main(tmp_path, server.url, "--size", "64", "--size", "128") == 0
    for size in (64, 128):
        folder = tmp_path / f"celeba/prepared_{size}"
        for split in ("train", "valid", "test"):
            expected = sorted(f"{n:06d}.png" for n, s in SPLIT_OF.items() if s == split)
            assert sorted(p.name for p in (folder / split).iterdir()) == expected
        assert prepared(tmp_path, size, 4).shape == (size, size, 3)
        manifest = json.loads((folder / "manifest.json").read_text())
        assert {s: e["images"] for s, e in manifest["splits"].items()} == {
            "train": 3,
            "valid": 1,
            "test": 2,
        }
        assert manifest["splits"]["train"]["official_images"] == 162_770
        assert manifest["sources"] == {name: sha256(data) for name, data in official.items()}
        assert manifest["size"] == size
    crop64 = json.loads((tmp_path / "celeba/prepared_64/manifest.json").read_text())["crop"]
    assert (crop64["top"], crop64["left"], crop64["side"]) == (55, 35, 108)
    crop128 = json.loads((tmp_path / "celeba/prepared_128/manifest.json").read_text())["crop"]
    assert (crop128["top"], crop128["left"], crop128["side"]) == (20, 0, 178)

    assert (tmp_path / "celeba/list_eval_partition.txt").read_bytes() == official[celeba.PARTITION]
    assert len(list((tmp_path / "celeba/img_align_celeba").iterdir())) == 6
    recorded = (tmp_path / "downloads/CHECKSUMS.sha256").read_text().splitlines()
    assert sorted(recorded) == sorted(f"{sha256(d)}  {n}" for n, d in official.items())


def test_crops_land_where_the_docstring_says(server, official, tmp_path):
    server.files.update(official)
    assert run_main(tmp_path, server.url, "--size", "64", "--size", "128") == 0
    for number in (1, 5):
        source = decoded_source(tmp_path, number)
        # The exact computation: the documented square, area-averaged, rounded to 8 bits.
        for size, (top, left, side) in {64: (55, 35, 108), 128: (20, 0, 178)}.items():
            window = source[top : top + side, left : left + side]
            expected = np.round(exact_area_average(window, size))
            difference = np.abs(prepared(tmp_path, size, number) - expected)
            assert difference.max() <= 1 and np.mean(difference == 0) > 0.99

        # And in pictures (JPEG moves colours by a few levels): at 64 the four quadrants fill the
        # image exactly, 32 pixels each; nothing of the surrounding colours leaks in.
        small = prepared(tmp_path, 64, number).astype(int)
        for k, colour in enumerate(QUADRANTS):
            top, left = 32 * (k // 2), 32 * (k % 2)
            block = small[top : top + 32, left : left + 32]
            assert np.abs(block[1:-1, 1:-1] - colour).max() <= 8
        # At 128 the magenta rows are cut off and the 108 square spans rows/columns 25.2-102.8.
        large = prepared(tmp_path, 128, number).astype(int)
        for edge in (large[:20], large[-20:], large[:, :20], large[:, -20:]):
            assert np.abs(edge - base_colour(number)).max() <= 8
        assert np.abs(large[28:62, 28:62] - QUADRANTS[0]).max() <= 8
        assert np.abs(large[66:100, 66:100] - QUADRANTS[3]).max() <= 8


def test_area_resize_matches_the_exact_average():
    image = np.random.default_rng(0).integers(0, 256, (178, 178, 3), dtype=np.uint8)
    for window, size in ((image[:108, 30:138], 64), (image[:108, :108], 40), (image, 128)):
        result = celeba.area_resize(window, size)
        assert result.shape == (size, size, 3) and result.dtype == np.uint8
        assert np.abs(result - np.round(exact_area_average(window, size))).max() <= 1
    np.testing.assert_array_equal(celeba.area_resize(image, 178), image)  # no change at 1:1
    with pytest.raises(ValueError, match="only shrinks: received 108 -> 128"):
        celeba.area_resize(image[:108, :108], 128)


def test_rerun_skips_finished_work_and_redoes_a_deleted_image(server, official, tmp_path):
    server.files.update(official)
    assert run_main(tmp_path, server.url) == 0
    assert len(server.requests) == 2
    folder = tmp_path / "celeba/prepared_64"
    stamps = {p: p.stat().st_mtime_ns for p in folder.rglob("*.png")}
    assert run_main(tmp_path, server.url) == 0
    assert len(server.requests) == 2
    assert {p: p.stat().st_mtime_ns for p in folder.rglob("*.png")} == stamps
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["splits"]["train"]["already_there"] == 3
    assert manifest["splits"]["train"]["written"] == 0

    (folder / "test/000006.png").unlink()
    assert run_main(tmp_path, server.url) == 0
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["splits"]["test"] == {**manifest["splits"]["test"], "written": 1, "images": 2}
    assert len(server.requests) == 2


def test_limit_prepares_the_first_images_of_each_split(server, official, tmp_path):
    server.files.update(official)
    assert run_main(tmp_path, server.url, "--limit", "2") == 0
    folder = tmp_path / "celeba/prepared_64"
    assert sorted(p.name for p in (folder / "train").iterdir()) == ["000001.png", "000002.png"]
    assert len(list((folder / "test").iterdir())) == 2
    assert json.loads((folder / "manifest.json").read_text())["limit"] == 2
    # Without the limit, the rest is added.
    assert run_main(tmp_path, server.url) == 0
    train = json.loads((folder / "manifest.json").read_text())["splits"]["train"]
    assert (train["images"], train["written"], train["already_there"]) == (3, 1, 2)


def test_google_drive_web_page_gives_the_manual_download_message(server, tmp_path, capsys):
    server.files.update({celeba.ARCHIVE: GOOGLE_DRIVE_PAGE, celeba.PARTITION: GOOGLE_DRIVE_PAGE})
    assert run_main(tmp_path, server.url) == 1
    error = capsys.readouterr().err
    for expected in (
        "web page (HTML) instead of the file",
        "mmlab.ie.cuhk.edu.hk/projects/CelebA.html",
        "drive.google.com/file/d/0B7EVK8r0v71pZjFTYXZWM3FlRnM",
        "drive.google.com/file/d/0B7EVK8r0v71pY0NSMzRuSXJEVkk",
        f"{(tmp_path / 'downloads').resolve()}/",
        "img_align_celeba.zip",
        "list_eval_partition.txt",
        "Run the same command again",
    ):
        assert expected in error
    # Nothing half-written: no file anywhere, neither under a final nor a temporary name.
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_refused_archive_then_files_placed_by_hand(server, official, tmp_path, capsys):
    # The small partition list comes through; the archive does not (HTTP 404 here).
    server.files[celeba.PARTITION] = official[celeba.PARTITION]
    assert run_main(tmp_path, server.url) == 1
    error = capsys.readouterr().err
    assert "HTTP Error 404: Not Found" in error
    assert "s3.amazonaws.com/pytorch-tutorial-assets" in error
    assert "list_eval_partition.txt:" not in error  # only the missing file is listed
    downloads = tmp_path / "downloads"
    assert sorted(p.name for p in downloads.iterdir()) == ["CHECKSUMS.sha256", celeba.PARTITION]
    assert not (tmp_path / "celeba").exists()

    (downloads / celeba.ARCHIVE).write_bytes(official[celeba.ARCHIVE])
    # Nothing listens on port 9: any network access would fail.
    assert run_main(tmp_path, "http://127.0.0.1:9") == 0
    assert prepared(tmp_path, 64, 6).shape == (64, 64, 3)


def test_web_page_saved_by_hand_is_named(official, tmp_path, capsys):
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    (downloads / celeba.PARTITION).write_bytes(official[celeba.PARTITION])
    (downloads / celeba.ARCHIVE).write_bytes(GOOGLE_DRIVE_PAGE)
    assert run_main(tmp_path, "http://127.0.0.1:9") == 1
    error = capsys.readouterr().err
    assert f"{downloads / celeba.ARCHIVE} is not img_align_celeba.zip" in error
    assert "web page (HTML)" in error


def test_corrupt_download_is_deleted_and_reported(server, official, tmp_path, capsys):
    server.files.update(official)
    server.files[celeba.ARCHIVE] = flip_byte(official[celeba.ARCHIVE])
    assert run_main(tmp_path, server.url) == 1
    error = capsys.readouterr().err
    assert "Checksum mismatch for img_align_celeba.zip" in error
    assert sha256(official[celeba.ARCHIVE]) in error
    assert sorted(p.name for p in (tmp_path / "downloads").iterdir()) == [
        "CHECKSUMS.sha256",
        celeba.PARTITION,
    ]


def test_unreadable_source_image_is_reported_and_the_rest_prepared(monkeypatch, tmp_path, capsys):
    good = jpeg_bytes(source_image(2))
    archive = archive_bytes({"img_align_celeba/000002.jpg": good[: len(good) // 3]})
    monkeypatch.setitem(celeba.SHA256, celeba.ARCHIVE, sha256(archive))
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / celeba.ARCHIVE).write_bytes(archive)
    (mirror / celeba.PARTITION).write_bytes(partition_text())
    data_dir = tmp_path / "data"
    assert run_main(data_dir, mirror.as_uri()) == 1
    assert "000002.jpg" in capsys.readouterr().err
    train = json.loads((data_dir / "celeba/prepared_64/manifest.json").read_text())["splits"][
        "train"
    ]
    assert (train["images"], train["unreadable"]) == (2, 1)
    assert not (data_dir / "celeba/prepared_64/train/000002.png").exists()


def test_bad_partition_line_is_named(monkeypatch, official, tmp_path, capsys):
    partition = partition_text() + b"000007.jpg 3\n"
    monkeypatch.setitem(celeba.SHA256, celeba.PARTITION, sha256(partition))
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    (downloads / celeba.PARTITION).write_bytes(partition)
    (downloads / celeba.ARCHIVE).write_bytes(official[celeba.ARCHIVE])
    assert run_main(tmp_path, "http://127.0.0.1:9") == 1
    assert "list_eval_partition.txt, line 7: expected '<image>.jpg <0|1|2>'" in (
        capsys.readouterr().err
    )


def test_worker_processes_and_stale_temporary_files(official, tmp_path):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    for name, data in official.items():
        (mirror / name).write_bytes(data)
    data_dir = tmp_path / "data"
    # A temporary PNG left by an interrupted run, and one of a run still going (fresh).
    train = data_dir / "celeba/prepared_128/train"
    train.mkdir(parents=True)
    stale, fresh = train / ".000001.png.abc.tmp", train / ".000002.png.def.tmp"
    stale.write_bytes(b"partial")
    fresh.write_bytes(b"partial")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    # Dated ahead, "fresh" stays younger than the 60 s cut-off however slowly a loaded machine
    # reaches the clean-up.
    ahead = time.time() + 3600
    os.utime(fresh, (ahead, ahead))
    argv = ["--data-dir", str(data_dir), "--base-url", mirror.as_uri(), "--no-progress"]
    assert celeba.main([*argv, "--size", "128", "--workers", "2"]) == 0
    assert not stale.exists() and fresh.exists()
    for number in SPLIT_OF:
        source = decoded_source(data_dir, number)[20:198]
        expected = np.round(exact_area_average(source, 128))
        assert np.abs(prepared(data_dir, 128, number) - expected).max() <= 1


def test_loader_reads_what_the_script_writes(server, official, tmp_path):
    from gan_papers.data.celeba import celeba_dataset, celeba_images

    server.files.update(official)
    assert run_main(tmp_path, server.url) == 0
    dataset = celeba_dataset(tmp_path, "test", batch_size=2, repeat=False, shuffle=False)
    (batch,) = [b.numpy() for b in dataset]
    expected = np.stack([prepared(tmp_path, 64, 5), prepared(tmp_path, 64, 6)]) / 127.5 - 1.0
    np.testing.assert_allclose(batch, expected, atol=1e-6)
    (face,) = celeba_images(tmp_path, "valid", count=1)
    np.testing.assert_allclose(face, prepared(tmp_path, 64, 4) / 127.5 - 1.0, atol=1e-6)


def test_default_source_is_the_official_google_drive_links():
    args = celeba.build_parser().parse_args([])
    assert args.base_url is None and args.size is None and args.data_dir == pathlib.Path("data")
    for name, (file_id, key) in celeba.GDRIVE.items():
        url = celeba.source_url(name, args.base_url)
        assert url.startswith("https://drive.google.com/uc?export=download&id=")
        assert file_id in url and key in url
    assert celeba.source_url(celeba.ARCHIVE, "file:///x/") == "file:///x/img_align_celeba.zip"
