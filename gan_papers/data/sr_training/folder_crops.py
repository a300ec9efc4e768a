"""Training crops from image files decoded while training: any folder, or DIV2K's HR images."""

import pathlib

from gan_papers.common.validation import check_choice
from gan_papers.data.image_folder import list_images, scan_images
from gan_papers.data.sr_training.pipeline import (
    check_common,
    crop_offsets,
    keep_large_enough,
    make_batches,
)

DIV2K_SPLITS = ("train", "valid")


def folder_sr_dataset(
    folder,
    crop_size=96,
    scale=4,
    batch_size=16,
    degradation="bicubic",
    seed=0,
    repeat=True,
    augment=True,
    crops_per_image=16,
    gaussian_sigma=None,
    layout="a folder of .png / .jpg HR images",
):
    """Batches of random ``(lr, hr)`` training crops from the image files in ``folder``.

    Arguments and result as in ``sr_dataset``; files are decoded by ``tf.io.decode_image`` while
    training, so the folder may be larger than memory. Before the first batch, every file's header
    is read and checked (about 1 ms per file): unreadable files are skipped, counted and reported in
    one warning, and images smaller than ``crop_size`` are skipped with a warning. A rare file that
    passes that check but fails to decode is dropped by the pipeline (TensorFlow logs it). Raises
    ``ValueError`` naming the folder and the expected ``layout`` when it is missing or empty.
    """
    import tensorflow as tf

    crop_size, scale, batch_size, crops_per_image = check_common(
        crop_size, scale, batch_size, degradation, seed, crops_per_image
    )
    files = list_images(folder, layout=layout)
    sizes, skipped = scan_images(files)
    files = [path for path in files if path in sizes]
    # The pipeline drops files that fail to decode; decoding files here until one succeeds makes sure
    # an endless stream can never end up waiting for a decodable file that does not exist.
    while files:
        try:
            tf.io.decode_image(tf.io.read_file(str(files[0])), channels=3, expand_animations=False)
            break
        except tf.errors.OpError as error:
            skipped.add(files.pop(0), error)
    skipped.warn()
    if not files:
        raise ValueError(f"`{folder}` holds no readable image ({len(skipped)} unreadable files).")
    keep = keep_large_enough([p.name for p in files], [sizes[p] for p in files], crop_size)
    paths = tf.constant([str(files[i]) for i in keep])

    def decode(i):
        image = tf.io.decode_image(
            tf.io.read_file(paths[i]), channels=3, dtype=tf.uint8, expand_animations=False
        )
        return tf.ensure_shape(image, [None, None, 3])

    def cut(image, crop_seed):
        top, left = crop_offsets(tf.shape(image)[0], tf.shape(image)[1], crop_size, crop_seed)
        return tf.slice(image, tf.stack([top, left, 0]), [crop_size, crop_size, 3])

    return make_batches(
        decode,
        cut,
        len(keep),
        crop_size,
        scale,
        batch_size,
        degradation,
        gaussian_sigma,
        seed,
        repeat,
        augment,
        crops_per_image,
        tolerant=True,
    )


def div2k_dataset(
    data_dir,
    split="train",
    crop_size=96,
    scale=4,
    batch_size=16,
    degradation="bicubic",
    seed=0,
    repeat=True,
    augment=True,
    crops_per_image=16,
    gaussian_sigma=None,
):
    """``folder_sr_dataset`` over DIV2K's HR images (800 ``train``, 100 ``valid``).

    Reads ``<data_dir>/DIV2K/DIV2K_<split>_HR/0001.png ...``, the layout that
    ``python -m data_scripts.div2k --data-dir <data_dir>`` writes. LR crops are made from the HR crops
    with ``degradation``; DIV2K's own ``LR_bicubic`` files (the same MATLAB bicubic) are not needed.
    """
    check_choice(split, "split", DIV2K_SPLITS)
    folder = pathlib.Path(data_dir) / "DIV2K" / f"DIV2K_{split}_HR"
    layout = (
        f"DIV2K HR images {folder}/0001.png ..., as written by "
        f"`python -m data_scripts.div2k --data-dir {data_dir}`"
    )
    return folder_sr_dataset(
        folder,
        crop_size,
        scale,
        batch_size,
        degradation,
        seed,
        repeat,
        augment,
        crops_per_image,
        gaussian_sigma,
        layout=layout,
    )
