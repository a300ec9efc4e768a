"""python -m data_scripts.div2k on fixture archives served from a loopback server: the layout the loaders
read, the manifest, a corrupt archive refused, re-runs that touch no network, archives placed by hand,
the HR/LR check and --make-lr."""

import json

import numpy as np
import pytest
from PIL import Image

from data_scripts import div2k
from gan_papers.common.imresize import imresize
from tests.data_scripts.helpers import DIV2K_HR, div2k_archives, flip_byte, run_script, sha256


@pytest.fixture
def fixture_archives(monkeypatch):
    """The fixture archives, with their digests standing in for the published ones."""
    archives = div2k_archives()
    for name, data in archives.items():
        monkeypatch.setitem(div2k.SHA256, name, sha256(data))
    return archives


def run_main(data_dir, base_url, *extra):
    return run_script(div2k, data_dir, base_url, *extra)


def test_download_extract_and_manifest(server, fixture_archives, tmp_path):
    server.files.update(fixture_archives)
    assert run_main(tmp_path, server.url) == 0
    root = tmp_path / "DIV2K"
    assert sorted(p.name for p in (root / "DIV2K_train_HR").iterdir()) == [
        "0001.png",
        "0002.png",
        "0003.png",
    ]
    assert sorted(p.name for p in (root / "DIV2K_valid_HR").iterdir()) == ["0801.png"]
    assert (root / "DIV2K_train_LR_bicubic/X4/0002x4.png").is_file()
    assert (root / "DIV2K_valid_LR_bicubic/X4/0801x4.png").is_file()
    with Image.open(root / "DIV2K_train_LR_bicubic/X4/0002x4.png") as lr:
        assert lr.size == (26 // 4, 22 // 4)  # PIL sizes are (width, height)

    manifest = json.loads((root / "manifest.json").read_text())
    for split, images in DIV2K_HR.items():
        entry = manifest["splits"][split]
        assert entry["hr_dir"] == f"DIV2K_{split}_HR"
        assert entry["hr_images"] == len(images)
        assert entry["expected_hr_images"] == div2k.SPLITS[split]
        assert entry["lr"]["X4"]["pairs"] == len(images)
        assert entry["lr"]["X4"]["lr_dir"] == f"DIV2K_{split}_LR_bicubic/X4"
        assert entry["lr"]["X4"]["problems"] == []
    assert manifest["archives"] == {name: sha256(data) for name, data in fixture_archives.items()}

    recorded = (tmp_path / "downloads/CHECKSUMS.sha256").read_text().splitlines()
    assert sorted(recorded) == sorted(f"{sha256(d)}  {n}" for n, d in fixture_archives.items())


def test_rerun_skips_finished_work_without_a_request(server, fixture_archives, tmp_path):
    server.files.update(fixture_archives)
    assert run_main(tmp_path, server.url) == 0
    assert len(server.requests) == 4
    assert run_main(tmp_path, server.url) == 0
    assert len(server.requests) == 4
    # --force re-verifies and re-extracts the kept archives, still without downloading.
    (tmp_path / "DIV2K/DIV2K_valid_HR/0801.png").unlink()
    assert run_main(tmp_path, server.url, "--force") == 0
    assert len(server.requests) == 4
    assert (tmp_path / "DIV2K/DIV2K_valid_HR/0801.png").is_file()


def test_corrupt_archive_is_refused(server, fixture_archives, tmp_path, capsys):
    server.files.update(fixture_archives)
    server.files["DIV2K_valid_HR.zip"] = flip_byte(fixture_archives["DIV2K_valid_HR.zip"])
    assert run_main(tmp_path, server.url) == 1
    error = capsys.readouterr().err
    assert "DIV2K_valid_HR.zip" in error and sha256(fixture_archives["DIV2K_valid_HR.zip"]) in error
    assert not (tmp_path / "downloads/DIV2K_valid_HR.zip").exists()
    assert not (tmp_path / "downloads/DIV2K_valid_HR.zip.part").exists()
    assert not (tmp_path / "DIV2K/DIV2K_valid_HR").exists()
    # Once the server is fixed, a re-run fetches only what is missing.
    server.files["DIV2K_valid_HR.zip"] = fixture_archives["DIV2K_valid_HR.zip"]
    before = len(server.requests)
    assert run_main(tmp_path, server.url) == 0
    assert [name for name, _ in server.requests[before:]] == [
        "DIV2K_valid_HR.zip",
        "DIV2K_train_LR_bicubic_X4.zip",
        "DIV2K_valid_LR_bicubic_X4.zip",
    ]


def test_archives_placed_by_hand_need_no_network(fixture_archives, tmp_path):
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    for name, data in fixture_archives.items():
        (downloads / name).write_bytes(data)
    # Nothing listens on port 9: any network access would fail.
    assert run_main(tmp_path, "http://127.0.0.1:9") == 0
    assert (tmp_path / "DIV2K/DIV2K_train_HR/0001.png").is_file()


def test_file_url_base(fixture_archives, tmp_path):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    for name, data in fixture_archives.items():
        (mirror / name).write_bytes(data)
    assert run_main(tmp_path / "data", mirror.as_uri()) == 0
    assert (tmp_path / "data/DIV2K/DIV2K_valid_LR_bicubic/X4/0801x4.png").is_file()


def test_missing_lr_is_reported_and_make_lr_computes_it(monkeypatch, tmp_path, capsys):
    archives = div2k_archives(skip_lr=("0002",))
    for name, data in archives.items():
        monkeypatch.setitem(div2k.SHA256, name, sha256(data))
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    for name, data in archives.items():
        (mirror / name).write_bytes(data)
    data_dir = tmp_path / "data"
    assert run_main(data_dir, mirror.as_uri()) == 1
    assert "0002x4.png" in capsys.readouterr().err
    manifest = json.loads((data_dir / "DIV2K/manifest.json").read_text())
    assert manifest["splits"]["train"]["lr"]["X4"]["missing_lr"] == 1
    assert manifest["splits"]["train"]["lr"]["X4"]["pairs"] == 2

    assert run_main(data_dir, mirror.as_uri(), "--make-lr") == 0
    manifest = json.loads((data_dir / "DIV2K/manifest.json").read_text())
    assert manifest["splits"]["train"]["lr"]["X4"]["lr_generated"] == 1
    assert manifest["splits"]["train"]["lr"]["X4"]["pairs"] == 3
    # The computed LR image is MATLAB's imresize(modcrop(hr, 4), 1/4) stored to 8 bits.
    root = data_dir / "DIV2K"
    hr = np.asarray(Image.open(root / "DIV2K_train_HR/0002.png"), dtype=np.float64) / 255.0
    expected = np.clip(np.round(imresize(hr[:20, :24], scale=0.25) * 255.0), 0, 255)
    lr = np.asarray(Image.open(root / "DIV2K_train_LR_bicubic/X4/0002x4.png"))
    assert lr.shape == (5, 6, 3)
    np.testing.assert_array_equal(lr, expected)


def test_wrongly_sized_lr_is_reported(monkeypatch, tmp_path, capsys):
    archives = div2k_archives()
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    for name, data in archives.items():
        monkeypatch.setitem(div2k.SHA256, name, sha256(data))
        (mirror / name).write_bytes(data)
    data_dir = tmp_path / "data"
    assert run_main(data_dir, mirror.as_uri()) == 0
    lr_path = data_dir / "DIV2K/DIV2K_valid_LR_bicubic/X4/0801x4.png"
    Image.fromarray(np.zeros((6, 6, 3), np.uint8)).save(lr_path)
    assert run_main(data_dir, mirror.as_uri()) == 1
    assert "0801x4.png is 6x6, expected 6x5" in capsys.readouterr().err


def test_loaders_read_the_layout(server, fixture_archives, tmp_path):
    from gan_papers.data.sr_pairs import sr_folder_pairs

    server.files.update(fixture_archives)
    assert run_main(tmp_path, server.url) == 0
    root = tmp_path / "DIV2K"
    pairs = sr_folder_pairs(root / "DIV2K_train_HR", root / "DIV2K_train_LR_bicubic/X4", scale=4)
    assert [name for name, _, _ in pairs] == ["0001", "0002", "0003"]
    assert pairs[1][1].shape == (5, 6, 3) and pairs[1][2].shape == (20, 24, 3)
