"""Training the 3D-VAE-GAN (Wu et al. 2016, Section 3.2, eq. 2-4): an image encoder E in front of the
3D-GAN, for single-image 3-D reconstruction.

    L = L_3D-GAN + alpha1 * L_KL + alpha2 * L_recon                          (eq. 2)

Each step, on a batch of (image y, shape x) pairs:
- D learns as in the 3D-GAN (``GAN3D``): real shapes x against G(z), z ~ p(z), updated only while
  its accuracy is <= the threshold;
- E minimises alpha1 * L_KL + alpha2 * L_recon: its code z = mu + sigma * eps (the sampler) must
  decode to x, G(E(y)) ~ x, and q(z | y) must stay close to the prior;
- G minimises the non-saturating adversarial loss on G(z) plus alpha2 * L_recon, so it both fools D
  and decodes E's codes.
E and G take their gradients from the one objective L_EG = L_G + alpha1 L_KL + alpha2 L_recon (the KL
does not depend on G, nor L_G on E). The adversarial term uses prior codes only, as eq. 2 writes it
(Larsen et al.'s VAE-GAN also shows D the reconstructions; the paper does not say it does).

The KL's prior and the GAN's codes: see ``gan_papers.gan3d.losses`` (default N(0, I) for both).
"""

import keras
import tensorflow as tf
from keras import ops

from gan_papers.common.losses import generator_loss
from gan_papers.common.validation import check_choice, check_image_batch, check_non_negative
from gan_papers.gan3d.encoder import reparameterize
from gan_papers.gan3d.losses import (
    KL_PRIORS,
    RECONSTRUCTION_NORMS,
    kl_divergence,
    reconstruction_loss,
)
from gan_papers.gan3d.model import (
    GAN3D,
    PAPER_ACCURACY_THRESHOLD,
    PAPER_BETA_1,
    PAPER_D_LEARNING_RATE,
    PAPER_G_LEARNING_RATE,
)

# Section 4.3's alpha1 and alpha2, recalled: an assumption listed in ``gan_papers.gan3d``.
PAPER_ALPHA1 = 5.0
PAPER_ALPHA2 = 1e-4
# The paper gives no learning rate for E; G's is used.
DEFAULT_E_LEARNING_RATE = PAPER_G_LEARNING_RATE


@keras.saving.register_keras_serializable(package="gan_papers")
class VAEGAN3D(GAN3D):
    """The 3D-VAE-GAN: ``fit`` on batches ``(voxels, images)`` or ``(voxels, labels, images)``.

    ``voxels`` (B, R, R, R, 1) in {0, 1} and ``images`` (B, S, S, C) in [-1, 1] (S, C: the encoder's
    input), one image of each shape: the order of ``gan_papers.data.shapes.shape_dataset(...,
    with_views=True)``, and of ``fit(voxels, images)``. Labels are ignored.
    ``reconstruct(images)`` decodes the posterior mean G(mu(y)).

    Logs (epoch means): ``loss`` (L_EG), ``g_loss`` (adversarial), ``kl_loss``,
    ``reconstruction_loss``, and D's ``d_loss``, ``d_accuracy``, ``d_updated`` as in ``GAN3D``.

    Args:
        encoder: ``build_encoder``: images -> [mu, log_var], each (B, latent_dim).
        generator, discriminator: as in ``GAN3D``.
        alpha1, alpha2: the weights of L_KL and L_recon (eq. 2; 5 and 1e-4, recalled from the
            paper: an assumption listed in ``gan_papers.gan3d``).
        prior: ``"normal"`` (default: p(z) = N(0, I) for the KL and the GAN's codes) or
            ``"uniform"`` (the GAN's codes U[0, 1], the KL against N(1/2, 1/12)); see
            ``gan_papers.gan3d.losses``.
        reconstruction_norm: ``"l2"`` (eq. 4's ||.||_2) or ``"squared_l2"``.
        accuracy_threshold, accuracy_from, instance_noise, instance_noise_steps, seed: as in
            ``GAN3D``; ``seed`` also seeds the sampler's eps. The instance noise is added to what
            D sees (real shapes and G(z)); the reconstructions G(E(y)) are compared with x
            without it. Its decay follows this model's own G optimizer, from step 0.
    """

    SUBMODELS = ("encoder", "generator", "discriminator")
    TRACKERS = (
        "loss",
        "g_loss",
        "kl_loss",
        "reconstruction_loss",
        "d_loss",
        "d_accuracy",
        "d_updated",
    )

    def __init__(
        self,
        encoder,
        generator,
        discriminator,
        alpha1=PAPER_ALPHA1,
        alpha2=PAPER_ALPHA2,
        prior="normal",
        reconstruction_norm="l2",
        accuracy_threshold=PAPER_ACCURACY_THRESHOLD,
        accuracy_from="previous_batch",
        instance_noise=0.0,
        instance_noise_steps=None,
        seed=None,
        **kwargs,
    ):
        super().__init__(
            generator,
            discriminator,
            accuracy_threshold=accuracy_threshold,
            accuracy_from=accuracy_from,
            prior=check_choice(prior, "prior", KL_PRIORS),
            instance_noise=instance_noise,
            instance_noise_steps=instance_noise_steps,
            seed=seed,
            **kwargs,
        )
        outputs = encoder.output_shape
        if not isinstance(outputs, list | tuple) or len(outputs) != 2:
            raise ValueError(
                f"`encoder` must return [mu, log_var] (build_encoder); its outputs have shapes "
                f"{outputs}."
            )
        e_latent = [int(shape[-1]) for shape in outputs]
        if e_latent != [self.latent_dim] * 2:
            raise ValueError(
                f"`encoder` must output codes of the generator's latent_dim {self.latent_dim} "
                f"(mu and log_var); its outputs have shapes {outputs}."
            )
        self.encoder = encoder
        self.image_shape = tuple(int(d) for d in encoder.input_shape[1:])
        self.alpha1 = check_non_negative(alpha1, "alpha1")
        self.alpha2 = check_non_negative(alpha2, "alpha2")
        self.reconstruction_norm = check_choice(
            reconstruction_norm, "reconstruction_norm", RECONSTRUCTION_NORMS
        )

    def compile(self, g_optimizer=None, d_optimizer=None, e_optimizer=None, **kwargs):
        """Configure training.

        Args:
            g_optimizer, d_optimizer: as in ``GAN3D`` (the paper's Adam settings).
            e_optimizer: default Adam(0.0025, beta_1=0.5) (the paper gives none for E: G's).
            **kwargs: passed to ``keras.Model.compile``.
        """
        self.compile_networks(
            {
                "g_optimizer": (
                    g_optimizer
                    or keras.optimizers.Adam(PAPER_G_LEARNING_RATE, beta_1=PAPER_BETA_1),
                    self.generator,
                ),
                "d_optimizer": (
                    d_optimizer
                    or keras.optimizers.Adam(PAPER_D_LEARNING_RATE, beta_1=PAPER_BETA_1),
                    self.discriminator,
                ),
                "e_optimizer": (
                    e_optimizer
                    or keras.optimizers.Adam(DEFAULT_E_LEARNING_RATE, beta_1=PAPER_BETA_1),
                    self.encoder,
                ),
            },
            **kwargs,
        )

    def get_config(self):
        return {
            **super().get_config(),
            "alpha1": self.alpha1,
            "alpha2": self.alpha2,
            "prior": self.prior,
            "reconstruction_norm": self.reconstruction_norm,
        }

    # ------------------------------------------------------------------ reconstruction
    def _check_images(self, images, name):
        size, _, channels = self.image_shape
        check_image_batch(images, name, channels=channels)
        shape = tuple(images.shape)
        if shape[1:] != self.image_shape:
            raise ValueError(
                f"`{name}` must be images of the encoder's input shape (batch, {size}, {size}, "
                f"{channels}); received shape {shape}."
            )

    def encode(self, images):
        """E(y) in inference mode: ``(mu, log_var)`` for images (B, S, S, C) in [-1, 1]."""
        self._check_images(images, "images")
        mu, log_var = self.encoder(ops.convert_to_tensor(images, "float32"), training=False)
        return mu, log_var

    def reconstruct(self, images):
        """G(mu(y)): the shape decoded from the posterior mean, occupancy probabilities (B, R, R, R, 1)."""
        mu, _ = self.encode(images)
        return self.generator(mu, training=False)

    # ------------------------------------------------------------------ training
    def _unpack(self, data):
        # Keras hands (x, y, sample_weight): fit(voxels, images) gives (voxels, images, None), a
        # dataset of (voxels, images) gives (voxels, images) and one of (voxels, labels, images)
        # gives x = voxels, y = labels, sample_weight = images; x may also be (voxels, images).
        x, y, sample_weight = keras.utils.unpack_x_y_sample_weight(data)
        if isinstance(x, tuple | list) and len(x) >= 2:
            voxels, images = x[0], x[-1]
        else:
            voxels, images = x, (sample_weight if sample_weight is not None else y)
        if images is None:
            raise ValueError(
                "The 3D-VAE-GAN trains on (voxels, images) or (voxels, labels, images) batches: "
                "voxels (batch, R, R, R, 1) in {0, 1} and their images (batch, S, S, C) in [-1, 1]; "
                f"received {type(voxels).__name__} {getattr(voxels, 'shape', '')} alone."
            )
        shape = tuple(images.shape)
        if len(shape) != 4 or any(
            s is not None and s != e for s, e in zip(shape[1:], self.image_shape, strict=True)
        ):
            size, _, channels = self.image_shape
            raise ValueError(
                f"The training images (the batches' last element) must have shape (batch, {size}, "
                f"{size}, {channels}) (the encoder's input), in [-1, 1]; received batches of shape "
                f"{shape}."
            )
        return ops.cast(images, "float32"), self._check_voxel_batch(voxels, "The training voxels")

    def eps(self, batch_size):
        """The sampler's eps ~ N(0, I) for a batch (drawn after the batch's codes z)."""
        return self.draw(
            lambda n: keras.random.normal((n, self.latent_dim), seed=self.seed_generator),
            batch_size,
        )

    def test_step(self, data):
        """L_EG's terms and D's in inference mode, no update: the reconstruction decodes the
        posterior mean mu (no eps drawn), the adversarial terms use codes from a fixed seed."""
        images, voxels = self._unpack(data)
        fake = self.generator(self._evaluation_latents(tf.shape(voxels)[0]), training=False)
        logs = self._inference_d(voxels, fake)
        mu, log_var = self.encoder(images, training=False)
        reconstruction = self.generator(mu, training=False)
        kl = kl_divergence(mu, log_var, self.prior)
        recon = reconstruction_loss(reconstruction, voxels, self.reconstruction_norm)
        loss = logs["g_loss"] + self.alpha1 * kl + self.alpha2 * recon
        return self.record(**logs, loss=loss, kl_loss=kl, reconstruction_loss=recon)

    def train_step(self, data):
        """D's step as ``GAN3D``'s; then E's and G's on L_EG = L_G + alpha1 L_KL + alpha2 L_recon."""
        images, voxels = self._unpack(data)
        batch = tf.shape(voxels)[0]
        z = self.latents(batch)  # z ~ p(z), for the adversarial term
        eps = self.eps(batch)  # the sampler's noise, for E's codes
        # Persistent: E and G each take their gradient, each scaled by its own optimizer.
        with tf.GradientTape(persistent=True) as tape:
            fake = self.add_instance_noise(self.generator(z, training=True))  # G(z)
            with tape.stop_recording():  # D's step is no part of E's and G's gradients
                d_loss, accuracy, updated = self._discriminator_step(
                    self.add_instance_noise(voxels), ops.stop_gradient(fake)
                )
            g_loss = generator_loss(self.discriminator(fake, training=True))  # -log D(G(z)), eq. 1
            mu, log_var = self.encoder(images, training=True)  # q(z | y)
            reconstruction = self.generator(reparameterize(mu, log_var, eps), training=True)
            kl = kl_divergence(mu, log_var, self.prior)  # L_KL, eq. 3
            recon = reconstruction_loss(reconstruction, voxels, self.reconstruction_norm)  # eq. 4
            loss = g_loss + self.alpha1 * kl + self.alpha2 * recon  # L_EG: eq. 2 without D's part
            g_objective = self.objective(self.g_optimizer, loss)
            e_objective = self.objective(self.e_optimizer, loss)
        self.descend(self.g_optimizer, tape, g_objective, self.generator)
        self.descend(self.e_optimizer, tape, e_objective, self.encoder)
        return self.record(
            loss=loss,
            g_loss=g_loss,
            kl_loss=kl,
            reconstruction_loss=recon,
            d_loss=d_loss,
            d_accuracy=accuracy,
            d_updated=ops.cast(updated, "float32"),
        )
