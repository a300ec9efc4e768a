"""The built-in pipelines run with ``tf.data``'s autotuning off (it made ``fit`` wait in steps of
about 51 ms on a 2-core CPU), and the procedural ones render a fixed number of batches at a time,
in order."""

import numpy as np
import pytest

from gan_papers.data import face_dataset, shape_dataset, sr_dataset
from gan_papers.data.faces.render import render_faces
from gan_papers.data.tuning import parallel_render, render_calls


@pytest.mark.parametrize(
    "dataset",
    [
        lambda: face_dataset(batch_size=2, size=16, split=None),
        lambda: shape_dataset(batch_size=2, resolution=16, split=None),
        lambda: sr_dataset("train", crop_size=24, scale=4, batch_size=2),
    ],
)
def test_builtin_pipelines_do_not_autotune(dataset):
    assert dataset().options().autotune.enabled is False


def test_parallel_renders_keep_the_order():
    """Eight batches rendered ``render_calls()`` at a time come out in index order."""
    import tensorflow as tf

    batches = tf.data.Dataset.range(32).batch(4)

    def render(indices):
        images, _ = tf.numpy_function(
            lambda i: render_faces(i, size=16), [indices], [tf.float32, tf.int32]
        )
        return images

    rendered = [b.numpy() for b in parallel_render(batches, render)]
    assert len(rendered) == 8 and render_calls() >= 1
    expected = render_faces(np.arange(32), size=16)[0]
    np.testing.assert_array_equal(np.concatenate(rendered), expected)
