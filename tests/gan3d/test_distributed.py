"""GAN3D's gated step under MirroredStrategy on two logical CPUs equals one device's step.

The replicas decide on the accuracy of the global batch, so they update D (or not) together; the
conditional optimizer step runs in the cross-replica context. The mirrored steps run traced, as
``fit`` runs them; the single-device references run eagerly (cheaper, the same numbers).
"""

import pytest

from tests.distributed import run_with_two_cpus
from tests.gan_case import assert_mirrored_step_matches

pytestmark = pytest.mark.subprocess

BODY = """
from tests.gan3d.helpers import boxes, tiny_gan

# Two batches of 8 shapes, 4 per replica; SGD shows a wrong gradient scale directly.
data = tf.data.Dataset.from_tensor_slices(boxes(16)).batch(8)
sgd = lambda: keras.optimizers.SGD(0.5)

def run(strategy_scope, eager, **kwargs):
    keras.utils.set_random_seed(0)
    with strategy_scope:
        model = tiny_gan(
            optimizer=sgd, synchronized_bn=True, compile_kwargs={"run_eagerly": eager}, **kwargs
        )
    model.set_weights(initial)  # the model's own variables too: the threshold comes after
    model.set_accuracy_threshold(kwargs["accuracy_threshold"])
    g_before, d_before = (
        [np.array(w) for w in network.trainable_weights]
        for network in (model.generator, model.discriminator)
    )
    history = model.fit(data, epochs=1, verbose=0)
    model.moved = [
        any(not np.array_equal(b, np.array(w)) for b, w in zip(before, network.trainable_weights))
        for before, network in ((g_before, model.generator), (d_before, model.discriminator))
    ]
    return model, history

keras.utils.set_random_seed(0)
initial = tiny_gan(synchronized_bn=True).get_weights()
results = {}
# The paper's threshold read from the previous batch (the first step updates D, the second reads
# the first's global accuracy), a threshold that always updates, and one that never does.
for label, kwargs in {
    "previous_0.8": dict(accuracy_from="previous_batch", accuracy_threshold=0.8),
    "current_2": dict(accuracy_from="current_batch", accuracy_threshold=2.0),
    "current_-1": dict(accuracy_from="current_batch", accuracy_threshold=-1.0),
    # Each replica adds its own slice of the noise one device would draw for the global batch.
    "current_2_noise": dict(
        accuracy_from="current_batch", accuracy_threshold=2.0, instance_noise=0.2, prior="normal"
    ),
}.items():
    single, single_history = run(tf.distribute.get_strategy().scope(), True, **kwargs)
    mirrored, mirrored_history = run(strategy.scope(), False, **kwargs)
    results[label] = dict(
        **mirrored_vs_single(initial, single, mirrored, single_history, mirrored_history),
        d_iterations=[int(m.d_optimizer.iterations.numpy()) for m in (single, mirrored)],
        last_accuracy=[float(m.last_accuracy.numpy()) for m in (single, mirrored)],
        g_changed=mirrored.moved[0],
        d_trainable_changed=mirrored.moved[1],
    )
report(**results)
"""


def test_mirrored_gated_steps_equal_single_device_steps():
    results = run_with_two_cpus(BODY)
    for label, result in results.items():
        # Same update to float32 round-off (tests/distributed.py); a missing 1/replicas gives ~1.
        assert_mirrored_step_matches(result, abs=1e-6, label=label)
        assert result["d_iterations"][0] == result["d_iterations"][1], label
        assert result["last_accuracy"][1] == pytest.approx(result["last_accuracy"][0]), label
        assert result["g_changed"], label
    assert results["current_2"]["d_iterations"] == [2, 2]
    assert results["current_2"]["d_trainable_changed"]
    assert results["current_2_noise"]["d_iterations"] == [2, 2]
    assert results["current_2_noise"]["single"]["d_loss"] != pytest.approx(
        results["current_2"]["single"]["d_loss"]
    )
    assert results["current_-1"]["d_iterations"] == [0, 0]
    assert not results["current_-1"]["d_trainable_changed"]
    assert results["previous_0.8"]["d_iterations"][0] >= 1  # the first step updates
