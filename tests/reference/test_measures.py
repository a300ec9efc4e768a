"""``gan_papers.reference.measures`` on tiny untrained models: each runs, is repeatable, and its
derived numbers follow from its parts."""

import numpy as np
import pytest

from gan_papers import inpainting, srgan
from gan_papers.reference import measures
from tests.face_completion.helpers import HOLE
from tests.face_completion.helpers import tiny_gan as tiny_face_completion
from tests.gan3d.helpers import tiny_gan as tiny_gan3d

pytestmark = pytest.mark.slow


def test_inpainting_generator_scores_samples_between_noise_and_real_faces():
    generator = inpainting.build_generator(image_size=16, latent_dim=8, base_filters=8)
    scores = measures.inpainting_generator(generator)
    assert 0 < scores["swd_heldout_real"] < scores["swd_independent_pixels"]
    progress = (scores["swd_independent_pixels"] - scores["swd_samples"]) / (
        scores["swd_independent_pixels"] - scores["swd_heldout_real"]
    )
    assert scores["swd_progress"] == pytest.approx(progress)


def test_gan3d_scores_are_ious_and_a_class_count(monkeypatch):
    monkeypatch.setattr(measures, "SHAPE_POOL", 24)
    monkeypatch.setattr(measures, "SHAPE_SAMPLES", 8)
    scores = measures.gan3d(tiny_gan3d(resolution=16))
    assert 0 <= scores["mean_nearest_iou"] <= 1
    assert 0 < scores["real_nearest_iou"] <= 1
    assert scores["iou_ratio"] == pytest.approx(
        scores["mean_nearest_iou"] / scores["real_nearest_iou"]
    )
    assert scores["classes_met"] in set(range(1, 9))


def test_face_completion_scores_against_the_originals(monkeypatch):
    monkeypatch.setattr(measures, "FACES", 4)
    model = tiny_face_completion()
    assert model.hole_size == HOLE
    scores = measures.face_completion(model)
    assert set(scores) == {
        "psnr_hole",
        "parsing_accuracy",
        "sharpness",
        "original_parsing_accuracy",
        "original_sharpness",
    }
    # At 16x16 a part can be missing from a face: its hole is empty and its PSNR infinite.
    assert not any(np.isnan(v) for v in scores.values())
    assert 0 <= scores["parsing_accuracy"] <= 1


def test_srresnet_scores_against_bicubic():
    model = srgan.build_srresnet(srgan.get_config("smoke"))
    scores = measures.srresnet(model)
    assert set(scores) == {"mean_psnr", "bicubic_mean_psnr", "mean_sharpness"}
    assert 15 < scores["bicubic_mean_psnr"] < 40  # the held-out photos' bicubic PSNR
    assert np.isfinite(scores["mean_psnr"])
