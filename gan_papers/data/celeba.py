"""CelebA faces as the two face papers crop them, read from the folders ``data_scripts.celeba`` writes.

Yeh et al. 2017 (*Semantic Image Inpainting*, Sec. 4) train their DCGAN prior on CelebA at 64x64 and
hold test faces out; Li et al. 2017 (*Generative Face Completion*, Sec. 4.1) train and test at 128x128
on the official split of ``list_eval_partition.txt`` (train 162,770 / valid 19,867 / test 19,962).
``python -m data_scripts.celeba --data-dir <data_dir> --size 64 [--size 128]`` crops and resizes
every face once (64: the DCGAN centre 108x108 crop; 128: the centre 178x178 square) and writes::

    <data_dir>/celeba/prepared_<size>/{train,valid,test}/000001.png ...

so this module only decodes small PNGs: no crop or resize happens while training. The procedural
faces of ``gan_papers.data.faces`` are the offline stand-in with the same image convention.

A file that cannot be read, or whose size is not ``size`` x ``size``, is skipped; the skipped files are
counted and named in one warning (``gan_papers.data.image_folder``). That check reads every file once
before the first batch: 0.08-0.2 ms per 64x64 PNG measured on two busy laptop cores, so 13-30 s for
the 162,770 training faces.
"""

import pathlib

import numpy as np

from gan_papers.common.ranges import uint8_to_signed
from gan_papers.common.validation import check_choice, check_positive_int
from gan_papers.data.image_folder import SkippedFiles, list_images, read_image, scan_images

CELEBA_SPLITS = ("train", "valid", "test")
CELEBA_SIZES = (64, 128)


def _check_args(split, size):
    check_choice(split, "split", CELEBA_SPLITS)
    if isinstance(size, bool) or not isinstance(size, int | np.integer) or size not in CELEBA_SIZES:
        raise ValueError(
            f"`size` must be one of {list(CELEBA_SIZES)} (the sizes data_scripts.celeba prepares); "
            f"received {size!r}."
        )
    return int(size)


def celeba_folder(data_dir, split="train", size=64):
    """``<data_dir>/celeba/prepared_<size>/<split>``: where the prepared faces of a split are."""
    size = _check_args(split, size)
    return pathlib.Path(data_dir) / "celeba" / f"prepared_{size}" / split


def _layout(data_dir, split, size):
    return (
        f"CelebA faces {celeba_folder(data_dir, split, size)}/000001.png ..., written by "
        f"`python -m data_scripts.celeba --data-dir {data_dir} --size {size}`"
    )


def _readable_files(data_dir, split, size):
    """The prepared files of a split that open and have the right size; warns once about others."""
    folder = celeba_folder(data_dir, split, size)
    files = list_images(folder, layout=_layout(data_dir, split, size))
    sizes, skipped = scan_images(files, what="CelebA image")
    good = []
    for path in files:
        if path not in sizes:
            continue
        if sizes[path] != (size, size):
            height, width = sizes[path]
            skipped.add(path, ValueError(f"it is {height}x{width}, expected {size}x{size}"))
            continue
        good.append(path)
    skipped.warn(stacklevel=4)
    if not good:
        raise ValueError(
            f"`{folder}` holds no readable {size}x{size} image ({len(skipped)} unreadable files); "
            f"expected {_layout(data_dir, split, size)}."
        )
    return good


def celeba_dataset(
    data_dir,
    split="train",
    size=64,
    batch_size=64,
    seed=0,
    repeat=True,
    shuffle=True,
    drop_remainder=True,
):
    """A ``tf.data.Dataset`` of batches of prepared CelebA faces.

    Args:
        data_dir: the ``--data-dir`` given to ``python -m data_scripts.celeba``.
        split: ``"train"``, ``"valid"`` or ``"test"``: the official partition.
        size: 64 (Yeh et al.) or 128 (Li et al.): which prepared folder to read.
        batch_size: faces per batch (64 in DCGAN's recipe).
        seed: integer; with ``shuffle``, the same seed gives the same order.
        repeat: start over after each pass, forever (for ``fit(steps_per_epoch=...)``).
        shuffle: a new random order of all the split's faces for every pass, from stateless random
            ops seeded by ``(seed, pass)``: repeatable whatever the global seed.
        drop_remainder: drop a last, smaller batch so that the batch dimension is static.

    Returns:
        Batches of float32 images (batch, size, size, 3) in [-1, 1] (8-bit levels). Without
        ``shuffle``, files come in name order (the order of ``list_eval_partition.txt``).

    Raises ``ValueError`` naming the folder and the command that writes it when the folder is
    missing or holds no readable image, and for bad arguments.
    """
    import tensorflow as tf

    size = _check_args(split, size)
    batch_size = check_positive_int(batch_size, "batch_size")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise ValueError(f"`seed` must be an integer; received {seed!r}.")
    files = _readable_files(data_dir, split, size)
    paths = tf.constant([str(path) for path in files])
    count = len(files)
    seed = int(seed)

    def pass_order(epoch):
        if not shuffle:
            return tf.data.Dataset.range(count)
        keys = tf.random.stateless_uniform([count], tf.stack([tf.constant(seed, tf.int64), epoch]))
        return tf.data.Dataset.from_tensor_slices(tf.cast(tf.argsort(keys), tf.int64))

    passes = tf.data.Dataset.counter() if repeat else tf.data.Dataset.range(1)

    def load(index):
        image = tf.io.decode_image(
            tf.io.read_file(paths[index]), channels=3, dtype=tf.uint8, expand_animations=False
        )
        image = tf.ensure_shape(image, [size, size, 3])
        return tf.cast(image, tf.float32) / 127.5 - 1.0

    images = passes.flat_map(pass_order).map(load, num_parallel_calls=tf.data.AUTOTUNE)
    # Every file passed the header check above; one that still fails to decode (changed on disk
    # since) is dropped, with TensorFlow's log line, instead of ending the epoch.
    images = images.ignore_errors(log_warning=True)
    return images.batch(batch_size, drop_remainder=drop_remainder).prefetch(tf.data.AUTOTUNE)


def celeba_images(data_dir, split="test", size=64, count=64):
    """The first ``count`` readable faces of a split, in name order, as one NumPy batch.

    For evaluation (Yeh et al. hold test faces out): float32 (count, size, size, 3) in [-1, 1].
    Unreadable or wrongly sized files are skipped and reported in one warning. Raises ``ValueError``
    when the folder is missing or holds fewer than ``count`` readable faces (prepare more: a smaller
    ``--limit``, or none).
    """
    size = _check_args(split, size)
    count = check_positive_int(count, "count")
    files = list_images(celeba_folder(data_dir, split, size), layout=_layout(data_dir, split, size))
    images, skipped = [], SkippedFiles("CelebA image")
    for path in files:
        if len(images) == count:
            break
        try:
            image = read_image(path)
        # PIL raises OSError, SyntaxError (bad PNG chunks) or ValueError for damaged files.
        except (OSError, SyntaxError, ValueError) as error:
            skipped.add(path, error)
            continue
        if image.shape != (size, size, 3):
            shape = f"{image.shape[0]}x{image.shape[1]}"
            skipped.add(path, ValueError(f"it is {shape}, expected {size}x{size}"))
            continue
        images.append(image)
    skipped.warn()
    if len(images) < count:
        raise ValueError(
            f"`count` is {count}, but `{celeba_folder(data_dir, split, size)}` holds only "
            f"{len(images)} readable {size}x{size} faces ({len(skipped)} unreadable); "
            f"expected {_layout(data_dir, split, size)} without --limit, or a smaller count."
        )
    return uint8_to_signed(np.stack(images))
