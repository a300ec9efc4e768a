"""SRGAN's train step under MirroredStrategy on two logical CPUs equals one device's step."""

import pytest

from tests.distributed import run_with_two_cpus

pytestmark = pytest.mark.subprocess

BODY = """
from tests.srgan.helpers import batch, tiny_srgan, weights_of

lr, hr = batch(n=8)  # the global batch: 4 images per replica
data = tf.data.Dataset.from_tensor_slices((lr, hr)).batch(8)
sgd = lambda: keras.optimizers.SGD(0.5)  # SGD shows a wrong gradient scale directly

keras.utils.set_random_seed(0)
single = tiny_srgan(optimizer=sgd, synchronized_bn=True)
initial = single.get_weights()
single_logs = single.fit(data, epochs=1, verbose=0).history
single_after = weights_of(single)

with strategy.scope():
    mirrored = tiny_srgan(optimizer=sgd, synchronized_bn=True)
mirrored.set_weights(initial)
mirrored_logs = mirrored.fit(data, epochs=1, verbose=0).history

before = [np.array(w) for w in initial]
single_updates = [s - b for b, s in zip(before, single_after)]
mirrored_updates = [m - b for b, m in zip(before, weights_of(mirrored))]
largest_update = max(float(np.abs(u).max()) for u in single_updates)
# Differences relative to the largest update: conv biases before a BN have a zero gradient in
# exact arithmetic, so their own "updates" are pure round-off and can't be compared relatively.
difference = max(
    float(np.abs(m - s).max()) for m, s in zip(mirrored_updates, single_updates)
) / largest_update

# Default (per-replica) batch norm runs too, with finite losses.
with strategy.scope():
    default_bn = tiny_srgan()
default_logs = default_bn.fit(data, epochs=1, verbose=0).history
report(
    max_relative_update_difference=difference,
    updated_tensors=sum(float(np.abs(u).max()) > 1e-6 * largest_update for u in single_updates),
    single={k: v[-1] for k, v in single_logs.items()},
    mirrored={k: v[-1] for k, v in mirrored_logs.items()},
    default_finite=all(np.isfinite(v[-1]) for v in default_logs.values()),
)
"""


def test_mirrored_step_equals_single_device_step():
    result = run_with_two_cpus(BODY)
    assert result["updated_tensors"] > 10
    # Same update of every weight to float32 round-off; a missing 1/replicas would give 100 %.
    assert result["max_relative_update_difference"] < 1e-3
    for name, value in result["single"].items():
        assert result["mirrored"][name] == pytest.approx(value, rel=1e-4)
    assert result["default_finite"]
