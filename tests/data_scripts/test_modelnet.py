"""python -m data_scripts.modelnet on a fake ModelNet10 archive (two classes: boxes and tetrahedra, one mesh
with ModelNet's header defect, one truncated, macOS metadata) served over loopback HTTP and file://: the
layout, the voxel grids (exact counts for the boxes), labels, class names and file names, the manifest,
the corrupt mesh skipped with one counted warning, --limit, re-runs that reuse finished classes,
trust-on-first-use digest and resume, a web page or HTTP error turned into a manual-download message,
--variant 40, the loaders reading what the script writes."""

import json

import numpy as np
import pytest

from data_scripts import _modelnet_voxels, modelnet
from gan_papers.data.modelnet import modelnet_dataset, modelnet_voxels
from tests.data.test_modelnet import box_mesh, expected_box_count, off_text
from tests.data_scripts.helpers import flip_byte, run_script, sha256, zip_bytes

ZIP = "ModelNet10.zip"
WEB_PAGE = b"<!DOCTYPE html><html><head><title>Moved</title></head><body>Sign in</body></html>"
TETRA = (np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]], float), [(0, 2, 1), (0, 1, 3)])
TETRA = (TETRA[0], np.array(TETRA[1] + [(0, 3, 2), (1, 2, 3)]))
R = 16
ARGS = ["--resolution", str(R)]


def archive_members(top="ModelNet10"):
    truncated = off_text(*TETRA)
    return {
        f"{top}/box/train/box_0001.off": off_text(*box_mesh()),
        f"{top}/box/train/box_0002.off": off_text(*box_mesh(1.0, 0.5, 0.75), header_defect=True),
        f"{top}/box/test/box_0003.off": off_text(*box_mesh(0.5, 1.0, 0.25), comment=True),
        f"{top}/tetra/train/tetra_0001.off": off_text(*TETRA),
        f"{top}/tetra/train/tetra_0002.off": truncated[: len(truncated) // 2],
        f"{top}/tetra/test/tetra_0003.off": off_text(*TETRA, header_defect=True),
        # macOS metadata, as in the real archive: ignored.
        f"{top}/tetra/train/._tetra_0001.off": b"\x00\x05\x16\x07 resource fork",
        f"__MACOSX/{top}/box/train/._box_0001.off": b"\x00\x05\x16\x07",
    }


@pytest.fixture(scope="module")
def archive():
    return zip_bytes(archive_members())


def run_main(data_dir, base_url, *extra):
    return run_script(modelnet, data_dir, base_url, *ARGS, *extra)


def mirror(tmp_path, data, name=ZIP):
    folder = tmp_path / "mirror"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    return folder.as_uri()


def load(data_dir, split, variant=10):
    with np.load(data_dir / f"modelnet{variant}/prepared_{R}/{split}.npz") as npz:
        return {key: npz[key] for key in npz.files}


def test_download_voxelise_layout_labels_and_manifest(server, archive, tmp_path, capsys):
    server.files[ZIP] = archive
    assert run_main(tmp_path, server.url) == 0
    train, test = load(tmp_path, "train"), load(tmp_path, "test")
    assert train["class_names"].tolist() == ["box", "tetra"]
    assert train["files"].tolist() == [
        "box/train/box_0001.off",
        "box/train/box_0002.off",
        "tetra/train/tetra_0001.off",
    ]
    assert train["labels"].tolist() == [0, 0, 1] and train["labels"].dtype == np.int32
    assert test["files"].tolist() == ["box/test/box_0003.off", "tetra/test/tetra_0003.off"]
    assert train["voxels"].dtype == np.uint8 and train["voxels"].shape == (3, R**3 // 8)
    grids = np.unpackbits(train["voxels"], axis=1).reshape(3, R, R, R).astype(bool)
    assert grids[0].sum() == 14**3  # the cube fills the padded grid
    assert grids[1].sum() == expected_box_count((1.0, 0.5, 0.75), R)  # the defective header
    tetra = grids[2].sum()
    assert 14**3 / 6 < tetra < 14**3 / 2  # a sixth of its bounding cube, grown by the surface
    test_grids = np.unpackbits(test["voxels"], axis=1).reshape(2, R, R, R).astype(bool)
    assert test_grids[0].sum() == expected_box_count((0.5, 1.0, 0.25), R)
    np.testing.assert_array_equal(test_grids[1], grids[2])  # the same tetrahedron

    folder = tmp_path / f"modelnet10/prepared_{R}"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["classes"] == ["box", "tetra"] and manifest["resolution"] == R
    assert manifest["splits"]["train"]["per_class"] == {"box": 2, "tetra": 1}
    assert manifest["splits"]["train"]["official_meshes"] == 3991
    assert (
        manifest["splits"]["train"]["skipped"] == 1 and manifest["splits"]["test"]["skipped"] == 0
    )
    assert "tetra/train/tetra_0002.off" in manifest["splits"]["train"]["problems"][0]
    assert manifest["sources"] == {ZIP: sha256(archive)}
    # No published digest: the first download's is recorded (trust on first use).
    assert (tmp_path / "downloads/CHECKSUMS.sha256").read_text() == f"{sha256(archive)}  {ZIP}\n"
    captured = capsys.readouterr()
    assert captured.err.count("warning:") == 1
    assert "skipped 1 unreadable mesh(es); the first: tetra/train/tetra_0002.off" in captured.err
    assert "908" in captured.out  # the official test split's size, for comparison


def test_limit_rerun_reuses_finished_classes_and_force_redoes_them(archive, tmp_path, monkeypatch):
    url = mirror(tmp_path, archive)
    data_dir = tmp_path / "data"
    calls = []
    voxelize = _modelnet_voxels.voxelize_mesh
    monkeypatch.setattr(
        _modelnet_voxels, "voxelize_mesh", lambda *a, **k: calls.append(1) or voxelize(*a, **k)
    )
    assert run_main(data_dir, url, "--limit", "1") == 0
    assert load(data_dir, "train")["files"].tolist() == [
        "box/train/box_0001.off",
        "tetra/train/tetra_0001.off",
    ]
    manifest = json.loads((data_dir / f"modelnet10/prepared_{R}/manifest.json").read_text())
    assert manifest["limit"] == 1
    assert len(calls) == 4

    (tmp_path / "mirror" / ZIP).unlink()  # a re-run needs no download: the .done marker
    calls.clear()
    assert run_main(data_dir, url) == 0
    # The train classes grew (the truncated mesh fails before voxelising); the test classes, of one
    # mesh each, were finished and are kept.
    assert len(calls) == 3
    calls.clear()
    assert run_main(data_dir, url) == 0
    assert calls == []
    assert len(load(data_dir, "train")["labels"]) == 3
    assert run_main(data_dir, url, "--force") == 0  # the kept archive is verified, not fetched
    assert len(calls) == 5


def test_a_cut_download_resumes_and_a_changed_archive_is_refused(server, archive, tmp_path, capsys):
    server.files[ZIP] = archive
    server.drop_after = 1000
    assert run_main(tmp_path, server.url, "--limit", "1") == 0
    assert [r for _, r in server.requests] == [None, "bytes=1000-"]  # the rest only
    assert (tmp_path / "downloads" / ZIP).read_bytes() == archive

    # Another data folder that trusts the first digest: a different archive is not used.
    other = tmp_path / "other"
    (other / "downloads").mkdir(parents=True)
    (other / "downloads/CHECKSUMS.sha256").write_text(f"{sha256(archive)}  {ZIP}\n")
    server.files[ZIP] = flip_byte(archive, 100)
    assert run_main(other, server.url) == 1
    assert f"expected SHA-256 {sha256(archive)}" in capsys.readouterr().err
    assert not (other / "downloads" / ZIP).exists() and not (other / "modelnet10").exists()


def test_a_web_page_or_an_http_error_asks_for_a_manual_download(server, archive, tmp_path, capsys):
    server.files[ZIP] = WEB_PAGE
    assert run_main(tmp_path / "page", server.url) == 1
    page = capsys.readouterr().err
    del server.files[ZIP]
    assert run_main(tmp_path / "gone", server.url) == 1
    gone = capsys.readouterr().err
    assert "web page (HTML) instead of the file" in page and "HTTP Error 404" in gone
    for message, folder in ((page, "page"), (gone, "gone")):
        assert f"{ZIP} from {server.url}/{ZIP}" in message and modelnet.HOMEPAGE in message
        assert f"into {(tmp_path / folder / 'downloads').resolve()}/" in message
        assert "run the same command again" in message
    # No web page kept, under any name, and no digest recorded for it.
    assert not any(path.is_file() for path in tmp_path.rglob("*"))
    # The archive saved by hand is used with no network (nothing listens on port 9).
    (tmp_path / "page/downloads" / ZIP).write_bytes(archive)
    assert run_main(tmp_path / "page", "http://127.0.0.1:9") == 0
    assert load(tmp_path / "page", "test")["files"].size == 2


def test_wrong_archive_is_named(tmp_path, capsys):
    other = zip_bytes({"something_else/readme.txt": b"hello"})
    assert run_main(tmp_path, mirror(tmp_path, other)) == 1
    assert "holds no ModelNet10/ folder: it is not the ModelNet archive" in capsys.readouterr().err
    empty = zip_bytes({"ModelNet10/readme.txt": b"hello"})
    assert run_main(tmp_path / "b", mirror(tmp_path / "b", empty)) == 1
    assert "holds no <class>/train or <class>/test folder" in capsys.readouterr().err


def test_variant_40_fetches_and_writes_its_own_folders(server, tmp_path):
    server.files["ModelNet40.zip"] = zip_bytes(archive_members("ModelNet40"))
    assert run_main(tmp_path, server.url, "--variant", "40") == 0
    assert server.requests == [("ModelNet40.zip", None)]
    manifest = json.loads((tmp_path / f"modelnet40/prepared_{R}/manifest.json").read_text())
    assert manifest["dataset"].startswith("ModelNet40") and manifest["classes"] == ["box", "tetra"]
    voxels, labels = modelnet_voxels(tmp_path, "train", R, variant=40)
    assert voxels.shape == (3, R, R, R, 1) and labels.tolist() == [0, 0, 1]


def test_loaders_read_what_the_script_writes(archive, tmp_path):
    assert run_main(tmp_path, mirror(tmp_path, archive)) == 0
    voxels, labels = modelnet_voxels(tmp_path, "train", resolution=R)
    assert voxels.shape == (3, R, R, R, 1) and voxels.dtype == np.float32
    assert labels.tolist() == [0, 0, 1]
    packed = load(tmp_path, "train")["voxels"]
    np.testing.assert_array_equal(np.packbits(voxels[1].reshape(-1).astype(np.uint8)), packed[1])
    # Placement as the procedural shapes: the cube from voxel 1 to 14 on every axis at 16^3.
    cube = np.argwhere(voxels[0, ..., 0])
    assert cube.min(axis=0).tolist() == [1, 1, 1] and cube.max(axis=0).tolist() == [14, 14, 14]
    dataset = modelnet_dataset(tmp_path, "test", R, batch_size=2, with_labels=True, shuffle=False)
    first = next(iter(dataset))
    np.testing.assert_array_equal(first[1].numpy(), [0, 1])
