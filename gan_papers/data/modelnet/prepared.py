"""The splits ``python -m data_scripts.modelnet`` writes, and their loaders (``modelnet_voxels``,
``modelnet_dataset``).

**Files**: ``<split>.npz`` holds ``voxels`` (uint8, each grid's R^3 occupancy bits packed with
``np.packbits`` in (depth, height, width) order), ``labels`` (int32), ``class_names``, ``files``
(``<class>/<split>/<name>.off``) and ``resolution``.
"""

import json
import math
import pathlib
import zipfile

import numpy as np

from gan_papers.common.validation import check_choice, check_positive_int
from gan_papers.data.indices import index_dataset, index_range
from gan_papers.data.shapes.grid import check_resolution

MODELNET10_CLASSES = (
    "bathtub",
    "bed",
    "chair",
    "desk",
    "dresser",
    "monitor",
    "night_stand",
    "sofa",
    "table",
    "toilet",
)
MODELNET_SPLITS = ("train", "test")
MODELNET_VARIANTS = (10, 40)


def _check_variant(variant):
    if isinstance(variant, bool) or variant not in MODELNET_VARIANTS:
        raise ValueError(
            f"`variant` must be 10 or 40 (ModelNet10 / ModelNet40); received {variant!r}."
        )
    return int(variant)


def modelnet_folder(data_dir, resolution=32, variant=10):
    """``<data_dir>/modelnet<variant>/prepared_<resolution>``: where the prepared splits are."""
    variant = _check_variant(variant)
    resolution = check_resolution(resolution)
    return pathlib.Path(data_dir) / f"modelnet{variant}" / f"prepared_{resolution}"


def _command(data_dir, resolution, variant):
    extra = " --variant 40" if variant == 40 else ""
    return (
        f"`python -m data_scripts.modelnet --data-dir {data_dir} --resolution {resolution}{extra}`"
    )


def load_prepared(data_dir, split="train", resolution=32, variant=10):
    """The arrays of one prepared split: ``{"voxels": packed uint8 (N, R^3 / 8), "labels": int32 (N,),
    "class_names": tuple, "files": list}``.

    Raises ``ValueError`` naming the file and the command that writes it when it is missing,
    unreadable, or not what that command writes.
    """
    check_choice(split, "split", MODELNET_SPLITS)
    folder = modelnet_folder(data_dir, resolution, variant)
    path = folder / f"{split}.npz"
    expected = f"{path}, written by {_command(data_dir, resolution, variant)}"
    if not path.is_file():
        raise ValueError(f"`{path}` does not exist; expected {expected}.")
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {
                key: npz[key] for key in ("voxels", "labels", "class_names", "files", "resolution")
            }
    except (OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile) as error:
        raise ValueError(
            f"`{path}` is unreadable or incomplete ({type(error).__name__}: {error}); expected "
            f"{expected}. Run that command again (with --force if it says all is done)."
        ) from None
    packed, labels = arrays["voxels"], arrays["labels"]
    bytes_per_grid = math.ceil(resolution**3 / 8)
    if (
        int(arrays["resolution"]) != resolution
        or packed.dtype != np.uint8
        or packed.ndim != 2
        or packed.shape[1] != bytes_per_grid
        or labels.shape != (len(packed),)
        or len(arrays["files"]) != len(packed)
        or (len(labels) and (labels.min() < 0 or labels.max() >= len(arrays["class_names"])))
    ):
        raise ValueError(
            f"`{path}` does not hold {resolution}^3 grids with their labels (voxels "
            f"{packed.dtype} {packed.shape}, labels {labels.shape}); expected {expected}."
        )
    return {
        "voxels": packed,
        "labels": labels.astype(np.int32),
        "class_names": tuple(str(name) for name in arrays["class_names"]),
        "files": [str(name) for name in arrays["files"]],
    }


def unpack_voxels(packed, resolution):
    """Packed rows (N, R^3 / 8) -> float32 (N, R, R, R, 1) in {0, 1}."""
    bits = np.unpackbits(packed, axis=1, count=resolution**3)
    return bits.reshape(-1, resolution, resolution, resolution, 1).astype(np.float32)


def modelnet_classes(data_dir, resolution=32, variant=10):
    """The class names of a prepared ModelNet (label k is ``modelnet_classes(...)[k]``)."""
    folder = modelnet_folder(data_dir, resolution, variant)
    manifest = folder / "manifest.json"
    if manifest.is_file():
        try:
            return tuple(json.loads(manifest.read_text(encoding="utf-8"))["classes"])
        except (ValueError, KeyError):
            pass  # fall back on the arrays
    for split in MODELNET_SPLITS:
        if (folder / f"{split}.npz").is_file():
            return load_prepared(data_dir, split, resolution, variant)["class_names"]
    return load_prepared(data_dir, "train", resolution, variant)["class_names"]  # raises, naming it


def modelnet_voxels(data_dir, split="test", resolution=32, variant=10, start=0, count=None):
    """Grids ``start .. start + count`` of a prepared split (all with None), in file order, as NumPy.

    Returns ``(voxels, labels)``: float32 (N, R, R, R, 1) in {0, 1}, axes (depth, height, width),
    and int32 (N,) indices into ``modelnet_classes(...)``, as ``make_shapes`` returns. A full split
    at 64^3 takes 1 MB per grid: use ``count`` or ``modelnet_dataset`` for large ones.
    """
    resolution = check_resolution(resolution)
    data = load_prepared(data_dir, split, resolution, variant)
    first, stop = index_range(
        {split: (0, len(data["labels"]))}, split, start, count, f"{split} grids"
    )
    return unpack_voxels(data["voxels"][first:stop], resolution), data["labels"][first:stop]


def modelnet_dataset(
    data_dir,
    split="train",
    resolution=32,
    batch_size=32,
    variant=10,
    seed=0,
    with_labels=False,
    repeat=True,
    shuffle=True,
    drop_remainder=True,
):
    """A ``tf.data.Dataset`` of prepared ModelNet grids, unpacked batch by batch.

    Args:
        data_dir: the ``--data-dir`` given to ``python -m data_scripts.modelnet``.
        split: "train" or "test" (ModelNet's own split).
        resolution: the script's ``--resolution`` (32 by default).
        batch_size: grids per batch.
        variant: 10 or 40 (the script's ``--variant``).
        seed: integer; with ``shuffle``, the same seed gives the same order.
        with_labels: yield ``(voxels, labels)`` instead of voxels alone.
        repeat: start over after each pass, forever.
        shuffle: a new random order of the whole split for every pass (seeded by ``seed``).
        drop_remainder: drop a last, smaller batch so that the batch dimension is static.

    Returns:
        Batches of float32 voxels (batch, R, R, R, 1) in {0, 1} (and int32 labels (batch,)), as
        ``shape_dataset``. The packed split stays in memory (R^3 / 8 bytes per grid).
    """
    import tensorflow as tf

    resolution = check_resolution(resolution)
    batch_size = check_positive_int(batch_size, "batch_size")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise ValueError(f"`seed` must be an integer; received {seed!r}.")
    data = load_prepared(data_dir, split, resolution, variant)
    if len(data["labels"]) == 0:
        raise ValueError(
            f"`{modelnet_folder(data_dir, resolution, variant)}/{split}.npz` holds no grid; "
            f"prepare it again with {_command(data_dir, resolution, variant)}."
        )
    packed, labels = data["voxels"], data["labels"]
    indices = index_dataset(0, len(labels), shuffle, repeat, int(seed))
    batch = batch_size if drop_remainder else None

    def unpack(index_batch):
        return unpack_voxels(packed[index_batch], resolution), labels[index_batch]

    def load(index_batch):
        voxels, label = tf.numpy_function(
            unpack, [index_batch], [tf.float32, tf.int32], stateful=False
        )
        voxels.set_shape((batch, resolution, resolution, resolution, 1))
        label.set_shape((batch,))
        return (voxels, label) if with_labels else voxels

    dataset = indices.batch(batch_size, drop_remainder=drop_remainder)
    dataset = dataset.map(load, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
    return dataset.prefetch(tf.data.AUTOTUNE)
