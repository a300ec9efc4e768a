"""Helen face parsing (Smith et al., CVPR 2013), read from the folders ``data_scripts.helen`` writes.

Li et al. 2017 (*Generative Face Completion*) pretrain the face parsing network behind their
semantic parsing loss on Helen's 11-class label maps (2,000 training, 230 tuning and 100 test faces
in Smith et al.'s lists), at the 128x128 face size of the completion network.
``python -m data_scripts.helen --data-dir <data_dir> [--size 128]`` merges each face's 11 class maps
into one label map, crops a square around the face, resizes both and writes::

    <data_dir>/helen/prepared_<size>/{train,valid,test}/images/<name>.png    RGB
    <data_dir>/helen/prepared_<size>/{train,valid,test}/labels/<name>.png    8-bit grey, 0..10

so batches come in the format of ``face_dataset(..., with_labels=True)`` (classes in the order of
``FACE_CLASSES``) and the parser trains on either. See ``data_scripts.helen`` for the left/right
convention of Helen's labels, which we could not establish.

A face whose image or label file is missing, unreadable or not ``size`` x ``size`` is skipped; the
skipped files are counted and named in one warning (``gan_papers.data.image_folder``).
"""

import pathlib

import numpy as np

from gan_papers.common.ranges import uint8_to_signed
from gan_papers.common.validation import check_choice, check_positive_int
from gan_papers.data.faces import FACE_CLASSES
from gan_papers.data.image_folder import list_images, read_image, scan_images

HELEN_SPLITS = ("train", "valid", "test")


def _check_size(size):
    if isinstance(size, bool) or not isinstance(size, int | np.integer) or size < 1:
        raise ValueError(
            f"`size` must be a positive integer (the --size given to data_scripts.helen); "
            f"received {size!r}."
        )
    return int(size)


def helen_folder(data_dir, split="train", size=128):
    """``<data_dir>/helen/prepared_<size>/<split>``: where the prepared faces of a split are."""
    check_choice(split, "split", HELEN_SPLITS)
    return pathlib.Path(data_dir) / "helen" / f"prepared_{_check_size(size)}" / split


def _layout(data_dir, split, size):
    folder = helen_folder(data_dir, split, size)
    return (
        f"Helen faces {folder}/images/<name>.png with label maps {folder}/labels/<name>.png, "
        f"written by `python -m data_scripts.helen --data-dir {data_dir} --size {size}`"
    )


def _read_labels(path):
    """A label file as a uint8 (H, W) array of classes; ValueError if it is not one."""
    from PIL import Image

    with Image.open(path) as image:
        if image.mode != "L":
            raise ValueError(f"it is a {image.mode} image, expected an 8-bit grey label map")
        labels = np.asarray(image)
    if labels.max(initial=0) >= len(FACE_CLASSES):
        raise ValueError(f"it holds label {labels.max()}, expected 0..{len(FACE_CLASSES) - 1}")
    return labels


def _readable_pairs(data_dir, split, size):
    """``(pairs, skipped)``: the ``(image, label map)`` paths of the faces whose two files open and
    are ``size`` x ``size``, in name order, and a ``SkippedFiles`` holding the others."""
    folder = helen_folder(data_dir, split, size)
    images = list_images(folder / "images", layout=_layout(data_dir, split, size))
    labels = [folder / "labels" / f"{path.stem}.png" for path in images]
    sizes, skipped = scan_images(images + labels, what="Helen")
    pairs = []
    for image, label in zip(images, labels, strict=True):
        bad = [path for path in (image, label) if path in sizes and sizes[path] != (size, size)]
        for path in bad:
            height, width = sizes[path]
            skipped.add(path, ValueError(f"it is {height}x{width}, expected {size}x{size}"))
        if not bad and image in sizes and label in sizes:
            pairs.append((image, label))
    return pairs, skipped


def _no_faces_error(data_dir, split, size, skipped):
    return ValueError(
        f"`{helen_folder(data_dir, split, size)}` holds no readable {size}x{size} face with its "
        f"label map ({len(skipped)} unreadable files); expected {_layout(data_dir, split, size)}."
    )


def helen_dataset(
    data_dir,
    split="train",
    size=128,
    batch_size=64,
    seed=0,
    repeat=True,
    shuffle=True,
    drop_remainder=True,
):
    """A ``tf.data.Dataset`` of ``(images, labels)`` batches of prepared Helen faces.

    Args:
        data_dir: the ``--data-dir`` given to ``python -m data_scripts.helen``.
        split: ``"train"`` (exemplars.txt, 2,000 faces), ``"valid"`` (tuning.txt, 230) or
            ``"test"`` (testing.txt, 100).
        size: which prepared folder to read (the script's ``--size``, 128 by default).
        batch_size: faces per batch.
        seed: integer; with ``shuffle``, the same seed gives the same order.
        repeat: start over after each pass, forever (for ``fit(steps_per_epoch=...)``).
        shuffle: a new random order of all the split's faces for every pass (seeded by ``seed``).
        drop_remainder: drop a last, smaller batch so that the batch dimension is static.

    Returns:
        Batches of float32 images (batch, size, size, 3) in [-1, 1] and int32 labels
        (batch, size, size) in 0..10 (``FACE_CLASSES``), as ``face_dataset(..., with_labels=True)``.
        Without ``shuffle``, faces come in name order.

    Raises ``ValueError`` naming the folder and the command that writes it when the folder is
    missing or holds no readable face, and for bad arguments.
    """
    import tensorflow as tf

    size = _check_size(size)
    batch_size = check_positive_int(batch_size, "batch_size")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise ValueError(f"`seed` must be an integer; received {seed!r}.")
    pairs, skipped = _readable_pairs(data_dir, split, size)
    skipped.warn(stacklevel=3)
    if not pairs:
        raise _no_faces_error(data_dir, split, size, skipped)
    image_paths = tf.constant([str(image) for image, _ in pairs])
    label_paths = tf.constant([str(label) for _, label in pairs])

    indices = tf.data.Dataset.range(len(pairs))
    if shuffle:
        indices = indices.shuffle(len(pairs), seed=int(seed), reshuffle_each_iteration=True)
    if repeat:
        indices = indices.repeat()

    def load(index):
        image = tf.io.decode_png(tf.io.read_file(image_paths[index]), channels=3)
        labels = tf.io.decode_png(tf.io.read_file(label_paths[index]), channels=1)[..., 0]
        # A label map changed on disk since the check: an error here drops the face (below).
        tf.debugging.assert_less(labels, tf.constant(len(FACE_CLASSES), tf.uint8))
        image = tf.ensure_shape(tf.cast(image, tf.float32) / 127.5 - 1.0, [size, size, 3])
        return image, tf.ensure_shape(tf.cast(labels, tf.int32), [size, size])

    faces = indices.map(load, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
    # Every file passed the header check above; one that still fails to decode is dropped, with
    # TensorFlow's log line, instead of ending the epoch.
    faces = faces.ignore_errors(log_warning=True)
    return faces.batch(batch_size, drop_remainder=drop_remainder).prefetch(tf.data.AUTOTUNE)


def helen_images(data_dir, split="test", size=128, count=None):
    """The first ``count`` readable faces of a split (all with None), in name order, as NumPy.

    For evaluating a parser: ``(images, labels)``, float32 (count, size, size, 3) in [-1, 1] and
    int32 (count, size, size) in 0..10. Unreadable or wrongly sized files are skipped and reported in
    one warning. Raises ``ValueError`` when the folder is missing or holds fewer than ``count``
    readable faces (prepare more: a larger ``--limit``, or none).
    """
    size = _check_size(size)
    if count is not None:
        count = check_positive_int(count, "count")
    pairs, skipped = _readable_pairs(data_dir, split, size)
    images, labels = [], []
    for image_path, label_path in pairs:
        if len(images) == count:
            break
        current = image_path  # the file to name if reading fails
        try:
            image = read_image(image_path)
            current = label_path
            label = _read_labels(label_path)
        # PIL raises OSError, SyntaxError (bad PNG chunks) or ValueError for damaged files.
        except (OSError, SyntaxError, ValueError) as error:
            skipped.add(current, error)
            continue
        images.append(image)
        labels.append(label)
    skipped.warn(stacklevel=3)
    if not images:
        raise _no_faces_error(data_dir, split, size, skipped)
    if count is not None and len(images) < count:
        raise ValueError(
            f"`count` is {count}, but `{helen_folder(data_dir, split, size)}` holds only "
            f"{len(images)} readable {size}x{size} faces ({len(skipped)} unreadable files); "
            f"expected {_layout(data_dir, split, size)} without --limit, or a smaller count."
        )
    return uint8_to_signed(np.stack(images)), np.stack(labels).astype(np.int32)
