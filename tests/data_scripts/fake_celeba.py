"""A fake CelebA for the celeba tests: 178x218 JPEGs whose colours show where each crop lands, the
partition list, and the exact area average the prepared images are checked against."""

import io

import numpy as np
from PIL import Image

from tests.data_scripts.helpers import zip_bytes

SPLIT_OF = {1: "train", 2: "train", 3: "train", 4: "valid", 5: "test", 6: "test"}
MAGENTA = (255, 0, 255)  # rows 0-19 and 198-217: outside both crops
QUADRANTS = ((220, 40, 30), (30, 190, 60), (40, 70, 210), (235, 235, 235))  # TL, TR, BL, BR
GOOGLE_DRIVE_PAGE = (
    b"<!DOCTYPE html><html><head><title>Google Drive - Virus scan warning</title></head><body>"
    b"Google Drive can't scan this file for viruses.</body></html>"
)


def base_colour(number):
    """The colour of image ``number`` inside the 178x178 square but outside the 108x108 one."""
    return (30 * number, 120, 90)


def source_image(number):
    """A 178x218 face stand-in: magenta outside the 128 crop, four quadrants in the 108 square."""
    image = np.empty((218, 178, 3), np.uint8)
    image[:] = MAGENTA
    image[20:198] = base_colour(number)
    for k, colour in enumerate(QUADRANTS):
        top, left = 55 + 54 * (k // 2), 35 + 54 * (k % 2)
        image[top : top + 54, left : left + 54] = colour
    return image


def jpeg_bytes(image):
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="JPEG", quality=95, subsampling=0)
    return buffer.getvalue()


def partition_text(splits=SPLIT_OF):
    ids = {"train": 0, "valid": 1, "test": 2}
    return "".join(f"{n:06d}.jpg {ids[split]}\n" for n, split in splits.items()).encode()


def archive_bytes(replace=None):
    members = {f"img_align_celeba/{n:06d}.jpg": jpeg_bytes(source_image(n)) for n in SPLIT_OF}
    members.update(replace or {})
    return zip_bytes(members)


def exact_area_average(image, size):
    """Area average computed by subdivision: each pixel is cut into ``size`` x ``size`` equal parts,
    and each output pixel is the plain mean of the parts it covers (``n`` x ``n`` of them)."""
    result = image.astype(np.float64)
    for axis in (0, 1):
        n = result.shape[axis]
        parts = np.repeat(result, size, axis=axis)
        shape = list(parts.shape)
        shape[axis : axis + 1] = [size, n]
        result = parts.reshape(shape).mean(axis=axis + 1)
    return result
