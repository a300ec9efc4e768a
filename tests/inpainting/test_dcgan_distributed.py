"""The DCGAN train step under MirroredStrategy on two logical CPUs equals one device's step."""

import pytest

from tests.distributed import run_with_two_cpus

pytestmark = pytest.mark.subprocess

BODY = """
from gan_papers.inpainting.dcgan import build_discriminator, build_generator
from gan_papers.inpainting.dcgan_model import DCGAN

def tiny_dcgan(synchronized_bn=False):
    generator = build_generator(16, latent_dim=8, base_filters=16, synchronized_bn=synchronized_bn)
    discriminator = build_discriminator(16, base_filters=8, synchronized_bn=synchronized_bn)
    model = DCGAN(generator, discriminator, seed=3)
    # SGD shows a wrong gradient scale directly.
    model.compile(g_optimizer=keras.optimizers.SGD(0.5), d_optimizer=keras.optimizers.SGD(0.5))
    return model

x = np.random.default_rng(0).uniform(-1, 1, (8, 16, 16, 3)).astype("float32")
data = tf.data.Dataset.from_tensor_slices(x).batch(8)  # the global batch: 4 images per replica

keras.utils.set_random_seed(0)
single = tiny_dcgan(synchronized_bn=True)
initial = single.get_weights()
single_codes = single.latents(8).numpy()
single_logs = single.fit(data, epochs=1, verbose=0).history
single_after = [w.numpy() for w in single.weights]

with strategy.scope():
    mirrored = tiny_dcgan(synchronized_bn=True)
mirrored.set_weights(initial)
# Each replica's codes for its 4 images, drawn from the same seed state as the single device's.
per_replica = strategy.run(mirrored.latents, args=(4,))
mirrored_codes = [v.numpy() for v in strategy.experimental_local_results(per_replica)]
mirrored_logs = mirrored.fit(data, epochs=1, verbose=0).history

before = [np.array(w) for w in initial]
single_updates = [s - b for b, s in zip(before, single_after)]
largest_update = max(float(np.abs(u).max()) for u in single_updates)

# Default (per-replica) batch norm runs too, with finite losses.
with strategy.scope():
    default_bn = tiny_dcgan()
default_logs = default_bn.fit(data, epochs=1, verbose=0).history
report(
    codes_match=bool(np.array_equal(np.concatenate(mirrored_codes), single_codes)),
    replica_codes_differ=not np.array_equal(mirrored_codes[0], mirrored_codes[1]),
    update_difference=update_difference(initial, single_after, [m.numpy() for m in mirrored.weights]),
    updated_tensors=sum(float(np.abs(u).max()) > 1e-6 * largest_update for u in single_updates),
    single={k: v[-1] for k, v in single_logs.items()},
    mirrored={k: v[-1] for k, v in mirrored_logs.items()},
    same_seed_state=bool(
        np.array_equal(single.seed_generator.state.numpy(), mirrored.seed_generator.state.numpy())
    ),
    default_finite=all(bool(np.isfinite(v[-1])) for v in default_logs.values()),
)
"""


def test_mirrored_step_equals_single_device_step():
    result = run_with_two_cpus(BODY)
    # Each replica takes its own slice of the global batch's codes: without the slicing both would
    # draw the same codes from the shared seed state.
    assert result["replica_codes_differ"]
    assert result["codes_match"]
    assert result["same_seed_state"]
    assert result["updated_tensors"] > 10
    # Same update to float32 round-off (tests/distributed.py); a missing 1/replicas would give ~1.
    assert result["update_difference"] < 1e-2
    for name, value in result["single"].items():
        assert result["mirrored"][name] == pytest.approx(value, rel=1e-4)
    assert result["default_finite"]
