"""The CelebA loader on a hand-made prepared folder: shapes, ranges and values, split membership, order
and shuffling, corrupt and wrongly sized files skipped with one warning, missing folders and bad input."""

import warnings

import numpy as np
import pytest
from PIL import Image

from gan_papers.data.celeba import celeba_dataset, celeba_folder, celeba_images

# Image names per split, as in list_eval_partition.txt (train first, then valid, then test).
NAMES = {"train": [1, 2, 3, 4, 5], "valid": [162771, 162772], "test": [182638, 182639, 182640]}


def face(number, size):
    """A picture that names its file: R = number % 251, G = a row ramp, B = a column ramp."""
    rows, cols = np.meshgrid(np.arange(size), np.arange(size), indexing="ij")
    red = np.full((size, size), number % 251)
    return np.stack([red, rows * 255 // (size - 1), cols * 255 // (size - 1)], -1).astype(np.uint8)


def make_prepared(data_dir, size=16):
    """The folders data_scripts.celeba writes, holding ``face(number)`` images."""
    for split, numbers in NAMES.items():
        folder = data_dir / "celeba" / f"prepared_{size}" / split
        folder.mkdir(parents=True)
        for number in numbers:
            Image.fromarray(face(number, size)).save(folder / f"{number:06d}.png")


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    # The real sizes are 64 and 128; 16 keeps the files tiny and the tests fast.
    monkeypatch.setattr("gan_papers.data.celeba.CELEBA_SIZES", (16, 64, 128))
    make_prepared(tmp_path)
    return tmp_path


def numbers_in(batches):
    return [int(round(r)) for batch in batches for r in (batch[:, 0, 0, 0] + 1.0) * 127.5]


def test_batches_have_static_shapes_and_the_files_values(data_dir):
    dataset = celeba_dataset(data_dir, size=16, batch_size=2, shuffle=False)
    assert dataset.element_spec.shape == (2, 16, 16, 3)
    assert dataset.element_spec.dtype.name == "float32"
    batches = [batch.numpy() for batch in dataset.take(3)]
    for batch in batches:
        assert batch.min() >= -1.0 and batch.max() <= 1.0
    # Independent decode of the files: value = uint8 / 127.5 - 1.
    expected = np.stack([face(n, 16) for n in [1, 2]]).astype(np.float64) / 127.5 - 1.0
    np.testing.assert_allclose(batches[0], expected, atol=1e-6)
    # Name order, then over again: 1 2 | 3 4 | 5 1.
    assert numbers_in(batches) == [1, 2, 3, 4, 5, 1]


@pytest.mark.parametrize("split", ["train", "valid", "test"])
def test_a_pass_yields_exactly_its_split(data_dir, split):
    dataset = celeba_dataset(
        data_dir, split, size=16, batch_size=4, repeat=False, drop_remainder=False, seed=3
    )
    seen = numbers_in(batch.numpy() for batch in dataset)
    assert sorted(seen) == [n % 251 for n in sorted(NAMES[split])]


def test_shuffle_is_seeded_and_new_every_pass(data_dir):
    def first_passes(seed):
        dataset = celeba_dataset(data_dir, size=16, batch_size=5, seed=seed)
        return [numbers_in([batch.numpy()]) for batch in dataset.take(4)]

    passes = first_passes(0)
    assert all(sorted(p) == [1, 2, 3, 4, 5] for p in passes)
    assert len({tuple(p) for p in passes}) > 1  # the order changes between passes
    assert first_passes(0) == passes
    assert first_passes(1) != passes


def test_corrupt_and_wrongly_sized_files_are_skipped_with_one_warning(data_dir):
    folder = celeba_folder(data_dir, "valid", 16)
    # Named to sort first, so that celeba_images meets them before the good files.
    (folder / "162701.png").write_bytes(b"<html>quota exceeded</html>")
    good = (folder / "162771.png").read_bytes()
    (folder / "162702.png").write_bytes(good[: len(good) // 2])
    Image.fromarray(face(9, 20)).save(folder / "162703.png")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        dataset = celeba_dataset(data_dir, "valid", size=16, batch_size=2, repeat=False)
    messages = [str(w.message) for w in caught if "Skipped" in str(w.message)]
    assert len(messages) == 1
    assert "Skipped 3 unreadable CelebA image file(s)" in messages[0]
    assert "162701.png" in messages[0]
    assert sorted(numbers_in(b.numpy() for b in dataset)) == [162771 % 251, 162772 % 251]

    with pytest.warns(UserWarning, match="Skipped 3 unreadable"):
        images = celeba_images(data_dir, "valid", size=16, count=2)
    np.testing.assert_allclose(images[1], face(162772, 16) / 127.5 - 1.0, atol=1e-6)


def test_folder_without_a_readable_image_raises(data_dir):
    folder = celeba_folder(data_dir, "test", 16)
    for path in folder.iterdir():
        path.write_bytes(b"not a png")
    with pytest.warns(UserWarning, match="Skipped 3 unreadable"):
        with pytest.raises(ValueError, match="holds no readable 16x16 image"):
            celeba_dataset(data_dir, "test", size=16)


def test_missing_or_empty_folder_names_it_and_the_command(tmp_path):
    command = rf"python -m data_scripts\.celeba --data-dir {tmp_path} --size 64"
    with pytest.raises(ValueError, match=rf"prepared_64/train` does not exist.*{command}"):
        celeba_dataset(tmp_path)
    (tmp_path / "celeba" / "prepared_128" / "test").mkdir(parents=True)
    with pytest.raises(ValueError, match=r"prepared_128/test` holds no image files.*--size 128"):
        celeba_images(tmp_path, "test", size=128)


def test_celeba_images_are_the_first_faces_in_name_order(data_dir):
    images = celeba_images(data_dir, "test", size=16, count=2)
    assert images.shape == (2, 16, 16, 3) and images.dtype == np.float32
    expected = np.stack([face(182638, 16), face(182639, 16)]) / 127.5 - 1.0
    np.testing.assert_allclose(images, expected, atol=1e-6)
    with pytest.raises(ValueError, match="holds only 3 readable 16x16 faces"):
        celeba_images(data_dir, "test", size=16, count=4)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"split": "val"}, "`split` must be one of"),
        ({"size": 96}, r"`size` must be one of \[16, 64, 128\]"),
        ({"size": 64.0}, "`size` must be one of"),
        ({"batch_size": 0}, "`batch_size` must be a positive integer"),
        ({"seed": 1.5}, "`seed` must be an integer"),
    ],
)
def test_bad_arguments_raise(data_dir, kwargs, match):
    with pytest.raises(ValueError, match=match):
        celeba_dataset(data_dir, **{"size": 16, **kwargs})


def test_bad_count_raises(data_dir):
    with pytest.raises(ValueError, match="`count` must be a positive integer"):
        celeba_images(data_dir, "test", size=16, count=0)
