"""Where the hole is: the local discriminator's patch (Li et al. 2017, Section 3.2), and random holes.

Li et al. train with one square hole per face (64x64 in a 128x128 face, at a random place) and show
the local discriminator the 64x64 patch around it. ``patch_origin`` finds that patch from the mask
alone, so any mask works: the patch is centred on the bounding box of the missing pixels and moved
inside the image if needed. ``crop_patches`` cuts it out per image with a gather (XLA-clean, and its
gradient reaches exactly the patch's pixels).
"""

from keras import ops


def patch_origin(mask, patch_size):
    """Top-left corner (rows, cols), int32 of shape (B,), of the ``patch_size`` square centred on
    each mask's hole (mask: (B, H, W, 1), 1 = known). A mask without a hole gives the centre."""
    height, width = int(mask.shape[1]), int(mask.shape[2])
    if patch_size > height or patch_size > width:
        raise ValueError(
            f"`patch_size` must fit in the image ({height}x{width}); received {patch_size}."
        )
    missing = ops.cast(mask[..., 0] < 0.5, "int32")  # (B, H, W)

    def centre(extent, size):
        # extent: (B, size) with 1 where a row (column) has a missing pixel.
        first = ops.argmax(extent, axis=1)
        last = size - 1 - ops.argmax(ops.flip(extent, axis=1), axis=1)
        has_hole = ops.max(extent, axis=1) > 0
        middle = ops.where(has_hole, (first + last + 1) // 2, size // 2)
        return ops.cast(ops.clip(middle - patch_size // 2, 0, size - patch_size), "int32")

    return centre(ops.max(missing, axis=2), height), centre(ops.max(missing, axis=1), width)


def crop_patches(images, rows, cols, patch_size):
    """The ``patch_size`` squares of ``images`` (B, H, W, C) whose top-left corners are (rows, cols)."""
    offsets = ops.arange(patch_size, dtype="int32")
    row_index = ops.expand_dims(rows, 1) + offsets  # (B, P)
    col_index = ops.expand_dims(cols, 1) + offsets
    strip = ops.take_along_axis(images, row_index[:, :, None, None], axis=1)  # (B, P, W, C)
    return ops.take_along_axis(strip, col_index[:, None, :, None], axis=2)  # (B, P, P, C)


def random_hole_masks(batch_size, image_size, hole_size, seed_generator):
    """(B, S, S, 1) masks with one ``hole_size`` square missing at a uniformly random place each,
    drawn with ``keras.random`` from ``seed_generator`` (usable inside a compiled step)."""
    import keras

    span = image_size - hole_size + 1
    corners = keras.random.randint((2, batch_size), 0, span, seed=seed_generator)
    positions = ops.arange(image_size, dtype="int32")

    def inside(corner):
        corner = ops.cast(ops.expand_dims(corner, 1), "int32")
        return (positions >= corner) & (positions < corner + hole_size)  # (B, S)

    hole = ops.expand_dims(inside(corners[0]), 2) & ops.expand_dims(inside(corners[1]), 1)
    return ops.expand_dims(1.0 - ops.cast(hole, "float32"), -1)
