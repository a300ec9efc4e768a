"""What the generator completes and what each network of Li et al. 2017 sees (Section 3.1-3.4).

The generator's input is the face with its hole filled with noise (``noise_filled``); its output ``o``
enters the objective through the composite ``x * M + o * (1 - M)`` (``composite``: the known pixels
stay the face's) and the patch of that composite around the hole (``crop_patches``), which the local
discriminator judges next to the real face's patch at the same place.

**Gradient routing** (the authors' ``demo_GFC_training.m`` and ``gradstack.m``; the paper: the global
discriminator "back-propagates loss gradients across the entire image"). ``o`` reaches the objective
through

- L_r, on ``o`` itself: its gradient covers every pixel;
- the local adversarial term, on the patch of the composite around the hole, and the parsing term, on
  the parse of the composite: autodiff through ``x * M + o * (1 - M)`` keeps their gradients inside
  the hole, as ``gradstack.m`` adds them inside the hole box only;
- the global adversarial term, on the whole composite: ``gradstack.m`` adds its gradient with respect
  to the composite to G's output **everywhere** (``global_gradient="everywhere"``, the default; a
  straight-through estimator, ``global_input``). ``global_gradient="hole"`` is plain autodiff through
  the composite, which zeroes it outside the hole (a deviation, kept for comparison).
"""

from typing import NamedTuple

from keras import ops

from gan_papers.common.validation import check_choice
from gan_papers.face_completion.patches import crop_patches, patch_origin

GLOBAL_GRADIENTS = ("everywhere", "hole")


def noise_filled(images, masks, noise):
    """The generator's input: known pixels, and uniform noise in [-1, 1] in the hole (authors' code)."""
    return images * masks + noise * (1.0 - masks)


def composite(images, masks, output):
    """Known pixels from ``images``, hole pixels from the generator's ``output``."""
    return images * masks + output * (1.0 - masks)


def global_input(output, completed, global_gradient="everywhere"):
    """What the global discriminator judges in G's objective: the composite ``completed``, with its
    gradient routed to G's ``output`` by ``global_gradient``.

    ``"everywhere"`` (``gradstack.m``): the forward value is exactly the composite (``output -
    stop_gradient(output)`` is 0), but the gradient with respect to it goes to G's output at every
    pixel, a straight-through estimator. ``"hole"``: plain autodiff through the composite, which
    zeroes it outside the hole.
    """
    check_choice(global_gradient, "global_gradient", GLOBAL_GRADIENTS)
    if global_gradient == "hole":
        return completed
    return ops.stop_gradient(completed) + (output - ops.stop_gradient(output))


class Completion(NamedTuple):
    """G's completion of a batch and the patches the local discriminator compares."""

    output: object  # G's output o, float32
    completed: object  # the composite x * M + o * (1 - M)
    real_patches: object  # the faces' patches around the holes
    fake_patches: object  # the composite's patches at the same places


def complete(generator, faces, masks, noise, patch_size, training):
    """G's ``Completion`` of ``faces`` (B, S, S, 3) with holes ``masks`` filled with ``noise``."""
    output = ops.cast(generator(noise_filled(faces, masks, noise), training=training), "float32")
    completed = composite(faces, masks, output)
    rows, cols = patch_origin(masks, patch_size)
    real_patches = crop_patches(faces, rows, cols, patch_size)
    fake_patches = crop_patches(completed, rows, cols, patch_size)
    return Completion(output, completed, real_patches, fake_patches)
