"""The paper's evaluation protocol: Y-PSNR/SSIM per image, bicubic baseline, bad input."""

import numpy as np
import pytest

from gan_papers.common.imresize import imresize
from gan_papers.common.metrics import psnr_y, sharpness_ratio_y, ssim_y
from gan_papers.srgan import bicubic_upscale, build_generator, evaluate_sr, super_resolve


def _pairs(n=2, size=32, scale=4, seed=0):
    rng = np.random.default_rng(seed)
    pairs = []
    for i in range(n):
        # Smooth images, so bicubic recovers them well and PSNR is informative.
        yy, xx = np.mgrid[0:size, 0:size] / size
        hr = np.stack([np.sin(3 * xx + i), np.cos(2 * yy), np.sin(xx * yy * 5)], -1) * 0.8
        hr = (hr + rng.normal(0, 0.01, hr.shape)).clip(-1, 1).astype("float32")
        lr = imresize((hr + 1) / 2, scale=1 / scale).clip(0, 1).astype("float32")
        pairs.append((f"img{i}", lr, hr))
    return pairs


def test_bicubic_scores_are_y_psnr_of_matlab_bicubic():
    pairs = _pairs()
    result = evaluate_sr("bicubic", pairs, scale=4, progress=False)
    rows = zip(pairs, result["psnr"], result["ssim"], result["sharpness"], strict=True)
    for (_, lr, hr), psnr, ssim, sharpness in rows:
        up = imresize(lr, scale=4) * 2 - 1
        up = np.round((up.clip(-1, 1) + 1) * 127.5) / 127.5 - 1  # saved as 8 bits
        assert psnr == pytest.approx(psnr_y(up, hr, border=4), abs=1e-6)
        assert ssim == pytest.approx(ssim_y(up, hr, border=4), abs=1e-6)
        assert sharpness == pytest.approx(sharpness_ratio_y(up, hr, border=4), abs=1e-9)
        assert sharpness < 1  # bicubic cannot restore the fine noise of the HR image
    assert result["mean_psnr"] == pytest.approx(np.mean(result["psnr"]))
    assert result["mean_sharpness"] == pytest.approx(np.mean(result["sharpness"]))
    assert result["names"] == ["img0", "img1"]
    assert result["mean_psnr"] > 25  # smooth images: bicubic is good


def test_a_model_and_a_function_are_evaluated_alike():
    generator = build_generator(num_blocks=1, filters=8)
    pairs = _pairs(1)
    by_model = evaluate_sr(generator, pairs, progress=False)
    by_function = evaluate_sr(lambda lr: super_resolve(generator, lr), pairs, progress=False)
    assert by_model["psnr"][0] == pytest.approx(by_function["psnr"][0])
    assert by_model["images"][0].shape == pairs[0][2].shape


def test_bicubic_upscale_range_and_shape():
    lr = np.random.default_rng(0).uniform(0, 1, (6, 5, 3)).astype("float32")
    up = bicubic_upscale(lr, 4)
    assert up.shape == (24, 20, 3) and up.min() >= -1 and up.max() <= 1


@pytest.mark.parametrize(
    "call, fragment",
    [
        (lambda: evaluate_sr("bicubic", []), "`pairs`"),
        (lambda: evaluate_sr("nearest", _pairs(1)), "`method`"),
        (lambda: evaluate_sr(lambda lr: lr, _pairs(1)), "expected the HR shape"),
    ],
)
def test_bad_evaluation_input(call, fragment):
    with pytest.raises(ValueError, match=fragment):
        call()
