"""Training crops for SRGAN: shapes and ranges, LR recomputed independently (MATLAB bicubic, scipy
Gaussian), determinism, crops that really are (augmented) windows of the images, folders with corrupt
files, and bad input."""

import io
import struct
import warnings
import zlib

import numpy as np
import pytest
import tensorflow as tf
from PIL import Image
from scipy import ndimage

from gan_papers.common.imresize import imresize
from gan_papers.data.sr_training import degrade, div2k_dataset, folder_sr_dataset, sr_dataset


def coordinate_image(height, width, image_id):
    """R = row, G = column, B = image id: every crop tells where it came from."""
    rows, cols = np.meshgrid(np.arange(height), np.arange(width), indexing="ij")
    return np.stack([rows, cols, np.full_like(rows, image_id)], axis=-1).astype(np.uint8)


def to_uint8(hr):
    return np.round((np.asarray(hr) + 1.0) * 127.5).astype(np.int64)


def quantise(lr):
    return np.clip(np.round(lr * 255.0), 0, 255) / 255.0


def window_of(crop, images):
    """The window of ``images[id]`` that ``crop`` (a coordinate-image crop) was cut from."""
    image = images[int(crop[0, 0, 2])]
    top, left = crop[..., 0].min(), crop[..., 1].min()
    size = crop.shape[0]
    return image[top : top + size, left : left + size].astype(np.int64)


def dihedral(window):
    turns = [np.rot90(window, k) for k in range(4)]
    return turns + [t[:, ::-1] for t in turns]


def take(dataset, n):
    return [(lr.numpy(), hr.numpy()) for lr, hr in dataset.take(n)]


def test_batches_have_the_paper_shapes_and_ranges():
    dataset = sr_dataset("train", crop_size=48, scale=4, batch_size=4)
    lr_spec, hr_spec = dataset.element_spec
    # Static shapes: fit() and XLA see one batch shape.
    assert lr_spec.shape == (4, 12, 12, 3) and hr_spec.shape == (4, 48, 48, 3)
    assert lr_spec.dtype == tf.float32 and hr_spec.dtype == tf.float32
    for lr, hr in take(dataset, 2):
        assert lr.min() >= 0.0 and lr.max() <= 1.0
        assert hr.min() >= -1.0 and hr.max() <= 1.0
        np.testing.assert_allclose(lr * 255.0, np.round(lr * 255.0), atol=1e-4)  # 8-bit levels
        np.testing.assert_allclose(to_uint8(hr), (hr + 1.0) * 127.5, atol=1e-3)


def test_bicubic_lr_is_matlab_imresize_of_the_hr_crop():
    ((lr, hr),) = take(sr_dataset("train", crop_size=48, scale=4, batch_size=8, seed=3), 1)
    expected = quantise(imresize((hr.astype(np.float64) + 1.0) / 2.0, scale=0.25))
    # float32 in the pipeline vs float64 here: at most one 8-bit level apart, almost always equal.
    assert np.abs(lr - expected).max() <= 1 / 255 + 1e-6
    assert np.mean(np.abs(lr - expected) < 1e-6) > 0.99


def test_gaussian_lr_is_blur_then_subsample_for_an_odd_scale():
    # At scale 3 the LR pixel centres are HR pixels 1, 4, 7, ...: plain blur-then-subsample.
    dataset = sr_dataset("train", crop_size=48, scale=3, batch_size=4, degradation="gaussian")
    ((lr, hr),) = take(dataset, 1)
    assert lr.shape == (4, 16, 16, 3)
    unit = (hr.astype(np.float64) + 1.0) / 2.0
    blurred = ndimage.gaussian_filter(unit, sigma=(0, 1.0, 1.0, 0), mode="reflect", truncate=4.0)
    expected = quantise(blurred[:, 1::3, 1::3])
    assert np.abs(lr - expected).max() <= 1 / 255 + 1e-6
    assert np.mean(np.abs(lr - expected) < 1e-6) > 0.99


@pytest.mark.parametrize("degradation", ["bicubic", "gaussian"])
def test_both_degradations_sample_the_lr_pixel_centres(degradation):
    # A symmetric filter reproduces a linear ramp, so away from the borders LR pixel j must hold the
    # ramp's value at its centre, HR coordinate 4j + 1.5: LR and HR stay aligned.
    ramp = np.arange(64, dtype=np.float32) / 64.0
    hr = np.broadcast_to(ramp[None, :, None, None], (1, 64, 64, 3)).copy()
    lr = degrade(tf.constant(hr), scale=4, degradation=degradation).numpy()
    assert lr.shape == (1, 16, 16, 3)
    centres = (4 * np.arange(16) + 1.5) / 64.0
    np.testing.assert_allclose(lr[0, 3:-3, 5, 0], centres[3:-3], atol=1e-5)
    constant = degrade(tf.fill([1, 64, 64, 3], 0.3), scale=4, degradation=degradation).numpy()
    np.testing.assert_allclose(constant, 0.3, atol=1e-5)


def test_gaussian_differs_from_bicubic_on_the_same_crops():
    spec = {"crop_size": 48, "scale": 4, "batch_size": 4, "seed": 5}
    ((lr_bicubic, hr_bicubic),) = take(sr_dataset("train", **spec), 1)
    ((lr_gauss, hr_gauss),) = take(sr_dataset("train", degradation="gaussian", **spec), 1)
    ((lr_blurry, _),) = take(
        sr_dataset("train", degradation="gaussian", gaussian_sigma=3.0, **spec), 1
    )
    np.testing.assert_array_equal(hr_bicubic, hr_gauss)  # randomness does not depend on it
    assert lr_gauss.shape == lr_bicubic.shape
    assert np.abs(lr_gauss - lr_bicubic).mean() > 0.001  # 0.0018 on these crops
    # A wider Gaussian removes more detail: smaller differences between neighbouring LR pixels.
    assert np.abs(np.diff(lr_blurry, axis=2)).mean() < np.abs(np.diff(lr_gauss, axis=2)).mean()


def test_same_seed_same_batches_other_seed_other_batches():
    dataset = sr_dataset("train", crop_size=32, batch_size=4, seed=7)
    first, again = take(dataset, 3), take(dataset, 3)
    rebuilt = take(sr_dataset("train", crop_size=32, batch_size=4, seed=7), 3)
    other = take(sr_dataset("train", crop_size=32, batch_size=4, seed=8), 3)
    for a, b, c, d in zip(first, again, rebuilt, other, strict=True):
        np.testing.assert_array_equal(a[1], b[1])
        np.testing.assert_array_equal(a[1], c[1])
        np.testing.assert_array_equal(a[0], c[0])
        assert not np.array_equal(a[1], d[1])


def test_crops_without_augmentation_are_windows_of_the_images():
    images = [coordinate_image(60, 100, 0), coordinate_image(90, 40, 1)]
    dataset = sr_dataset(images, crop_size=32, scale=4, batch_size=8, augment=False)
    crops = np.concatenate([hr for _, hr in take(dataset, 4)])
    crops = to_uint8(crops)
    for crop in crops:
        np.testing.assert_array_equal(crop, window_of(crop, images))
    assert set(crops[:, 0, 0, 2]) == {0, 1}  # both images are drawn
    assert len({(c[0, 0, 0], c[0, 0, 1]) for c in crops}) > 20  # crop positions vary


def test_augmentation_flips_and_rotates_windows():
    images = [coordinate_image(80, 80, 0)]
    crops = to_uint8(
        np.concatenate([hr for _, hr in take(sr_dataset(images, crop_size=32, batch_size=16), 3)])
    )
    seen = set()
    for crop in crops:
        variants = dihedral(window_of(crop, images))
        matches = [k for k, v in enumerate(variants) if np.array_equal(crop, v)]
        assert matches, "a crop is not a flip / rotation of a window"
        seen.add(matches[0])
    assert len(seen) >= 6  # 48 crops: (7/8)**48 makes missing any one of 8 transforms unlikely


def test_one_pass_without_repeat_uses_every_image_crops_per_image_times():
    images = [coordinate_image(40, 40, i) for i in range(3)]
    dataset = sr_dataset(images, crop_size=16, batch_size=4, repeat=False, crops_per_image=2)
    batches = take(dataset, 10)
    assert [hr.shape[0] for _, hr in batches] == [4, 2]  # the last batch is short
    ids = to_uint8(np.concatenate([hr for _, hr in batches]))[:, 0, 0, 2]
    assert sorted(ids) == [0, 0, 1, 1, 2, 2]


def test_images_smaller_than_the_crop_are_skipped_with_a_warning():
    images = [("big", coordinate_image(40, 40, 0)), ("small", coordinate_image(20, 60, 1))]
    with pytest.warns(UserWarning, match=r"Skipped 1 image\(s\) smaller than crop_size=32: small"):
        dataset = sr_dataset(images, crop_size=32, batch_size=4)
    ((_, hr),) = take(dataset, 1)
    assert set(to_uint8(hr)[:, 0, 0, 2]) == {0}
    with pytest.raises(ValueError, match="No image is at least crop_size=64"):
        sr_dataset(images, crop_size=64)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"crop_size": 30, "scale": 4}, "`crop_size` must be divisible by scale=4"),
        ({"crop_size": 0}, "`crop_size` must be a positive integer"),
        ({"batch_size": 0}, "`batch_size` must be a positive integer"),
        ({"scale": 1.5}, "`scale` must be a positive integer"),
        ({"degradation": "nearest"}, "`degradation` must be one of"),
        ({"seed": "zero"}, "`seed` must be an integer"),
        ({"crops_per_image": 0}, "`crops_per_image` must be a positive integer"),
        ({"images_or_split": "test"}, "`images_or_split` must be one of"),
        ({"images_or_split": []}, "must hold at least one image"),
        ({"images_or_split": [np.zeros((40, 40, 3), np.float32)]}, "must hold uint8 HxWx3"),
        ({"images_or_split": [np.zeros((40, 40), np.uint8)]}, "must hold uint8 HxWx3"),
        ({"degradation": "gaussian", "gaussian_sigma": 0.0}, "`gaussian_sigma` must be positive"),
    ],
)
def test_bad_arguments_raise(kwargs, match):
    kwargs = {"crop_size": 32, **kwargs}
    with pytest.raises(ValueError, match=match):
        sr_dataset(**kwargs)


def png_that_passes_the_header_check_but_fails_to_decode(image):
    """A PNG whose compressed pixel data is garbage under valid chunk checksums."""
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG")
    data, out, pos = buffer.getvalue(), bytearray(buffer.getvalue()[:8]), 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IDAT":
            body = bytes(np.random.default_rng(0).integers(0, 256, len(body), dtype=np.uint8))
        out += (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )
        pos += 12 + length
    return bytes(out)


def test_folder_dataset_skips_corrupt_files_and_warns_once(tmp_path):
    images = [coordinate_image(40, 48, i) for i in range(3)]
    for i, image in enumerate(images):
        Image.fromarray(image).save(tmp_path / f"{i:04d}.png")
    (tmp_path / "0100.png").write_bytes(b"<html>not found</html>")
    (tmp_path / "0101.png").write_bytes(
        png_that_passes_the_header_check_but_fails_to_decode(images[0])
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        dataset = folder_sr_dataset(
            tmp_path, crop_size=32, batch_size=4, repeat=False, crops_per_image=2
        )
    messages = [str(w.message) for w in caught if "unreadable" in str(w.message)]
    assert (
        len(messages) == 1 and "Skipped 1 unreadable" in messages[0] and "0100.png" in messages[0]
    )
    # The file that only fails when decoded is dropped in the pipeline; the pass still completes.
    batches = take(dataset, 10)
    crops = to_uint8(np.concatenate([hr for _, hr in batches]))
    assert sorted(crops[:, 0, 0, 2]) == [0, 0, 1, 1, 2, 2]
    for crop in crops:
        assert any(np.array_equal(crop, v) for v in dihedral(window_of(crop, images)))
    lr, hr = batches[0]
    expected = quantise(imresize((hr.astype(np.float64) + 1.0) / 2.0, scale=0.25))
    assert np.abs(lr - expected).max() <= 1 / 255 + 1e-6


def test_folder_dataset_is_deterministic(tmp_path):
    for i in range(3):
        Image.fromarray(coordinate_image(40, 48, i)).save(tmp_path / f"{i}.png")
    first = take(folder_sr_dataset(tmp_path, crop_size=16, batch_size=4, seed=2), 3)
    second = take(folder_sr_dataset(tmp_path, crop_size=16, batch_size=4, seed=2), 3)
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a[1], b[1])


def test_div2k_layout_missing_and_empty_folders(tmp_path):
    with pytest.raises(ValueError, match=r"DIV2K_train_HR` does not exist.*data_scripts\.div2k"):
        div2k_dataset(tmp_path)
    (tmp_path / "DIV2K" / "DIV2K_valid_HR").mkdir(parents=True)
    with pytest.raises(ValueError, match=r"DIV2K_valid_HR` holds no image files; expected DIV2K"):
        div2k_dataset(tmp_path, split="valid")
    with pytest.raises(ValueError, match="`split` must be one of"):
        div2k_dataset(tmp_path, split="test")
    Image.fromarray(coordinate_image(40, 40, 9)).save(
        tmp_path / "DIV2K" / "DIV2K_valid_HR" / "0801.png"
    )
    ((lr, hr),) = take(div2k_dataset(tmp_path, split="valid", crop_size=32, batch_size=2), 1)
    assert lr.shape == (2, 8, 8, 3) and set(to_uint8(hr)[:, 0, 0, 2]) == {9}


def test_folder_without_a_decodable_image_raises(tmp_path):
    image = coordinate_image(40, 40, 0)
    (tmp_path / "0001.png").write_bytes(png_that_passes_the_header_check_but_fails_to_decode(image))
    with pytest.warns(UserWarning, match="Skipped 1 unreadable"):
        with pytest.raises(ValueError, match="holds no readable image"):
            folder_sr_dataset(tmp_path, crop_size=32)
