"""The latent prior p(z) (Wu et al. 2016, Section 3.1).

The paper: "a 200-dimensional latent vector z, randomly sampled from a probabilistic latent space",
each dimension i.i.d. **U[0, 1]** (many public ports use N(0, 0.33) instead). ``"uniform"`` is that.
``"normal"`` is N(0, I), the prior of a VAE (Kingma & Welling 2014), which the 3D-VAE-GAN can use
(see ``gan_papers.gan3d.vae_gan``).
"""

import keras

from gan_papers.common.validation import check_choice, check_positive_int

PRIORS = ("uniform", "normal")


def sample_latent(n, latent_dim=200, prior="uniform", seed=None):
    """``n`` codes z ~ p(z): (n, latent_dim) float32.

    Args:
        n: how many (a Python int, or a scalar tensor inside a traced step).
        latent_dim: dimension of z (200 in the paper).
        prior: ``"uniform"`` (U[0, 1]^latent_dim, the paper's) or ``"normal"`` (N(0, I)).
        seed: an int, a ``keras.random.SeedGenerator`` (which advances) or ``None``.
    """
    if isinstance(n, int):
        n = check_positive_int(n, "n")
    latent_dim = check_positive_int(latent_dim, "latent_dim")
    check_choice(prior, "prior", PRIORS)
    if prior == "uniform":
        return keras.random.uniform((n, latent_dim), minval=0.0, maxval=1.0, seed=seed)
    return keras.random.normal((n, latent_dim), seed=seed)
