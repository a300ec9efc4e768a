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
largest_update = max(float(np.abs(u).max()) for u in single_updates)

# Default (per-replica) batch norm runs too, with finite losses.
with strategy.scope():
    default_bn = tiny_srgan()
default_logs = default_bn.fit(data, epochs=1, verbose=0).history
report(
    update_difference=update_difference(initial, single_after, weights_of(mirrored)),
    updated_tensors=sum(float(np.abs(u).max()) > 1e-6 * largest_update for u in single_updates),
    single={k: v[-1] for k, v in single_logs.items()},
    mirrored={k: v[-1] for k, v in mirrored_logs.items()},
    default_finite=all(np.isfinite(v[-1]) for v in default_logs.values()),
)
"""


def test_mirrored_step_equals_single_device_step():
    result = run_with_two_cpus(BODY)
    assert result["updated_tensors"] > 10
    # Same update to float32 round-off; a missing 1/replicas would give ~1. The step is
    # ill-conditioned in float32 (one element flips across a kink): python -m
    # benchmarks.mirrored_spread, 20 numeric configurations (oneDNN ISA ALL/AVX512/AVX2/SSE41/off x
    # 1-8 threads), measured 1.4e-6 / 8.5e-4 / 8.5e-4 (min/median/max), while one device's own
    # float32 step is 1.5e-6 to 2.6e-4 from float64. 1e-2 is 12x the largest seen, 100x below ~1.
    # The 8.5e-4 sits in D's layers up to bn4 (beta, not gamma: the flipped element has xhat ~ 0, at
    # LeakyReLU's kink); what pushes it across is synchronised BN's one-pass E[x^2] - E[x]^2
    # variance: with a two-pass variance patched in, the default configuration gives 2.2e-6.
    assert result["update_difference"] < 1e-2
    for name, value in result["single"].items():
        # abs: a logged value that is ~5e-7 (measured 5.3318e-7 vs 5.3343e-7) is pure round-off.
        assert result["mirrored"][name] == pytest.approx(value, rel=1e-4, abs=1e-6), name
    assert result["default_finite"]
