"""What a face completion step trains on: the faces (and masks) Keras hands it, and which of them
the discriminators see.

**The discriminators' batch.** ``demo_GFC_training.m`` updates both discriminators on a freshly drawn
batch (new faces, holes and noise) before each G step. ``discriminator_batch="separate"`` does that
within each incoming batch (``split_batch``): its faces at even places (with their holes and noise)
train the discriminators, then G steps on the faces at odd places against the updated
discriminators. ``"shared"`` (the default) takes one G step on the whole batch and then trains the
discriminators on the same, pre-update completions: twice the faces per G step for about the same
compute, which the CPU-sized profiles need; every profile uses it (see ``config``).
"""

import keras
from keras import ops

DISCRIMINATOR_BATCHES = ("shared", "separate")


def unpack_faces(data, image_size):
    """``(faces, masks)`` from what ``fit``/``train_on_batch``/``evaluate`` hand a step: faces, or
    ``(faces, masks)`` (also ``x=[faces, masks]``, the inputs the model's ``call`` takes). Faces are
    cast to float32; ``masks`` is ``None`` when not given (the step draws them)."""
    x, masks, sample_weight = keras.utils.unpack_x_y_sample_weight(data)
    if sample_weight is not None:
        raise ValueError(
            "FaceCompletionGAN takes faces, or (faces, masks), and no sample weights; "
            f"received sample weights of shape {tuple(sample_weight.shape)}."
        )
    if masks is None and isinstance(x, tuple | list):
        if len(x) != 2:
            raise ValueError(
                f"`x` must be faces, or [faces, masks]; received a sequence of {len(x)}."
            )
        x, masks = x
    shape = tuple(x.shape)
    if len(shape) != 4 or shape[1:] != (image_size, image_size, 3):
        raise ValueError(
            f"The training data must be faces of shape (batch, {image_size}, "
            f"{image_size}, 3) in [-1, 1], optionally with masks; received {shape}."
        )
    if masks is not None and tuple(masks.shape[1:]) != (image_size, image_size, 1):
        raise ValueError(
            f"Training masks must have shape (batch, {image_size}, {image_size}, 1); "
            f"received {tuple(masks.shape)}."
        )
    return ops.cast(x, "float32"), masks


def split_batch(faces, masks, noise):
    """(the discriminators' part, G's part) of a batch for ``discriminator_batch="separate"``: the
    faces at even and at odd places, each with its masks and noise. Interleaved rather than halves
    so that each replica of a mirrored step gives D the same faces as one device does with the
    global batch."""
    if faces.shape[0] is not None and faces.shape[0] < 2:
        raise ValueError(
            'discriminator_batch="separate" splits each batch into faces for the '
            "discriminators and faces for the generator: it needs batches of at least 2 "
            f"faces (per replica); received {faces.shape[0]}."
        )
    return (
        (faces[0::2], masks[0::2], noise[0::2]),
        (faces[1::2], masks[1::2], noise[1::2]),
    )
