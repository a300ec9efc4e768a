"""Instance noise on what the 3D-GAN's discriminator sees, a named deviation from Wu et al. 2016
(off by default; notebook 04's ``demo`` profile turns it on).

With ``instance_noise=sigma``, D sees real and generated shapes with Gaussian noise N(0, sigma^2)
added to every voxel, during training only (Sonderby et al. 2017, "Amortised MAP inference for image
super-resolution"; Arjovsky & Bottou 2017). Without it, a small D with batch norm and no biases
barely reacts when G scales a whole batch of shapes down, and G drifts to empty grids; the noise
makes real and generated shapes overlap, so D's gradient stays informative. It is drawn from the
model's seed generator (after the codes), so runs stay repeatable; with ``instance_noise_steps`` it
is annealed (linearly) to 0, as Sonderby et al. suggest, so that D ends up judging clean shapes (in
our short runs the decay did not help, so ``demo`` keeps it constant).
"""

import keras
import tensorflow as tf
from keras import ops


class InstanceNoise:
    """Mixed into ``GAN3D``, which sets ``instance_noise`` (sigma), ``instance_noise_steps``, a
    ``seed_generator`` and a ``g_optimizer``."""

    def add_instance_noise(self, voxels):
        """``voxels`` as D sees them while training: plus N(0, instance_noise^2) noise per voxel.

        Returns ``voxels`` itself when ``instance_noise`` is 0 (nothing is drawn, so the seed
        generator advances as without this option). The noise is drawn per replica like the codes.
        """
        if self.instance_noise == 0:
            return voxels
        sigma = self.instance_noise_level()
        shape = tuple(voxels.shape[1:])
        noise = self.draw(
            lambda n: keras.random.normal((n, *shape), seed=self.seed_generator),
            tf.shape(voxels)[0],
        )
        return voxels + ops.cast(sigma * noise, voxels.dtype)

    def instance_noise_level(self):
        """The noise's standard deviation at this step (a float32 scalar tensor).

        ``instance_noise``; with ``instance_noise_steps`` = T, ``instance_noise * max(0, 1 - t / T)``
        at G's optimizer step t (a linear decay to 0). That step count is saved with the model, so
        a resumed run continues the same schedule.
        """
        sigma = ops.convert_to_tensor(self.instance_noise, "float32")
        if self.instance_noise_steps is None:
            return sigma
        step = ops.cast(self.g_optimizer.iterations, "float32")
        return sigma * ops.maximum(0.0, 1.0 - step / self.instance_noise_steps)
