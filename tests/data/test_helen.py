"""The Helen loader on a hand-made prepared folder: shapes, dtypes, ranges and values of (image, labels)
batches in face_dataset's format, split membership, order and shuffling, bad files skipped with one
warning, missing folders and bad input."""

import warnings

import numpy as np
import pytest
from PIL import Image

from gan_papers.data import face_dataset
from gan_papers.data.helen import helen_dataset, helen_folder, helen_images

NAMES = {
    "train": ["100032540_1", "100040721_1", "100466187_1", "10405146_1", "107635070_1"],
    "valid": ["1691766_1", "2908549_1"],
    "test": ["30844800_1", "3171047_1", "3202295_1"],
}
SIZE = 16


def number(name):
    return int(name.split("_")[0]) % 251


def face(name, size=SIZE):
    """A picture that names its face: R = number(name), G = a row ramp, B = a column ramp."""
    rows, cols = np.meshgrid(np.arange(size), np.arange(size), indexing="ij")
    red = np.full((size, size), number(name))
    return np.stack([red, rows * 255 // (size - 1), cols * 255 // (size - 1)], -1).astype(np.uint8)


def labels_of(name, size=SIZE):
    """A label map using every class 0..10, shifted per face so that it names the face too."""
    rows, cols = np.meshgrid(np.arange(size), np.arange(size), indexing="ij")
    return ((rows + cols + number(name)) % 11).astype(np.uint8)


def write_face(folder, name, image, labels):
    Image.fromarray(image).save(folder / "images" / f"{name}.png")
    Image.fromarray(labels).save(folder / "labels" / f"{name}.png")


@pytest.fixture
def data_dir(tmp_path):
    """The folders data_scripts.helen writes, at 16x16 to keep the tests fast."""
    for split, names in NAMES.items():
        folder = helen_folder(tmp_path, split, SIZE)
        for kind in ("images", "labels"):
            (folder / kind).mkdir(parents=True)
        for name in names:
            write_face(folder, name, face(name), labels_of(name))
    return tmp_path


def numbers_in(batches):
    return [int(round(r)) for images, _ in batches for r in (images[:, 0, 0, 0] + 1.0) * 127.5]


def test_batches_match_face_dataset_and_the_files(data_dir):
    dataset = helen_dataset(data_dir, size=SIZE, batch_size=2, shuffle=False)
    builtin = face_dataset(batch_size=2, size=SIZE, with_labels=True)
    assert [(s.shape, s.dtype) for s in dataset.element_spec] == [
        ((2, SIZE, SIZE, 3), "float32"),
        ((2, SIZE, SIZE), "int32"),
    ]
    assert [s.dtype for s in dataset.element_spec] == [s.dtype for s in builtin.element_spec]
    batches = [(images.numpy(), labels.numpy()) for images, labels in dataset.take(3)]
    for images, labels in batches:
        assert images.min() >= -1.0 and images.max() <= 1.0
        assert labels.min() >= 0 and labels.max() <= 10
    names = NAMES["train"]
    expected = np.stack([face(n) for n in names[:2]]).astype(np.float64) / 127.5 - 1.0
    np.testing.assert_allclose(batches[0][0], expected, atol=1e-6)
    np.testing.assert_array_equal(batches[0][1], np.stack([labels_of(n) for n in names[:2]]))
    # Name order, then over again: 1 2 | 3 4 | 5 1; each image with its own label map.
    assert numbers_in(batches) == [number(n) for n in names + names[:1]]
    for images, labels in batches:
        for image, label in zip(images, labels, strict=True):
            assert label[0, 0] == int(round((image[0, 0, 0] + 1.0) * 127.5)) % 11


@pytest.mark.parametrize("split", ["train", "valid", "test"])
def test_a_pass_yields_exactly_its_split(data_dir, split):
    dataset = helen_dataset(
        data_dir, split, size=SIZE, batch_size=4, repeat=False, drop_remainder=False, seed=3
    )
    batches = [(images.numpy(), labels.numpy()) for images, labels in dataset]
    assert sorted(numbers_in(batches)) == sorted(number(n) for n in NAMES[split])


def test_shuffle_is_seeded_and_new_every_pass(data_dir):
    def first_passes(seed):
        dataset = helen_dataset(data_dir, size=SIZE, batch_size=5, seed=seed)
        return [numbers_in([(i.numpy(), None)]) for i, _ in dataset.take(4)]

    passes = first_passes(0)
    assert all(sorted(p) == sorted(number(n) for n in NAMES["train"]) for p in passes)
    assert len({tuple(p) for p in passes}) > 1  # the order changes between passes
    assert first_passes(0) == passes
    assert first_passes(1) != passes


def test_bad_files_are_skipped_with_one_warning(data_dir):
    folder = helen_folder(data_dir, "valid", SIZE)
    # Named to sort first, so that helen_images meets them before the good faces.
    (folder / "images/0001_1.png").write_bytes(b"<html>quota exceeded</html>")
    Image.fromarray(face("0001_1")).save(folder / "labels/0001_1.png")
    write_face(folder, "0002_1", face("0002_1", 20), labels_of("0002_1", 20))  # wrong size
    Image.fromarray(face("0003_1")).save(folder / "images/0003_1.png")  # no label map
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        dataset = helen_dataset(data_dir, "valid", size=SIZE, batch_size=2, repeat=False)
    messages = [str(w.message) for w in caught if "Skipped" in str(w.message)]
    assert len(messages) == 1
    assert "Skipped 4 unreadable Helen file(s)" in messages[0] and "0001_1.png" in messages[0]
    batches = [(i.numpy(), labels.numpy()) for i, labels in dataset]
    assert sorted(numbers_in(batches)) == sorted(number(n) for n in NAMES["valid"])


def test_a_label_that_is_no_class_is_skipped(data_dir):
    folder = helen_folder(data_dir, "test", SIZE)
    Image.fromarray(np.full((SIZE, SIZE), 12, np.uint8)).save(folder / "labels/30844800_1.png")
    with pytest.warns(UserWarning, match=r"Skipped 1 unreadable .*holds label 12, expected 0..10"):
        images, labels = helen_images(data_dir, "test", size=SIZE)
    assert images.shape == (2, SIZE, SIZE, 3) and labels.shape == (2, SIZE, SIZE)
    np.testing.assert_array_equal(labels[0], labels_of("3171047_1"))
    # The dataset checks headers only; the face fails when decoded and is dropped.
    dataset = helen_dataset(
        data_dir, "test", size=SIZE, batch_size=3, repeat=False, shuffle=False, drop_remainder=False
    )
    batches = [(i.numpy(), labels.numpy()) for i, labels in dataset]
    assert numbers_in(batches) == [number("3171047_1"), number("3202295_1")]


def test_helen_images_are_the_first_faces_in_name_order(data_dir):
    images, labels = helen_images(data_dir, "test", size=SIZE, count=2)
    assert images.shape == (2, SIZE, SIZE, 3) and images.dtype == np.float32
    assert labels.shape == (2, SIZE, SIZE) and labels.dtype == np.int32
    expected = np.stack([face(n) for n in NAMES["test"][:2]]) / 127.5 - 1.0
    np.testing.assert_allclose(images, expected, atol=1e-6)
    np.testing.assert_array_equal(labels, np.stack([labels_of(n) for n in NAMES["test"][:2]]))
    assert helen_images(data_dir, "test", size=SIZE)[0].shape[0] == 3  # count=None: all
    with pytest.raises(ValueError, match="holds only 3 readable 16x16 faces"):
        helen_images(data_dir, "test", size=SIZE, count=4)


def test_missing_folder_or_no_readable_face_names_the_command(data_dir, tmp_path):
    command = rf"python -m data_scripts\.helen --data-dir {tmp_path} --size 128"
    with pytest.raises(ValueError, match=rf"prepared_128/train/images` does not exist.*{command}"):
        helen_dataset(tmp_path)
    folder = helen_folder(data_dir, "test", SIZE)
    for path in (folder / "images").iterdir():
        path.write_bytes(b"not a png")
    with pytest.warns(UserWarning, match="Skipped 3 unreadable"):
        with pytest.raises(ValueError, match="holds no readable 16x16 face with its label map"):
            helen_images(data_dir, "test", size=SIZE)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"split": "tuning"}, "`split` must be one of"),
        ({"size": 0}, "`size` must be a positive integer"),
        ({"size": 16.0}, "`size` must be a positive integer"),
        ({"batch_size": 0}, "`batch_size` must be a positive integer"),
        ({"seed": 1.5}, "`seed` must be an integer"),
    ],
)
def test_bad_arguments_raise(data_dir, kwargs, match):
    with pytest.raises(ValueError, match=match):
        helen_dataset(data_dir, **{"size": SIZE, **kwargs})


def test_bad_count_raises(data_dir):
    with pytest.raises(ValueError, match="`count` must be a positive integer"):
        helen_images(data_dir, "test", size=SIZE, count=0)
