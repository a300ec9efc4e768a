"""Built-in photos: a fixed, disjoint train / held-out split of real colour photographs, read once."""

import numpy as np
import pytest

from gan_papers.data.photos import HELDOUT_PHOTOS, TRAIN_PHOTOS, builtin_photos


def test_split_is_fixed_and_disjoint():
    train = [name for name, _ in builtin_photos("train")]
    heldout = [name for name, _ in builtin_photos("heldout")]
    # The split is part of the documented behaviour: results are comparable across runs only if
    # it never changes.
    assert train == [
        "astronaut",
        "motorcycle",
        "hubble_deep_field",
        "immunohistochemistry",
        "retina",
        "china",
        "flower",
    ]
    assert heldout == ["grace_hopper", "chelsea", "coffee", "rocket"]
    assert set(train).isdisjoint(heldout)
    assert [name for name, _ in builtin_photos("all")] == train + heldout
    assert tuple(train) == TRAIN_PHOTOS and tuple(heldout) == HELDOUT_PHOTOS


def test_photos_are_rgb_uint8_photographs_large_enough_for_training_crops():
    for name, image in builtin_photos("all"):
        assert image.dtype == np.uint8 and image.ndim == 3 and image.shape[2] == 3, name
        # 96x96 paper crops and the demo's 256-pixel evaluation windows fit in every photo.
        assert min(image.shape[:2]) >= 256, (name, image.shape)
        # A real photograph has a rich palette and all three channels differ (not greyscale).
        colours = image.reshape(-1, 3).astype(np.int32) @ np.array([1 << 16, 1 << 8, 1])
        assert len(np.unique(colours)) > 5000, name
        assert not np.array_equal(image[..., 0], image[..., 1]), name


def test_photos_are_cached_and_read_only():
    first = dict(builtin_photos("train"))
    second = dict(builtin_photos("all"))
    assert all(first[name] is second[name] for name in first)
    with pytest.raises(ValueError):
        first["astronaut"][0, 0, 0] = 1


def test_motorcycle_is_the_left_stereo_view():
    import skimage.data

    left, right, _ = skimage.data.stereo_motorcycle()
    motorcycle = dict(builtin_photos("train"))["motorcycle"]
    np.testing.assert_array_equal(motorcycle, left)
    assert not np.array_equal(motorcycle, right)


def test_sklearn_photos_are_its_sample_images():
    from sklearn.datasets import load_sample_image

    photos = dict(builtin_photos("train"))
    for name in ("china", "flower"):
        np.testing.assert_array_equal(photos[name], load_sample_image(f"{name}.jpg"))


@pytest.mark.parametrize("split", ["test", "valid", None, 1])
def test_bad_split_raises(split):
    with pytest.raises(ValueError, match="`split` must be one of"):
        builtin_photos(split)
