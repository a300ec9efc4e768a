"""python -m data_scripts.sr_benchmarks on a fixture benchmark.tar served from a loopback server: the EDSR
layout, trust-on-first-use checksums (recorded, then enforced), a corrupt download refused, re-runs,
path traversal refused."""

import json

from data_scripts import sr_benchmarks
from tests.data_scripts.helpers import (
    BENCHMARK_HR,
    benchmark_tar,
    flip_byte,
    run_script,
    sha256,
    tar_bytes,
)


def run_main(data_dir, base_url, *extra):
    return run_script(sr_benchmarks, data_dir, base_url, *extra)


def test_download_extract_record_and_manifest(server, tmp_path):
    archive = benchmark_tar()
    server.files["benchmark.tar"] = archive
    assert run_main(tmp_path, server.url) == 0
    root = tmp_path / "benchmark"
    assert (root / "Set5/HR/baby.png").is_file()
    for scale in (2, 3, 4):
        assert (root / f"Set5/LR_bicubic/X{scale}/babyx{scale}.png").is_file()
    assert (root / "B100/LR_bicubic/X4/3096x4.png").is_file()
    # Trust on first use: the digest of the first download is recorded, sha256sum style.
    assert (
        tmp_path / "downloads/CHECKSUMS.sha256"
    ).read_text() == f"{sha256(archive)}  benchmark.tar\n"

    manifest = json.loads((root / "manifest.json").read_text())
    assert manifest["archives"] == {"benchmark.tar": sha256(archive)}
    for name, images in BENCHMARK_HR.items():
        entry = manifest["sets"][name]
        assert entry["hr_images"] == len(images)
        assert entry["expected_hr_images"] == sr_benchmarks.SETS[name]
        assert entry["lr"]["X4"]["pairs"] == len(images)
    assert "Urban100" not in manifest["sets"]

    # Another scale adds its entry to the manifest; the archive is not fetched again.
    assert run_main(tmp_path, server.url, "--scale", "2") == 0
    manifest = json.loads((root / "manifest.json").read_text())
    assert sorted(manifest["sets"]["Set5"]["lr"]) == ["X2", "X4"]
    assert len(server.requests) == 1


def test_recorded_checksum_catches_a_corrupt_download(server, tmp_path, capsys):
    archive = benchmark_tar()
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    (downloads / "CHECKSUMS.sha256").write_text(f"{sha256(archive)}  benchmark.tar\n")
    server.files["benchmark.tar"] = flip_byte(archive)
    assert run_main(tmp_path, server.url) == 1
    error = capsys.readouterr().err
    assert (
        "benchmark.tar" in error
        and sha256(archive) in error
        and sha256(flip_byte(archive)) in error
    )
    assert not (downloads / "benchmark.tar").exists()
    assert not (downloads / "benchmark.tar.part").exists()
    assert not (tmp_path / "benchmark").exists()


def test_interrupted_download_resumes(server, tmp_path):
    archive = benchmark_tar()
    server.files["benchmark.tar"] = archive
    server.drop_after = len(archive) // 3
    # The first attempt is cut, the retry inside the same run resumes it.
    assert run_main(tmp_path, server.url) == 0
    assert server.requests == [
        ("benchmark.tar", None),
        ("benchmark.tar", f"bytes={len(archive) // 3}-"),
    ]
    assert (tmp_path / "downloads/benchmark.tar").read_bytes() == archive


def test_archive_with_path_traversal_is_refused(server, tmp_path, capsys):
    server.files["benchmark.tar"] = tar_bytes(
        {"benchmark/Set5/HR/a.png": b"x", "../escape.txt": b"x"}
    )
    assert run_main(tmp_path / "data", server.url) == 1
    assert "Refusing to extract" in capsys.readouterr().err
    assert not (tmp_path / "escape.txt").exists()
    assert not (tmp_path / "data/benchmark").exists()


def test_missing_set_is_an_error(server, tmp_path, capsys):
    server.files["benchmark.tar"] = benchmark_tar()
    (tmp_path / "downloads").mkdir()
    # An archive that lacks Set14 (placed by hand, so no published digest stands in the way).
    (tmp_path / "downloads/benchmark.tar").write_bytes(tar_bytes({"benchmark/Set5/HR/a.png": b"x"}))
    assert run_main(tmp_path, server.url) == 1
    assert "Set14/HR does not exist" in capsys.readouterr().err
    assert server.requests == []


def test_loader_reads_the_layout(server, tmp_path):
    from gan_papers.data.sr_pairs import benchmark_pairs

    server.files["benchmark.tar"] = benchmark_tar()
    assert run_main(tmp_path, server.url) == 0
    pairs = benchmark_pairs(tmp_path, "Set5", scale=4)
    assert [name for name, _, _ in pairs] == ["baby", "bird"]
    # bird is 18x17: cropped to 16x16 HR, 4x4 LR.
    assert pairs[1][1].shape == (4, 4, 3) and pairs[1][2].shape == (16, 16, 3)
