"""python -m data_scripts.helen on a fake Helen archive (six faces: random JPEG photos, 11 soft label maps
each whose argmax is a known label map, the three split lists) served over loopback HTTP and file://:
the layout and split sizes, merged labels equal to the known map after the documented crop and a
nearest-neighbour resize, photos equal to an exact area average, the manifest, --limit and re-runs,
trust-on-first-use digest and resume, a web page or HTTP error turned into a manual-download message,
bad faces skipped with one counted warning, a bad list line."""

import io
import json

import numpy as np
import pytest
from PIL import Image

from data_scripts import helen
from tests.data_scripts.helpers import flip_byte, run_script, sha256, zip_bytes

TOP = "SmithCVPR2013_dataset_resized"
ZIP = "SmithCVPR2013_dataset_resized.zip"
WEB_PAGE = b"<!DOCTYPE html><html><head><title>Moved</title></head><body>Sign in</body></html>"

# name -> (split, photo height, width, labelled box (top, left, height, width), expected crop
# (top, left, side)). Every coordinate is even and every region of the label map is made of aligned
# 2x2 blocks, so with --size 16 and a 32-pixel crop any nearest-neighbour convention picks the same
# labels. The crops, worked out by hand from the rule in the docstring (--margin 0.5: side = 2 x the
# box's longer side, centred on the box, moved inside the photo, at most its shorter side):
FACES = {
    # box 16x12 centred at (24, 28): side 32 at (8, 12), inside the photo.
    "100032540_1": ("train", 48, 56, (16, 22, 16, 12), (8, 12, 32)),
    # box at the top-left corner: the square (-6, -4) is moved to (0, 0).
    "100040721_1": ("train", 48, 48, (2, 4, 16, 16), (0, 0, 32)),
    # box 24 tall: side 48 is shrunk to the photo's height 32; centred on column 38 -> left 22.
    "100466187_1": ("train", 32, 64, (4, 30, 24, 16), (0, 22, 32)),
    # centred at (16, 20): top -> 0 (moved inside), left 4.
    "1691766_1": ("valid", 40, 40, (8, 12, 16, 16), (0, 4, 32)),
    "2908549_1": ("test", 52, 44, (26, 10, 16, 16), (18, 2, 32)),
    "30844800_1": ("test", 36, 48, (10, 24, 16, 16), (2, 16, 32)),
}
LISTS = {"train": "exemplars.txt", "valid": "tuning.txt", "test": "testing.txt"}
ARGS = ["--size", "16", "--margin", "0.5"]


def known_labels(name):
    """The label map the 11 soft maps of face ``name`` encode: 2x2 blocks of random classes 1..10
    inside the labelled box, background outside."""
    _, height, width, (top, left, box_h, box_w), _ = FACES[name]
    rng = np.random.default_rng(int(name.split("_")[0]))
    coarse = np.zeros((height // 2, width // 2), np.uint8)
    coarse[top // 2 : (top + box_h) // 2, left // 2 : (left + box_w) // 2] = rng.integers(
        1, 11, (box_h // 2, box_w // 2)
    )
    return np.kron(coarse, np.ones((2, 2), np.uint8))


def soft_maps(labels, seed):
    """11 uint8 maps whose argmax is ``labels``: the labelled class 128..255, the others lower;
    on half of the background every map is 0 (Helen's convention for "no class")."""
    rng = np.random.default_rng(seed)
    peak = rng.integers(128, 256, labels.shape)
    maps = (rng.random((11, *labels.shape)) * peak).astype(np.uint8)  # strictly below the peak
    np.put_along_axis(maps, labels[None].astype(np.int64), peak[None].astype(np.uint8), axis=0)
    empty = (labels == 0) & (rng.random(labels.shape) < 0.5)
    maps[:, empty] = 0
    return maps


def png(array):
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="PNG")
    return buffer.getvalue()


def photo(name):
    _, height, width, _, _ = FACES[name]
    rng = np.random.default_rng(len(name))
    return rng.integers(0, 256, (height, width, 3), dtype=np.uint8)


def jpeg(array):
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="JPEG", quality=95)
    return buffer.getvalue()


def list_text(split, newline="\n"):
    names = [name for name, entry in FACES.items() if entry[0] == split]
    return newline.join(f"{k} , {name}" for k, name in enumerate(names, 1)).encode() + b"\n"


def archive_members(faces=FACES):
    members = {}
    for name in faces:
        members[f"{TOP}/images/{name}.jpg"] = jpeg(photo(name))
        for k, layer in enumerate(soft_maps(known_labels(name), len(name))):
            members[f"{TOP}/labels/{name}/{name}_lbl{k:02d}.png"] = png(layer)
    for split, list_name in LISTS.items():
        # Windows line ends in one list, as files made on Windows have.
        members[f"{TOP}/{list_name}"] = list_text(split, "\r\n" if split == "valid" else "\n")
    return members


@pytest.fixture(scope="module")
def archive():
    return zip_bytes(archive_members())


def run_main(data_dir, base_url, *extra):
    return run_script(helen, data_dir, base_url, *ARGS, *extra)


def prepared(data_dir, name, kind, size=16):
    split = FACES[name][0]
    return np.asarray(Image.open(data_dir / f"helen/prepared_{size}/{split}/{kind}/{name}.png"))


def mirror(tmp_path, data):
    folder = tmp_path / "mirror"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ZIP).write_bytes(data)
    return folder.as_uri()


def test_download_extract_prepare_layout_labels_and_manifest(server, archive, tmp_path):
    server.files[ZIP] = archive
    assert run_main(tmp_path, server.url) == 0
    folder = tmp_path / "helen/prepared_16"
    for split in LISTS:
        expected = sorted(f"{n}.png" for n, entry in FACES.items() if entry[0] == split)
        for kind in ("images", "labels"):
            assert sorted(p.name for p in (folder / split / kind).iterdir()) == expected

    for name, (_, _, _, _, (top, left, side)) in FACES.items():
        labels = prepared(tmp_path, name, "labels")
        assert labels.dtype == np.uint8 and labels.shape == (16, 16)
        window = known_labels(name)[top : top + side, left : left + side]
        np.testing.assert_array_equal(labels, window[::2, ::2])
        # The photo: the same square, area-averaged 2x2 -> 1 (exactly the block mean), rounded.
        source = np.asarray(Image.open(tmp_path / f"helen/{TOP}/images/{name}.jpg"), np.float64)
        blocks = source[top : top + side, left : left + side].reshape(16, 2, 16, 2, 3)
        expected = np.round(blocks.mean(axis=(1, 3)))
        assert np.abs(prepared(tmp_path, name, "images") - expected).max() <= 1

    manifest = json.loads((folder / "manifest.json").read_text())
    assert {s: e["faces"] for s, e in manifest["splits"].items()} == {
        "train": 3,
        "valid": 1,
        "test": 2,
    }
    assert {s: e["official_faces"] for s, e in manifest["splits"].items()} == helen.SPLITS
    assert manifest["size"] == 16 and manifest["crop"]["margin"] == 0.5
    assert manifest["classes"][2] == "left_brow" and len(manifest["classes"]) == 11
    assert manifest["sources"] == {ZIP: sha256(archive)}
    # No published digest: the first download's is recorded (trust on first use).
    assert (tmp_path / "downloads/CHECKSUMS.sha256").read_text() == f"{sha256(archive)}  {ZIP}\n"


def test_limit_then_the_rest_then_another_margin_over_file_url(archive, tmp_path):
    url = mirror(tmp_path, archive)
    data_dir = tmp_path / "data"
    assert run_main(data_dir, url, "--limit", "1") == 0
    folder = data_dir / "helen/prepared_16"
    assert sorted(p.name for p in (folder / "train/images").iterdir()) == ["100032540_1.png"]
    assert len(list((folder / "test/labels").iterdir())) == 1
    assert json.loads((folder / "manifest.json").read_text())["limit"] == 1

    (tmp_path / "mirror" / ZIP).unlink()  # a re-run needs no download: the .done marker
    assert run_main(data_dir, url) == 0
    train = json.loads((folder / "manifest.json").read_text())["splits"]["train"]
    assert (train["faces"], train["written"], train["already_there"]) == (3, 2, 1)
    # Another margin is another crop: every face is prepared again, none kept from the old one.
    assert run_main(data_dir, url, "--margin", "0.25") == 0
    train = json.loads((folder / "manifest.json").read_text())["splits"]["train"]
    assert (train["faces"], train["written"], train["already_there"]) == (3, 3, 0)


def test_interrupted_download_resumes_and_the_recorded_digest_is_enforced(
    server, archive, tmp_path, capsys
):
    server.files[ZIP] = archive
    server.drop_after = len(archive) // 3
    assert run_main(tmp_path / "first", server.url, "--limit", "1") == 0
    assert server.requests == [(ZIP, None), (ZIP, f"bytes={len(archive) // 3}-")]

    # A later download must match the recorded digest; a corrupt one is deleted, not extracted.
    downloads = tmp_path / "second/downloads"
    downloads.mkdir(parents=True)
    (downloads / "CHECKSUMS.sha256").write_text(f"{sha256(archive)}  {ZIP}\n")
    server.files[ZIP] = flip_byte(archive)
    assert run_main(tmp_path / "second", server.url) == 1
    error = capsys.readouterr().err
    assert f"Checksum mismatch for {ZIP}" in error
    assert sha256(archive) in error and sha256(flip_byte(archive)) in error
    assert sorted(p.name for p in downloads.iterdir()) == ["CHECKSUMS.sha256"]
    assert not (tmp_path / "second/helen").exists()


@pytest.mark.parametrize(
    "served, reason",
    [(WEB_PAGE, "web page (HTML) instead of the file"), (None, "HTTP Error 404: Not Found")],
)
def test_refusal_gives_the_manual_download_message(
    server, archive, tmp_path, capsys, served, reason
):
    if served is not None:
        server.files[ZIP] = served
    assert run_main(tmp_path, server.url) == 1
    error = capsys.readouterr().err
    for expected in (
        reason,
        f"{ZIP} from {server.url}/{ZIP}",
        helen.HOMEPAGE,
        f"into {(tmp_path / 'downloads').resolve()}/",
        "Run the same command again",
    ):
        assert expected in error
    # Nothing kept: no file under its final or a temporary name, no digest recorded for a web page.
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []

    (tmp_path / "downloads" / ZIP).write_bytes(archive)  # placed by hand
    assert run_main(tmp_path, "http://127.0.0.1:9") == 0  # nothing listens on port 9
    assert prepared(tmp_path, "30844800_1", "labels").shape == (16, 16)


def test_web_page_saved_by_hand_is_named(tmp_path, capsys):
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    (downloads / ZIP).write_bytes(WEB_PAGE)
    assert run_main(tmp_path, "http://127.0.0.1:9") == 1
    error = capsys.readouterr().err
    assert f"{downloads / ZIP} is not {ZIP}" in error and "web page (HTML)" in error


def test_bad_faces_are_skipped_with_one_counted_warning(tmp_path, capsys):
    members = archive_members()
    good = members[f"{TOP}/images/100040721_1.jpg"]
    members[f"{TOP}/images/100040721_1.jpg"] = good[: len(good) // 3]  # truncated
    del members[f"{TOP}/labels/1691766_1/1691766_1_lbl07.png"]  # missing
    members[f"{TOP}/labels/2908549_1/2908549_1_lbl03.png"] = png(np.zeros((8, 8), np.uint8))
    data_dir = tmp_path / "data"
    assert run_main(data_dir, mirror(tmp_path, zip_bytes(members))) == 0
    error = capsys.readouterr().err
    assert error.count("warning:") == 1
    assert "skipped 3 face(s) (1 missing, 1 unreadable, 1 mismatched)" in error
    assert "100040721_1" in error
    splits = json.loads((data_dir / "helen/prepared_16/manifest.json").read_text())["splits"]
    assert (splits["train"]["faces"], splits["train"]["unreadable"]) == (2, 1)
    assert (splits["valid"]["faces"], splits["valid"]["missing"]) == (0, 1)
    assert (splits["test"]["faces"], splits["test"]["mismatched"]) == (1, 1)
    assert "2908549_1_lbl03.png is 8x8, the photo 52x44" in splits["test"]["problems"][0]


def test_bad_list_line_and_wrong_archive_are_named(tmp_path, capsys):
    members = archive_members()
    members[f"{TOP}/testing.txt"] = b"1 , 2908549_1\n2 30844800_1\n"
    assert run_main(tmp_path / "a", mirror(tmp_path / "a", zip_bytes(members))) == 1
    assert "testing.txt, line 2: expected '<index> , <name>'" in capsys.readouterr().err

    other = zip_bytes({"something_else/readme.txt": b"hello"})
    assert run_main(tmp_path / "b", mirror(tmp_path / "b", other)) == 1
    assert f"holds no {TOP}/ folder: it is not the Helen archive" in capsys.readouterr().err


def test_merge_crop_and_resize_helpers():
    # Ties go to the smaller class, so all-zero maps are background.
    maps = np.zeros((11, 1, 3), np.uint8)
    maps[[4, 5], 0, 1] = 200
    maps[10, 0, 2] = 1
    np.testing.assert_array_equal(helen.merge_labels(maps), [[0, 4, 10]])
    # Default margin 0.1: a 20x10 box -> side round(20 x 1.2) = 24, centred on (row 40, col 35).
    labels = np.zeros((100, 80), np.uint8)
    labels[30:50, 30:40] = 1
    assert helen.crop_box(labels) == (28, 23, 24)
    with pytest.raises(ValueError, match="no pixel is labelled"):
        helen.crop_box(np.zeros((4, 4), np.uint8))
    # A crop smaller than --size is enlarged (bicubic); labels stay classes.
    small = np.random.default_rng(0).integers(0, 256, (10, 10, 3), dtype=np.uint8)
    assert helen.resize_image(small, 16).shape == (16, 16, 3)
    grown = helen.resize_labels(np.eye(2, dtype=np.uint8), 4)
    np.testing.assert_array_equal(grown, np.kron(np.eye(2), np.ones((2, 2))))


def test_loader_reads_what_the_script_writes(archive, tmp_path):
    from gan_papers.data.helen import helen_images

    assert run_main(tmp_path, mirror(tmp_path, archive)) == 0
    images, labels = helen_images(tmp_path, "test", size=16)
    assert images.shape == (2, 16, 16, 3) and labels.shape == (2, 16, 16)
    np.testing.assert_array_equal(labels[1], prepared(tmp_path, "30844800_1", "labels"))
    expected = prepared(tmp_path, "2908549_1", "images") / 127.5 - 1.0
    np.testing.assert_allclose(images[0], expected, atol=1e-6)
