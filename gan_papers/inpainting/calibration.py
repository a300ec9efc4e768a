"""Calibrating the discriminator's batch-norm statistics for the prior loss (Yeh et al. 2017, eq. 3).

The prior loss L_p = lambda log(1 - D(G(z))) asks D about each image of the search on its own, so
D runs in inference mode: its batch-norm layers normalise with their moving statistics. Those
statistics are a by-product of training, and DCGAN training (Radford et al.'s reference code, which
every public inpainting port builds on, and ``DCGAN.train_step``) calls D on a batch of real
images and, separately, on a batch of generated ones, each normalised by its own batch's
statistics. The moving averages then track an alternation of real-batch and fake-batch moments
(weighted towards the fake batches, which D sees twice per step): their mean lies between the two
groups' means and their variance misses the spread between the groups. At inference D thus
normalises every image with statistics that match neither the images it learnt to call real nor
those it learnt to call fake, and its verdict can be far from the one it gave in training
(``benchmarks/inpainting_d_calibration.py`` measures it).

``calibrate_discriminator`` recomputes D's moving statistics exactly, layer by layer, over a
chosen population. Its default, ``"generated"``, uses samples G(z) alone: the latent search shows
D nothing else, and D learnt to judge generated images normalised by the statistics of generated
batches, so this gives the search the D that G was trained against, independent of which batches
happened to come last in training. Over an equal mixture of real and generated images
(``"mixed"``) or the expected per-batch statistics (``"separate"``) D judges samples more leniently
than it did in training; the statistics move D's threshold, hardly its ranking of real over
generated images. ``recompute_batch_norm_statistics`` is the general tool: any functional model,
any inputs.

What the public ports do at completion time:
- bamos/dcgan-completion.tensorflow, ``model.py``: since commit 3cc4006 (2017-05, "added
  is_training placeholder for batch norm") ``complete`` feeds ``is_training: False``, so D uses its
  moving averages, uncalibrated, as ``SemanticInpainter(..., d_statistics="as_trained")`` does.
  Before that commit ``ops.batch_norm`` ignored its ``train`` argument and
  ``tf.contrib.layers.batch_norm`` ran in training mode, so the completion batch (64 images) was
  normalised by its own statistics.
- moodoki/semantic_image_inpainting (the authors' release), ``src/model.py``: the search runs a
  frozen graph (``graphs/dcgan-100.pb``) whose prior term is the training graph's generator loss
  node (``gen_loss='Mean_2:0'``, D on the training-mode G); with carpedm20/DCGAN-tensorflow's
  ``ops.batch_norm`` (``train=True`` by default, and ``model.py``'s ``discriminator`` never passes
  another value) both networks normalise by the statistics of the search batch: 64 candidate
  completions of the image, or 64 images.
- carpedm20/DCGAN-tensorflow, ``model.py``: no completion; D is only ever built in training mode.
None of them recomputes the statistics. Training-mode normalisation is not an option for this
package: it couples the images of a batch (a batch of one normalises to nothing) and breaks the
per-image objective that makes batched and one-at-a-time searches agree.
"""

import keras
import numpy as np

from gan_papers.common.validation import (
    check_choice,
    check_image_batch,
    check_positive_int,
    check_seed,
)


def _batch_norm_layers(model):
    layers = [layer for layer in model.layers if isinstance(layer, keras.layers.BatchNormalization)]
    for layer in layers:
        if len(getattr(layer, "_inbound_nodes", ())) != 1:
            raise ValueError(
                "`model` must call each BatchNormalization layer once (a functional model such as "
                f"`build_discriminator`'s); layer {layer.name!r} is called "
                f"{len(getattr(layer, '_inbound_nodes', ()))} times."
            )
    return layers


STATISTICS = ("pooled", "per_batch")


def _moments(x, axis):
    x = np.moveaxis(np.asarray(x, dtype=np.float64), axis, -1)
    x = x.reshape(-1, x.shape[-1])
    return x.shape[0], x.sum(axis=0), (x**2).sum(axis=0)


def recompute_batch_norm_statistics(model, batches, statistics="pooled"):
    """Set each batch-norm layer's moving mean and variance from its inputs over ``batches``.

    ``statistics="pooled"``: the exact mean and (biased) variance over all of ``batches`` pooled,
    each layer's inputs computed in inference mode with the layers before it already recalibrated,
    so that every layer gets the statistics of what it will see at inference.
    ``statistics="per_batch"``: the mean over ``batches`` of each batch's own mean and variance, with
    the model in training mode (each batch normalised by its own statistics, as while training):
    the population statistics batch norm's moving averages estimate, recomputed exactly and with
    every batch weighted equally.

    Args:
        model: a functional ``keras.Model`` whose ``BatchNormalization`` layers are each called once.
        batches: a non-empty list of input arrays for ``model``.
        statistics: ``"pooled"`` or ``"per_batch"``.

    Returns:
        ``model``, modified in place (only the moving statistics change; no trainable weight does).
    """
    check_choice(statistics, "statistics", STATISTICS)
    if not isinstance(model, keras.Model) or not getattr(model, "inputs", None):
        raise ValueError(f"`model` must be a functional keras.Model; received {type(model)}.")
    batches = list(batches)
    if not batches:
        raise ValueError("`batches` must hold at least one batch of inputs; received none.")
    layers = _batch_norm_layers(model)
    if not layers:
        return model
    inputs = model.inputs[0] if len(model.inputs) == 1 else model.inputs
    if statistics == "per_batch":
        probe = keras.Model(inputs, [layer.input for layer in layers])
        means = [0.0] * len(layers)
        squares = [0.0] * len(layers)
        for batch in batches:
            # Training mode: every layer normalises by this batch's statistics. It also moves the
            # moving averages, which are overwritten below.
            outputs = probe(batch, training=True)
            outputs = outputs if isinstance(outputs, list | tuple) else [outputs]
            for i, (layer, x) in enumerate(zip(layers, outputs, strict=True)):
                count, total, total_sq = _moments(x, _axis(layer))
                mean = total / count
                means[i] = means[i] + mean / len(batches)
                squares[i] = squares[i] + (total_sq / count - mean**2) / len(batches)
        for layer, mean, variance in zip(layers, means, squares, strict=True):
            _assign(layer, mean, variance)
        return model
    for layer in layers:
        probe = keras.Model(inputs, layer.input)
        count = total = total_sq = 0
        for batch in batches:
            n, t, t_sq = _moments(probe(batch, training=False), _axis(layer))
            count, total, total_sq = count + n, total + t, total_sq + t_sq
        mean = total / count
        _assign(layer, mean, total_sq / count - mean**2)
    return model


def _axis(layer):
    return layer.axis if isinstance(layer.axis, int) else layer.axis[0]


def _assign(layer, mean, variance):
    layer.moving_mean.assign(np.asarray(mean).astype(layer.moving_mean.dtype))
    layer.moving_variance.assign(np.maximum(variance, 0.0).astype(layer.moving_variance.dtype))


CALIBRATIONS = ("generated", "mixed", "separate", "real")


DEFAULT_SAMPLES = 512


def calibrate_discriminator(
    discriminator,
    generator,
    real_images=None,
    statistics="generated",
    *,
    samples=None,
    batch_size=64,
    seed=0,
):
    """Recompute D's batch-norm statistics from samples G(z) (and real images), in place.

    ``statistics`` says over what:
    - ``"generated"`` (the default): pooled over the samples alone. The search shows D nothing but
      G(z), and in training D normalised generated images by the statistics of generated batches
      (in its own step and in G's), so this reproduces the normalisation under which D judged
      them: on held-out samples its inference-mode verdicts match its training-mode ones
      (``benchmarks/inpainting_d_calibration.py``). No real image is needed.
    - ``"mixed"``: pooled over the equal mixture of real images and samples (the population D's
      loss is an expectation over), in inference mode;
    - ``"separate"``: per batch, over real batches and fake batches of ``batch_size`` apart, each
      normalised by its own statistics as in ``DCGAN.train_step``, weighted equally: what the
      moving averages estimate, recomputed exactly (training weights the fake batches twice,
      since D sees them in its own step and in G's);
    - ``"real"``: pooled over the real images alone.

    Codes z ~ U[-1, 1] are drawn from ``seed`` and G runs in inference mode, as in the search. Use
    training images, not the images you will inpaint.

    Args:
        discriminator: the DCGAN discriminator (modified in place, and returned).
        generator: the DCGAN generator whose samples D judges.
        real_images: (N, H, W, 3) real images in [-1, 1], needed by all but ``"generated"``; a few
            hundred are enough.
        statistics: one of ``CALIBRATIONS``.
        samples: how many samples G(z): default as many as ``real_images``, or ``DEFAULT_SAMPLES``.
        batch_size: images per batch: the training batch for ``"separate"``; for the pooled
            statistics it only bounds memory.
        seed: seeds the codes z.
    """
    check_choice(statistics, "statistics", CALIBRATIONS)
    if real_images is None:
        if statistics != "generated":
            raise ValueError(
                f'`real_images` are needed for statistics="{statistics}" (only "generated" '
                "uses samples alone); received None."
            )
    else:
        check_image_batch(real_images, "real_images")
        real_images = np.asarray(real_images, np.float32)
    if samples is None:
        samples = DEFAULT_SAMPLES if real_images is None else len(real_images)
    samples = check_positive_int(samples, "samples")
    batch_size = check_positive_int(batch_size, "batch_size")
    seed = check_seed(seed)
    latent_dim = int(generator.input_shape[-1])
    rng = np.random.default_rng(seed)
    z = rng.uniform(-1.0, 1.0, (samples, latent_dim)).astype(np.float32)
    fake_images = np.concatenate(
        [
            np.asarray(generator(z[i : i + batch_size], training=False), np.float32)
            for i in range(0, len(z), batch_size)
        ]
    )

    def split(images, size):
        return [images[i : i + size] for i in range(0, len(images), size)]

    if statistics == "separate":
        # Whole batches only: a short last batch would have other per-batch statistics.
        real_whole = len(real_images) // batch_size * batch_size
        fake_whole = len(fake_images) // batch_size * batch_size
        if real_whole == 0 or fake_whole == 0:
            raise ValueError(
                f"`real_images` and `samples` must each be at least `batch_size` = {batch_size} "
                f'for statistics="separate"; received {len(real_images)} and {len(fake_images)}.'
            )
        batches = split(real_images[:real_whole], batch_size)
        batches += split(fake_images[:fake_whole], batch_size)
        return recompute_batch_norm_statistics(discriminator, batches, "per_batch")
    if statistics == "mixed":
        images = np.concatenate([real_images, fake_images])
    else:
        images = real_images if statistics == "real" else fake_images
    return recompute_batch_norm_statistics(discriminator, split(images, batch_size), "pooled")
