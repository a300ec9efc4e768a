"""SegNet's pooling indices (MaxPoolingWithIndices) and unpooling (MaxUnpooling) against TensorFlow."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from gan_papers.face_completion import MaxPoolingWithIndices, MaxUnpooling

SHAPE = (2, 6, 8, 3)


def _inputs(seed=0):
    # Continuous random values: no ties, so the maximum of every block is unique.
    return np.random.default_rng(seed).normal(size=SHAPE).astype("float32")


def _flat_argmax(indices):
    """Block indices (0..3, row-major in the 2x2 block) -> TensorFlow's flat argmax per image,
    ``(y * W + x) * C + c`` with (y, x) the maximum's position in the input."""
    _, height, width, channels = indices.shape
    i, j, c = np.meshgrid(np.arange(height), np.arange(width), np.arange(channels), indexing="ij")
    y = 2 * i + indices // 2
    x = 2 * j + indices % 2
    return (y * (2 * width) + x) * channels + c


def _scatter(values, argmax, shape):
    """What SegNet's unpooling is: each value written at its argmax position, zeros elsewhere."""
    out = np.zeros(shape, values.dtype)
    for b in range(shape[0]):
        out[b].reshape(-1)[argmax[b].reshape(-1)] = values[b].reshape(-1)
    return out


def test_pooling_equals_max_pool_with_argmax():
    x = _inputs()
    pooled, indices = MaxPoolingWithIndices()(x)
    tf_pooled, tf_argmax = tf.nn.max_pool_with_argmax(
        x, 2, 2, "VALID", include_batch_in_index=False
    )
    np.testing.assert_array_equal(np.asarray(pooled), tf_pooled.numpy())
    assert indices.dtype == "int32" and tuple(indices.shape) == (2, 3, 4, 3)
    assert set(np.unique(np.asarray(indices))) <= {0, 1, 2, 3}
    np.testing.assert_array_equal(_flat_argmax(np.asarray(indices)), tf_argmax.numpy())


def test_unpooling_scatters_values_at_the_argmax_positions():
    x = _inputs()
    pooled, indices = MaxPoolingWithIndices()(x)
    _, tf_argmax = tf.nn.max_pool_with_argmax(x, 2, 2, "VALID", include_batch_in_index=False)
    # Decoder features of the pooled shape, not the pooled values themselves.
    values = np.random.default_rng(1).normal(size=pooled.shape).astype("float32")
    unpooled = np.asarray(MaxUnpooling()([values, indices]))
    assert unpooled.shape == SHAPE
    np.testing.assert_array_equal(unpooled, _scatter(values, tf_argmax.numpy(), SHAPE))
    # Unpooling the pooled values themselves keeps each block's maximum in place, zeros elsewhere.
    restored = np.asarray(MaxUnpooling()([pooled, indices]))
    np.testing.assert_array_equal(restored[restored != 0], x[restored != 0])
    assert np.count_nonzero(restored) == x.size // 4


def test_ties_pick_the_first_position_of_the_block():
    x = np.ones((1, 2, 2, 1), "float32")
    _, indices = MaxPoolingWithIndices()(x)
    assert int(np.asarray(indices).item()) == 0


def test_gradient_goes_to_the_first_maximum_only_as_in_caffe():
    # Blocks: four equal values; two tied maxima (top right, bottom left); all zeros (ReLU); one max.
    x = np.array([[1, 1, 2, 3], [1, 1, 3, 2], [0, 0, 5, 0], [0, 0, 0, 0]], "float32")
    x = tf.constant(x.reshape(1, 4, 4, 1))
    with tf.GradientTape() as tape:
        tape.watch(x)
        pooled, indices = MaxPoolingWithIndices()(x)
        loss = tf.reduce_sum(pooled * [[[[1.0], [2.0]], [[3.0], [4.0]]]])
    gradient = tape.gradient(loss, x).numpy()[0, :, :, 0]
    # pooling_layer.cpp: the whole gradient to the first maximum in row-major order, none split.
    expected = [[1, 0, 0, 2], [0, 0, 0, 0], [3, 0, 4, 0], [0, 0, 0, 0]]
    np.testing.assert_array_equal(gradient, expected)
    np.testing.assert_array_equal(np.asarray(indices)[0, :, :, 0], [[0, 1], [0, 0]])


def test_gradient_of_unpooling_reaches_only_the_remembered_positions():
    x = tf.constant(_inputs())
    with tf.GradientTape() as tape:
        tape.watch(x)
        pooled, indices = MaxPoolingWithIndices()(x)
        out = MaxUnpooling()([pooled, indices])
        loss = tf.reduce_sum(out * 2.0)
    gradient = tape.gradient(loss, x).numpy()
    is_max = np.asarray(out) != 0
    assert np.all(gradient[is_max] == 2.0) and np.all(gradient[~is_max] == 0.0)


def test_xla_gives_the_same_results():
    x = _inputs()
    pool, unpool = MaxPoolingWithIndices(), MaxUnpooling()

    def both(inputs):
        pooled, indices = pool(inputs)
        return pooled, indices, unpool([pooled * 3.0, indices])

    eager = both(x)
    compiled = tf.function(both, jit_compile=True)(tf.constant(x))
    for a, b in zip(eager, compiled, strict=True):
        np.testing.assert_array_equal(np.asarray(a), b.numpy())


@pytest.mark.parametrize("shape", [(5, 6, 3), (6, 7, 3)])
def test_odd_sizes_are_refused(shape):
    with pytest.raises(ValueError, match="must be even"):
        MaxPoolingWithIndices()(keras.Input(shape))


def test_unpooling_refuses_values_of_another_shape():
    pooled, indices = MaxPoolingWithIndices()(keras.Input((8, 8, 3)))
    with pytest.raises(ValueError, match="`values` must have the shape"):
        MaxUnpooling()([keras.layers.Conv2D(5, 1)(pooled), indices])


def test_a_model_with_both_layers_round_trips_in_safe_mode(tmp_path):
    inputs = keras.Input((8, 8, 2))
    pooled, indices = MaxPoolingWithIndices(name="pool")(inputs)
    features = keras.layers.Conv2D(2, 3, padding="same", name="conv")(pooled)
    outputs = MaxUnpooling(name="unpool")([features, indices])
    model = keras.Model(inputs, outputs)
    path = tmp_path / "unpooling.keras"
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    assert isinstance(loaded.get_layer("pool"), MaxPoolingWithIndices)
    assert isinstance(loaded.get_layer("unpool"), MaxUnpooling)
    x = np.random.default_rng(0).normal(size=(2, 8, 8, 2)).astype("float32")
    np.testing.assert_array_equal(np.asarray(loaded(x)), np.asarray(model(x)))
