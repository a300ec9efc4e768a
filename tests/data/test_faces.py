"""Procedural faces: shapes and ranges, every part present, determinism by (seed, index), labels that
line up with the pixels, variety, left/right sides, size consistency, bad input, the tf.data pipeline."""

import numpy as np
import pytest

from gan_papers.data.faces import (
    FACE_CLASSES,
    FACE_SPLITS,
    MIRRORED_CLASSES,
    colorize_labels,
    face_dataset,
    label_colors,
    render_faces,
)

SKIN, L_BROW, R_BROW, L_EYE, R_EYE, NOSE, U_LIP, MOUTH, L_LIP, HAIR = range(1, 11)


@pytest.fixture(scope="module")
def faces64():
    return render_faces(np.arange(64), size=64)


def luminance(images):
    return images @ np.array([0.299, 0.587, 0.114], dtype=np.float32)


def test_class_names_in_helens_order():
    assert FACE_CLASSES == (
        "background",
        "skin",
        "left_brow",
        "right_brow",
        "left_eye",
        "right_eye",
        "nose",
        "upper_lip",
        "inner_mouth",
        "lower_lip",
        "hair",
    )
    # Mirroring swaps exactly the left/right names and is its own inverse.
    for k, m in enumerate(MIRRORED_CLASSES):
        assert FACE_CLASSES[m] == FACE_CLASSES[k].replace("left", "R").replace(
            "right", "left"
        ).replace("R", "right")
        assert MIRRORED_CLASSES[m] == k


def test_shapes_dtypes_and_ranges(faces64):
    images, labels = faces64
    assert images.shape == (64, 64, 64, 3) and images.dtype == np.float32
    assert labels.shape == (64, 64, 64) and labels.dtype == np.int32
    assert images.min() >= -1.0 and images.max() <= 1.0
    assert labels.min() >= 0 and labels.max() <= 10
    # Not a degenerate image: each face spans a good part of the range.
    assert np.all(images.max(axis=(1, 2, 3)) - images.min(axis=(1, 2, 3)) > 0.8)


def test_every_face_has_its_parts(faces64):
    _, labels = faces64
    present = np.stack([(labels == k).any(axis=(1, 2)) for k in range(11)], axis=1)
    for k in (0, SKIN, L_BROW, R_BROW, L_EYE, R_EYE, NOSE, U_LIP, L_LIP):
        assert present[:, k].all(), (
            f"{FACE_CLASSES[k]} missing in faces {np.where(~present[:, k])[0]}"
        )
    assert present[:, HAIR].mean() > 0.8
    # Parts have sensible sizes: skin is the largest part of the face, eyes are small.
    area = np.stack([(labels == k).mean(axis=(1, 2)) for k in range(11)], axis=1)
    assert np.all(area[:, SKIN] > 0.12) and np.all(area[:, SKIN] < 0.6)
    assert np.all(area[:, L_EYE] < 0.02) and np.all(area[:, R_EYE] < 0.02)


def test_deterministic_by_index_and_seed():
    a_images, a_labels = render_faces([3, 5, 7], size=32, seed=4)
    b_images, b_labels = render_faces([3, 5, 7], size=32, seed=4)
    np.testing.assert_array_equal(a_images, b_images)
    np.testing.assert_array_equal(a_labels, b_labels)
    c_images, _ = render_faces([3, 5, 7], size=32, seed=5)
    assert np.abs(c_images - a_images).mean(axis=(1, 2, 3)).min() > 0.05
    # Different indices are different faces.
    assert np.abs(a_images[0] - a_images[1]).mean() > 0.05


def test_face_alone_equals_face_in_any_batch():
    # 40 faces at 32x32 are rendered in several chunks: position 37 lands in a later chunk.
    batch = np.array([*range(100, 137), 9, 1000, 2])
    images, labels = render_faces(batch, size=32, seed=1)
    for position, index in ((37, 9), (38, 1000), (0, 100)):
        alone_images, alone_labels = render_faces(index, size=32, seed=1)
        np.testing.assert_array_equal(alone_images[0], images[position])
        np.testing.assert_array_equal(alone_labels[0], labels[position])


def test_label_boundaries_are_colour_edges(faces64):
    """Neighbouring pixels with different labels differ in colour far more than pixels with the
    same label; a label map shifted by one pixel loses most of that contrast. This is what an
    exact (pixel-aligned) label map looks like."""
    images, labels = faces64

    def contrast(lab):
        step = np.abs(np.diff(images, axis=2)).sum(axis=-1)  # colour change to the right neighbour
        changes = np.diff(lab, axis=2) != 0
        return step[changes].mean() / step[~changes].mean()

    aligned = contrast(labels)
    shifted = contrast(np.roll(labels, 1, axis=2))
    assert aligned > 15.0  # about 35 to 40 for these faces
    assert shifted < aligned / 5  # about 1.5


def test_part_colours_match_their_labels(faces64):
    images, labels = faces64
    lum = luminance(images)
    redness = images[..., 0] - images[..., 1]
    for image, label, red in zip(images, labels, redness, strict=True):
        skin = label == SKIN
        lips = (label == U_LIP) | (label == L_LIP)
        # Skin and background are different colours.
        assert np.abs(image[skin].mean(0) - image[label == 0].mean(0)).sum() > 0.1
        # Lips are redder than the skin around them.
        assert red[lips].mean() > red[skin].mean()
    # The inner mouth is dark with bright teeth: its pixels sit far from the lips' luminance.
    open_mouths = [k for k in range(64) if (labels[k] == MOUTH).sum() >= 3]
    assert len(open_mouths) > 10
    for k in open_mouths:
        lips = lum[k][(labels[k] == U_LIP) | (labels[k] == L_LIP)].mean()
        assert np.abs(lum[k][labels[k] == MOUTH] - lips).mean() > 0.3


def test_faces_vary(faces64):
    images, labels = faces64
    skin_colour = np.stack([images[k][labels[k] == SKIN].mean(0) for k in range(64)])
    assert skin_colour.std(axis=0).mean() > 0.15  # dark to pale tones
    assert (labels == SKIN).mean(axis=(1, 2)).std() > 0.02  # face sizes and shapes
    hair_area = (labels == HAIR).mean(axis=(1, 2))
    assert hair_area.std() > 0.05  # bald-ish to long hair
    hair_colour = np.stack(
        [images[k][labels[k] == HAIR].mean(0) for k in range(64) if hair_area[k] > 0.02]
    )
    assert luminance(hair_colour).std() > 0.2  # black to blond and grey
    open_fraction = (labels == MOUTH).any(axis=(1, 2)).mean()
    assert 0.25 < open_fraction < 0.75
    background = np.stack([images[k][labels[k] == 0].mean(0) for k in range(64)])
    assert background.std(axis=0).mean() > 0.2
    eye_row = np.array([np.argwhere(labels[k] == L_EYE)[:, 0].mean() for k in range(64)])
    assert eye_row.std() > 1.0  # pose and proportions move the features


def test_left_and_right_are_image_left_and_right(faces64):
    _, labels = faces64
    for label in labels:
        for left, right in ((L_EYE, R_EYE), (L_BROW, R_BROW)):
            left_col = np.argwhere(label == left)[:, 1].mean()
            right_col = np.argwhere(label == right)[:, 1].mean()
            assert left_col < 32 < right_col
            assert left_col < right_col - 8


def test_sizes_give_the_same_face():
    indices = np.arange(12)
    for size in (16, 32, 48, 64, 100, 128):
        images, labels = render_faces(indices[:2], size=size)
        assert images.shape == (2, size, size, 3) and labels.shape == (2, size, size)
    images64, labels64 = render_faces(indices, size=64)
    images128, labels128 = render_faces(indices, size=128)
    # Nearest downsampling: 128-pixel (2i + 1, 2j + 1) is the nearest to 64-pixel (i, j).
    agreement = (labels128[:, 1::2, 1::2] == labels64).mean()
    assert agreement > 0.9
    # 2x2 block means of the 128 image are close to the 64 image.
    pooled = images128.reshape(12, 64, 2, 64, 2, 3).mean(axis=(2, 4))
    assert np.abs(pooled - images64).mean() < 0.05


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"indices": [0], "size": 15}, "size"),
        ({"indices": [0], "size": 64.0}, "size"),
        ({"indices": [0], "size": True}, "size"),
        ({"indices": [-1, 2]}, "indices"),
        ({"indices": [[0, 1]]}, "indices"),
        ({"indices": [0.5]}, "indices"),
        ({"indices": []}, "indices"),
        ({"indices": [0], "seed": "1"}, "seed"),
        ({"indices": [0], "seed": 1.0}, "seed"),
        ({"indices": [0], "seed": -3}, "seed"),
    ],
)
def test_bad_arguments_raise(kwargs, match):
    with pytest.raises(ValueError, match=match):
        render_faces(**kwargs)


def test_dataset_yields_deterministic_batches_with_static_shapes():
    dataset = face_dataset(batch_size=4, size=32, seed=2, split="heldout", start=6, count=8)
    images_spec = dataset.element_spec
    assert tuple(images_spec.shape) == (4, 32, 32, 3)
    first = [b.numpy() for b in dataset.take(3)]
    second = [b.numpy() for b in dataset.take(3)]
    expected, _ = render_faces(
        np.arange(FACE_SPLITS["heldout"][0] + 6, FACE_SPLITS["heldout"][0] + 14), size=32, seed=2
    )
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(first[0], expected[:4])
    np.testing.assert_array_equal(first[1], expected[4:])
    np.testing.assert_array_equal(first[2], expected[:4])  # repeat=True starts over


def test_dataset_with_labels_and_without_repeat():
    dataset = face_dataset(
        batch_size=3, size=16, split=None, start=10, count=7, with_labels=True, repeat=False
    )
    assert tuple(dataset.element_spec[1].shape) == (3, 16, 16)
    batches = list(dataset)
    assert len(batches) == 2  # the last, incomplete batch is dropped
    images, labels = render_faces(np.arange(10, 16), size=16)
    np.testing.assert_array_equal(np.concatenate([b[0].numpy() for b in batches]), images)
    np.testing.assert_array_equal(np.concatenate([b[1].numpy() for b in batches]), labels)
    partial = face_dataset(
        batch_size=3, size=16, split=None, count=7, repeat=False, drop_remainder=False
    )
    assert partial.element_spec.shape[0] is None
    assert [len(b) for b in partial] == [3, 3, 1]


def test_dataset_shuffle_is_a_seeded_permutation():
    def indices(seed):
        dataset = face_dataset(
            batch_size=5, size=16, seed=seed, split=None, count=20, shuffle=True, repeat=False
        )
        return np.concatenate([b.numpy() for b in dataset])

    a, b = indices(0), indices(0)
    np.testing.assert_array_equal(a, b)
    ordered, _ = render_faces(np.arange(20), size=16)
    assert not np.array_equal(a, ordered)
    # The same 20 faces, in another order.
    key = lambda x: x.reshape(len(x), -1)[:, ::7].round(4).tolist()  # noqa: E731
    assert sorted(key(a)) == sorted(key(ordered))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"batch_size": 0}, "batch_size"),
        ({"size": 8}, "size"),
        ({"split": "test"}, "split"),
        ({"split": "heldout", "start": 9_999, "count": 2}, "start"),
        ({"start": -1}, "start"),
        ({"split": None, "shuffle": True}, "shuffle"),
        ({"seed": None}, "seed"),
    ],
)
def test_dataset_bad_arguments_raise(kwargs, match):
    with pytest.raises(ValueError, match=match):
        face_dataset(**kwargs)


def test_colorize_labels():
    palette = label_colors()
    assert palette.shape == (11, 3) and palette.dtype == np.uint8
    assert len({tuple(c) for c in palette}) == 11  # every class has its own colour
    labels = np.array([[[0, 1, 10], [4, 5, 8]]], dtype=np.int32)
    picture = colorize_labels(labels)
    assert picture.shape == (1, 2, 3, 3) and picture.dtype == np.uint8
    np.testing.assert_array_equal(picture[0, 1, 2], palette[8])
    np.testing.assert_array_equal(picture[0, 0, 2], palette[10])
    with pytest.raises(ValueError, match="labels"):
        colorize_labels(np.array([[0, 11]]))
    with pytest.raises(ValueError, match="labels"):
        colorize_labels(np.zeros((2, 2), dtype=np.float32))
    with pytest.raises(ValueError, match="labels"):
        colorize_labels(np.zeros(4, dtype=np.int32))
