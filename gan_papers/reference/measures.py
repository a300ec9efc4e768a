"""What ``gan_papers.reference`` records for each reference model, recomputed on held-out data.

One function per shipped model, ``model -> {metric: value}``. Every draw is seeded, so a model
gives the same numbers on any machine up to float32 round-off; the tests check the shipped models
against ``registry.json`` with that tolerance. The numbers are the walkthroughs' own measures, at
sizes that take seconds on a CPU.
"""

import numpy as np

COUNT = 256  # images in each SWD set (as the inpainting demo)
SHAPE_SAMPLES = 64  # 3-D samples scored by their nearest training shape (as notebook 04's demo)
SHAPE_POOL = 1000  # training shapes searched for each sample's nearest
FACES = 16  # held-out faces per face-completion mask (as notebook 02's demo)


def _heldout_faces(count, size):
    from gan_papers.data import FACE_SPLITS, render_faces

    return render_faces(FACE_SPLITS["heldout"][0] + np.arange(count), size=size, seed=0)


def _generator_samples(generator, count=COUNT):
    """``count`` samples G(z), z ~ U[-1, 1] (the DCGAN prior), from a fixed seed."""
    z = np.random.default_rng(0).uniform(-1, 1, (count, generator.input_shape[-1]))
    return np.asarray(generator.predict(z.astype("float32"), batch_size=64, verbose=0))


def inpainting_generator(generator):
    """Sliced Wasserstein distances (x 1e3, ``common.swd``) to 256 held-out faces: of 256 samples,
    of 256 other held-out faces (the floor) and of independent pixels (the structureless baseline),
    and how far the samples have come from the baseline towards the floor (notebook 01's claim)."""
    from gan_papers.common.swd import independent_pixels, sliced_wasserstein_distance

    faces, _ = _heldout_faces(2 * COUNT, generator.output_shape[1])
    target, others = faces[:COUNT], faces[COUNT:]
    swd = {
        name: sliced_wasserstein_distance(target, images, seed=0)["mean"]
        for name, images in (
            ("swd_samples", _generator_samples(generator)),
            ("swd_heldout_real", others),
            ("swd_independent_pixels", independent_pixels(others, COUNT, seed=0)),
        )
    }
    swd["swd_progress"] = (swd["swd_independent_pixels"] - swd["swd_samples"]) / (
        swd["swd_independent_pixels"] - swd["swd_heldout_real"]
    )
    return {key: float(value) for key, value in swd.items()}


def inpainting_discriminator(discriminator):
    """The calibrated D's AUC of 256 held-out faces over 256 samples of the reference generator,
    and its mean D(G(z)) on those samples (what the prior loss reads)."""
    from sklearn.metrics import roc_auc_score

    from gan_papers.reference import load

    samples = _generator_samples(load("inpainting_generator"))
    faces, _ = _heldout_faces(COUNT, samples.shape[1])
    real = np.asarray(discriminator.predict(faces, batch_size=64, verbose=0))[:, 0]
    fake = np.asarray(discriminator.predict(samples, batch_size=64, verbose=0))[:, 0]
    auc = roc_auc_score(np.r_[np.ones(COUNT), np.zeros(COUNT)], np.r_[real, fake])
    return {
        "auc_real_over_samples": float(auc),
        "mean_d_of_samples": float(np.mean(1 / (1 + np.exp(-fake)))),
    }


def gan3d(model):
    """Mean IoU of 64 samples with their nearest of 1,000 training shapes, the same for 64 real
    held-out shapes, their ratio (notebook 04's claim), and how many of the 8 classes the samples'
    nearest shapes cover."""
    from gan_papers.data import SHAPE_SPLITS, make_shapes
    from gan_papers.gan3d.evaluate import nearest_shapes

    resolution = model.generator.output_shape[1]
    pool, pool_labels = make_shapes(SHAPE_SPLITS["train"][0] + np.arange(SHAPE_POOL), resolution)
    real, _ = make_shapes(SHAPE_SPLITS["heldout"][0] + np.arange(SHAPE_SAMPLES), resolution)
    samples = np.asarray(model.sample(SHAPE_SAMPLES, seed=0))
    nearest, sample_iou = nearest_shapes(samples, pool)
    _, real_iou = nearest_shapes(real, pool)
    return {
        "mean_nearest_iou": float(sample_iou.mean()),
        "real_nearest_iou": float(real_iou.mean()),
        "iou_ratio": float(sample_iou.mean() / real_iou.mean()),
        "classes_met": float(len(np.unique(pool_labels[nearest]))),
    }


def face_completion(model):
    """Hole PSNR, parsing accuracy (by the model's own frozen parser) and sharpness, each the mean
    over notebook 02's five evaluation masks on 16 held-out faces; the originals' parsing accuracy
    and sharpness in the same holes (the ceiling)."""
    from gan_papers.face_completion.evaluate import (
        completion_scores,
        evaluation_masks,
        hole_sharpness,
        parsing_accuracy,
    )

    faces, labels = _heldout_faces(FACES, model.image_size)
    scores, ceiling = [], []
    for mask in evaluation_masks(labels, model.hole_size, seed=0).values():
        scores.append(
            completion_scores(model.complete(faces, mask), faces, mask, labels, model.parser)
        )
        ceiling.append(
            (
                parsing_accuracy(model.parser, faces, labels, mask).mean(),
                hole_sharpness(faces, mask).mean(),
            )
        )
    mean = {
        key: float(np.mean([s[key] for s in scores]))
        for key in ("psnr_hole", "parsing_accuracy", "sharpness")
    }
    mean["original_parsing_accuracy"] = float(np.mean([c[0] for c in ceiling]))
    mean["original_sharpness"] = float(np.mean([c[1] for c in ceiling]))
    return mean


def srresnet(model):
    """Mean Y-PSNR [dB] and sharpness ratio (``common.metrics.sharpness_ratio_y``) of an SR
    generator on the built-in held-out photos, and bicubic's PSNR."""
    from gan_papers.data import heldout_pairs
    from gan_papers.srgan.evaluate import evaluate_sr

    pairs = heldout_pairs(scale=4)
    ours = evaluate_sr(model, pairs, progress=False)
    bicubic = evaluate_sr("bicubic", pairs, progress=False)
    return {
        "mean_psnr": ours["mean_psnr"],
        "bicubic_mean_psnr": bicubic["mean_psnr"],
        "mean_sharpness": ours["mean_sharpness"],
    }


MEASURES = {
    "inpainting_generator": inpainting_generator,
    "inpainting_discriminator": inpainting_discriminator,
    "gan3d": gan3d,
    "face_completion": face_completion,
    "srresnet": srresnet,
    "srgan_generator": srresnet,  # the same scores, for SRGAN's generator
}
