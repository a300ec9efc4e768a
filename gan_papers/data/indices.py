"""Index ranges of the datasets that are deterministic by index (DESIGN.md, "Data").

The built-in data (procedural faces, procedural 3-D shapes) make item ``i`` from ``(seed, i)`` alone,
and the prepared real datasets (ModelNet) are arrays read by position, so a ``tf.data`` pipeline
is a dataset of indices, batched and mapped to the items. These two helpers build it: the checked
range of a named split, and the (shuffled, repeated) dataset of its indices; ``check_indices``
checks the indices a user passes to ``make_faces`` / ``make_shapes``.
"""

import numpy as np

from gan_papers.common.validation import check_positive_int


def check_indices(indices):
    """``indices`` (an int or a 1-D sequence of ints >= 0, not empty) as a 1-D int64 array."""
    array = np.asarray(indices)
    if array.ndim > 1 or not (np.issubdtype(array.dtype, np.integer) or array.size == 0):
        raise ValueError(
            "`indices` must be an integer or a 1-D sequence of integers; "
            f"received {array.dtype} array of shape {array.shape}."
        )
    array = array.reshape(-1).astype(np.int64)
    if array.size == 0:
        raise ValueError("`indices` must not be empty; received no index.")
    if array.min() < 0:
        raise ValueError(f"`indices` must be non-negative; received {int(array.min())}.")
    return array


def index_range(splits, split, start, count, what):
    """``(first, stop)`` of the indices ``start .. start + count`` counted from ``split``'s first.

    ``splits`` maps split names to ``(first, stop)`` ranges; ``split=None`` counts from 0 with no
    upper end (``stop`` None when ``count`` is None too). ``what`` names the items in messages.
    """
    if isinstance(start, bool) or not isinstance(start, int | np.integer) or start < 0:
        raise ValueError(f"`start` must be a non-negative integer; received {start!r}.")
    if count is not None:
        count = check_positive_int(count, "count")
    if split is None:
        return int(start), None if count is None else int(start) + count
    if split not in splits:
        raise ValueError(f"`split` must be one of {sorted(splits)} or None; received {split!r}.")
    low, high = splits[split]
    first = low + int(start)
    stop = high if count is None else first + count
    if stop > high:
        raise ValueError(
            f"`start` + `count` must stay within split {split!r} of {high - low} {what}; "
            f"received start={start}, count={count}."
        )
    return first, stop


def index_dataset(first, stop, shuffle, repeat, seed):
    """A ``tf.data`` dataset of int64 indices ``first, first + 1, ...`` (unbounded if ``stop`` is
    None), optionally shuffled (a buffer of up to 10,000, seeded, new order per pass) and repeated."""
    import tensorflow as tf

    if stop is None:
        if shuffle:
            raise ValueError("`shuffle=True` needs a bounded range: give `split` or `count`.")
        return tf.data.Dataset.counter(first, dtype=tf.int64)
    indices = tf.data.Dataset.range(first, stop)
    if shuffle:
        indices = indices.shuffle(
            min(stop - first, 10_000), seed=seed, reshuffle_each_iteration=True
        )
    return indices.repeat() if repeat else indices
