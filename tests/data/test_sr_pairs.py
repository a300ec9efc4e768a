"""Whole-image evaluation pairs: benchmark conventions (modcrop, MATLAB bicubic LR, aligned windows),
the folder layouts data_scripts writes, corrupt files skipped with one warning, and bad input."""

import warnings

import numpy as np
import pytest
from PIL import Image

from gan_papers.common.imresize import imresize
from gan_papers.data.photos import HELDOUT_PHOTOS, builtin_photos
from gan_papers.data.sr_pairs import benchmark_pairs, heldout_pairs, sr_folder_pairs


def random_image(height, width, seed):
    return np.random.default_rng(seed).integers(0, 256, (height, width, 3), dtype=np.uint8)


def write_png(path, image):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(image).save(path)
    return path


def expected_lr(hr_uint8, scale):
    """LR as an 8-bit file holds it: MATLAB bicubic imresize(hr, 1/scale), clipped and rounded."""
    lr = imresize(hr_uint8.astype(np.float64) / 255.0, scale=1.0 / scale)
    return np.clip(np.round(lr * 255.0), 0, 255) / 255.0


def find_window(full, window):
    """The first (top, left) where ``window`` sits inside ``full`` (search over matching corners)."""
    h, w = window.shape[:2]
    corners = full[: full.shape[0] - h + 1, : full.shape[1] - w + 1]
    for top, left in np.argwhere(np.all(corners == window[0, 0], axis=-1)):
        if np.array_equal(full[top : top + h, left : left + w], window):
            return int(top), int(left)
    raise AssertionError("window not found")


def test_heldout_pairs_follow_the_benchmark_convention():
    photos = dict(builtin_photos("heldout"))
    pairs = heldout_pairs(scale=4)
    assert [name for name, _, _ in pairs] == list(HELDOUT_PHOTOS)
    for name, lr, hr in pairs:
        photo = photos[name]
        height, width = photo.shape[0] // 4 * 4, photo.shape[1] // 4 * 4
        assert lr.dtype == np.float32 and hr.dtype == np.float32
        assert hr.shape == (height, width, 3) and lr.shape == (height // 4, width // 4, 3)
        # HR is the top-left modcrop of the photo, in [-1, 1].
        np.testing.assert_allclose(hr, photo[:height, :width] / 127.5 - 1.0, atol=1e-6)
        # LR is the MATLAB bicubic of that crop, in [0, 1] on 8-bit levels.
        np.testing.assert_allclose(lr, expected_lr(photo[:height, :width], 4), atol=1e-6)


def test_max_size_keeps_an_aligned_centred_window_of_the_full_pair():
    full = {name: (lr, hr) for name, lr, hr in heldout_pairs(scale=4)}
    for name, lr, hr in heldout_pairs(scale=4, max_size=130):  # 130 -> 128, a multiple of 4
        full_lr, full_hr = full[name]
        assert hr.shape == (128, 128, 3) and lr.shape == (32, 32, 3)
        top, left = find_window(full_hr, hr)
        assert top % 4 == 0 and left % 4 == 0
        assert abs(top - (full_hr.shape[0] - 128) / 2) < 4
        assert abs(left - (full_hr.shape[1] - 128) / 2) < 4
        # The LR window is cut from the LR of the whole image: LR pixel (i, j) covers HR block
        # (4i..4i+3, 4j..4j+3), so the LR borders are those of the full photo, not recomputed.
        np.testing.assert_array_equal(
            lr, full_lr[top // 4 : top // 4 + 32, left // 4 : left // 4 + 32]
        )


def test_max_size_larger_than_the_image_keeps_it_whole():
    (name, lr, hr), *_ = heldout_pairs(scale=4, split="train", max_size=5000)
    photo = dict(builtin_photos("train"))[name]
    assert hr.shape == (photo.shape[0] // 4 * 4, photo.shape[1] // 4 * 4, 3)


def test_folder_pairs_compute_lr_from_the_modcropped_hr(tmp_path):
    images = {"a": random_image(50, 37, 0), "b": random_image(24, 24, 1)}
    for name, image in images.items():
        write_png(tmp_path / f"{name}.png", image)
    (tmp_path / "notes.txt").write_text("not an image: ignored")
    pairs = sr_folder_pairs(tmp_path, scale=4)
    assert [name for name, _, _ in pairs] == ["a", "b"]
    name, lr, hr = pairs[0]
    assert hr.shape == (48, 36, 3) and lr.shape == (12, 9, 3)
    np.testing.assert_allclose(hr, images["a"][:48, :36] / 127.5 - 1.0, atol=1e-6)
    np.testing.assert_allclose(lr, expected_lr(images["a"][:48, :36], 4), atol=1e-6)


def test_folder_pairs_read_the_given_lr_files_as_they_are(tmp_path):
    hr_image, lr_image = random_image(50, 37, 2), random_image(12, 9, 3)
    write_png(tmp_path / "HR" / "0001.png", hr_image)
    write_png(tmp_path / "LR" / "0001x4.png", lr_image)
    ((name, lr, hr),) = sr_folder_pairs(tmp_path / "HR", tmp_path / "LR", scale=4)
    assert name == "0001"
    np.testing.assert_allclose(lr, lr_image / 255.0, atol=1e-6)
    np.testing.assert_allclose(hr, hr_image[:48, :36] / 127.5 - 1.0, atol=1e-6)


def test_lr_file_of_the_wrong_size_raises_naming_it(tmp_path):
    write_png(tmp_path / "HR" / "0001.png", random_image(48, 48, 4))
    write_png(tmp_path / "LR" / "0001x4.png", random_image(24, 24, 5))  # x2, not x4
    with pytest.raises(ValueError, match=r"0001x4\.png has size 24x24; expected 12x12"):
        sr_folder_pairs(tmp_path / "HR", tmp_path / "LR", scale=4)


def test_missing_lr_file_raises_naming_it(tmp_path):
    write_png(tmp_path / "HR" / "0001.png", random_image(48, 48, 4))
    write_png(tmp_path / "HR" / "0002.png", random_image(48, 48, 5))
    write_png(tmp_path / "LR" / "0001x4.png", random_image(12, 12, 6))
    with pytest.raises(ValueError, match=r"0002x4\.png"):
        sr_folder_pairs(tmp_path / "HR", tmp_path / "LR", scale=4)


def test_corrupt_files_are_skipped_counted_and_reported_once(tmp_path):
    for i in range(3):
        write_png(tmp_path / f"{i}.png", random_image(16, 16, i))
    (tmp_path / "empty.png").write_bytes(b"")
    good = (tmp_path / "0.png").read_bytes()
    (tmp_path / "truncated.png").write_bytes(good[: len(good) // 2])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pairs = sr_folder_pairs(tmp_path, scale=4)
    assert [name for name, _, _ in pairs] == ["0", "1", "2"]
    messages = [str(w.message) for w in caught if "unreadable" in str(w.message)]
    assert len(messages) == 1
    assert "Skipped 2 unreadable" in messages[0] and "empty.png" in messages[0]


def test_folder_of_only_corrupt_files_raises(tmp_path):
    (tmp_path / "bad.png").write_bytes(b"not a png")
    with (
        pytest.warns(UserWarning, match="Skipped 1"),
        pytest.raises(ValueError, match="No readable"),
    ):
        sr_folder_pairs(tmp_path)


def test_missing_or_empty_folder_raises_naming_it_and_the_layout(tmp_path):
    with pytest.raises(ValueError, match=r"nowhere` does not exist; expected a folder of HR"):
        sr_folder_pairs(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match=r"empty` holds no image files; expected"):
        sr_folder_pairs(tmp_path / "empty")
    write_png(tmp_path / "HR" / "0001.png", random_image(16, 16, 0))
    with pytest.raises(ValueError, match=r"LR` does not exist; expected a folder of LR images"):
        sr_folder_pairs(tmp_path / "HR", tmp_path / "LR")


def test_benchmark_layout_with_and_without_lr_files(tmp_path):
    hr_images = {"baby": random_image(32, 40, 7), "bird": random_image(28, 28, 8)}
    root = tmp_path / "benchmark" / "B100"
    for name, image in hr_images.items():
        write_png(root / "HR" / f"{name}.png", image)
    # Without LR_bicubic/X4 the LR images are computed.
    pairs = benchmark_pairs(tmp_path, "BSD100", scale=4)  # the paper's name for B100
    assert [name for name, _, _ in pairs] == ["baby", "bird"]
    np.testing.assert_allclose(pairs[0][1], expected_lr(hr_images["baby"], 4), atol=1e-6)
    # With it, the shipped files are used.
    lr_files = {
        name: random_image(i.shape[0] // 4, i.shape[1] // 4, 9) for name, i in hr_images.items()
    }
    for name, image in lr_files.items():
        write_png(root / "LR_bicubic" / "X4" / f"{name}x4.png", image)
    pairs = benchmark_pairs(tmp_path, "B100", scale=4)
    for name, lr, _ in pairs:
        np.testing.assert_allclose(lr, lr_files[name] / 255.0, atol=1e-6)


def test_benchmark_missing_or_unknown_raises(tmp_path):
    with pytest.raises(ValueError, match=r"Set5/HR` does not exist.*data_scripts\.sr_benchmarks"):
        benchmark_pairs(tmp_path, "Set5")
    with pytest.raises(ValueError, match="`name` must be one of"):
        benchmark_pairs(tmp_path, "Set6")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"scale": 0}, "`scale` must be a positive integer"),
        ({"scale": 2.0}, "`scale` must be a positive integer"),
        ({"max_size": 3}, "`max_size` must be at least scale=4"),
        ({"max_size": -8}, "`max_size` must be a positive integer"),
        ({"split": "test"}, "`split` must be one of"),
    ],
)
def test_bad_arguments_raise(kwargs, match):
    with pytest.raises(ValueError, match=match):
        heldout_pairs(**kwargs)
