"""The DCGAN train step under MirroredStrategy on two logical CPUs equals one device's step."""

import pytest

from tests.gan_case import assert_mirrored_matches_single

pytestmark = pytest.mark.subprocess

BODY = """
from gan_papers.inpainting.networks import build_discriminator, build_generator
from gan_papers.inpainting.model import DCGAN

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
single_history = single.fit(data, epochs=1, verbose=0)
single_after = [w.numpy() for w in single.weights]

with strategy.scope():
    mirrored = tiny_dcgan(synchronized_bn=True)
mirrored.set_weights(initial)
# Each replica's codes for its 4 images, drawn from the same seed state as the single device's.
per_replica = strategy.run(mirrored.latents, args=(4,))
mirrored_codes = [v.numpy() for v in strategy.experimental_local_results(per_replica)]
mirrored_history = mirrored.fit(data, epochs=1, verbose=0)

# Default (per-replica) batch norm runs too, with finite losses.
with strategy.scope():
    default_bn = tiny_dcgan()
report(
    codes_match=bool(np.array_equal(np.concatenate(mirrored_codes), single_codes)),
    replica_codes_differ=not np.array_equal(mirrored_codes[0], mirrored_codes[1]),
    **mirrored_vs_single(initial, single, mirrored, single_history, mirrored_history),
    updated_tensors=updated_tensors(initial, single_after),
    same_seed_state=bool(
        np.array_equal(single.seed_generator.state.numpy(), mirrored.seed_generator.state.numpy())
    ),
    default_finite=finite_fit(default_bn, data),
)
"""


def test_mirrored_step_equals_single_device_step():
    # Same update to float32 round-off (tests/distributed.py); a missing 1/replicas would give ~1.
    result = assert_mirrored_matches_single(BODY)
    # Each replica takes its own slice of the global batch's codes: without the slicing both would
    # draw the same codes from the shared seed state.
    assert result["replica_codes_differ"]
    assert result["codes_match"]
    assert result["same_seed_state"]
    assert result["updated_tensors"] > 10
    assert result["default_finite"]
