"""The procedural faces as a ``tf.data`` pipeline (``face_dataset``), over fixed splits of indices."""

from gan_papers.common.validation import check_positive_int, check_seed
from gan_papers.data.faces.render import check_size, render_faces
from gan_papers.data.indices import index_dataset, index_range
from gan_papers.data.tuning import parallel_render

# Fixed index ranges [first, stop) of the built-in splits. Faces are independent draws, so any
# disjoint ranges are a clean train / held-out split; "heldout" is for evaluation only.
FACE_SPLITS = {"train": (0, 1_000_000), "heldout": (1_000_000, 1_010_000)}


def face_dataset(
    batch_size=64,
    size=64,
    seed=0,
    split="train",
    start=0,
    count=None,
    with_labels=False,
    repeat=True,
    shuffle=False,
    drop_remainder=True,
):
    """A ``tf.data.Dataset`` of procedural face batches, rendered on the fly.

    Args:
        batch_size: faces per batch.
        size: image size in pixels (>= 16).
        seed: the family of faces (see ``render_faces``).
        split: a key of ``FACE_SPLITS`` ("train" or "heldout"), whose index range is used;
            or None for the indices ``start, start + 1, ...`` with no upper end.
        start: first index, counted from the beginning of ``split``.
        count: number of faces (default: to the end of the split; unbounded without a split).
        with_labels: yield ``(images, labels)`` instead of images alone.
        repeat: start over after ``count`` faces, forever.
        shuffle: shuffle the indices (a buffer of up to 10,000, seeded by ``seed``, a new order each
            pass). Off by default: every face is an independent draw, so order carries no bias.
        drop_remainder: drop a last, smaller batch so that the batch dimension is static.

    Returns:
        Batches of float32 images (batch, size, size, 3) in [-1, 1], and with ``with_labels``
        int32 labels (batch, size, size) in 0..10. The order is deterministic.
    """
    import tensorflow as tf

    batch_size = check_positive_int(batch_size, "batch_size")
    size = check_size(size)
    seed = check_seed(seed)
    first, stop = index_range(FACE_SPLITS, split, start, count, "faces")
    indices = index_dataset(first, stop, shuffle, repeat, seed)

    batch = batch_size if drop_remainder else None

    def render(index_batch):
        images, labels = tf.numpy_function(
            lambda i: render_faces(i, size=size, seed=seed),
            [index_batch],
            [tf.float32, tf.int32],
            stateful=False,
        )
        images.set_shape((batch, size, size, 3))
        labels.set_shape((batch, size, size))
        return (images, labels) if with_labels else images

    dataset = indices.batch(batch_size, drop_remainder=drop_remainder)
    return parallel_render(dataset, render)
