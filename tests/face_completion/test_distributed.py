"""FaceCompletionGAN's stage-3 step under MirroredStrategy on two logical CPUs equals one device's.

The mirrored step runs traced, as ``fit`` runs it: the discriminators' conditional updates must then
synchronise the replicas outside any ``tf.cond`` of the replica context (an eager step would not
show it). The single-device reference runs eagerly, which is cheaper and draws the same numbers.
"""

import pytest

from tests.gan_case import assert_mirrored_matches_single

pytestmark = pytest.mark.subprocess

BODY = """
from tests.face_completion.helpers import faces, tiny_gan

# SGD shows a wrong gradient scale directly. Faces alone: each replica cuts its holes (and draws its
# noise) as its slice of what one device draws for the global batch.
rates = (1e-3, 0.1, 0.1)
data = tf.data.Dataset.from_tensor_slices(faces(8)).batch(8)  # 4 faces per replica

keras.utils.set_random_seed(0)
single = tiny_gan(
    stage=3,
    learning_rates=rates,
    discriminator_batch=DISCRIMINATOR_BATCH,
    compile_kwargs={"run_eagerly": True},
)
initial = single.get_weights()
single_history = single.fit(data, verbose=0)

with strategy.scope():
    mirrored = tiny_gan(stage=3, learning_rates=rates, discriminator_batch=DISCRIMINATOR_BATCH)
mirrored.set_weights(initial)
networks = ("generator", "local_discriminator", "global_discriminator", "parser")
network_before = {name: weights_of(getattr(mirrored, name)) for name in networks}
mirrored_history = mirrored.fit(data, verbose=0)

changed = {
    name: any(
        not np.array_equal(a, b)
        for a, b in zip(network_before[name], weights_of(getattr(mirrored, name)))
    )
    for name in networks
}
report(
    **mirrored_vs_single(initial, single, mirrored, single_history, mirrored_history),
    changed=changed,
    stage=mirrored.current_stage,
    iterations=[int(o.iterations.numpy()) for o in (
        mirrored.g_optimizer, mirrored.local_d_optimizer, mirrored.global_d_optimizer
    )],
)
"""


@pytest.mark.parametrize("discriminator_batch", ["shared", "separate"])
def test_mirrored_stage_3_step_equals_single_device_step(discriminator_batch):
    # "separate" gives the Ds the faces at even places: replica by replica, the same faces as the
    # single device's split of the global batch.
    # Same update to float32 round-off (tests/distributed.py); a missing 1/replicas would give ~1.
    result = assert_mirrored_matches_single(
        f"DISCRIMINATOR_BATCH = {discriminator_batch!r}\n" + BODY
    )
    assert result["stage"] == 3
    assert result["iterations"] == [1, 1, 1]
    assert result["changed"] == {
        "generator": True,
        "local_discriminator": True,
        "global_discriminator": True,
        "parser": False,
    }
