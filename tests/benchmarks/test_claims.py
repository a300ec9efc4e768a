"""benchmarks.claims: each claim's number from a run's metrics.json, and "held" only on every seed."""

import json

import pytest

from benchmarks import claims


def _sr_scores(bicubic, srresnet, srgan_sharpness):
    """evaluate_sr summaries for two photos: bicubic's and SRResNet's PSNRs per photo."""
    names = ("a", "b")
    scores = {"bicubic": bicubic, "SRResNet": srresnet, "SRGAN": srresnet}
    out = {}
    for method, psnrs in scores.items():
        out[method] = {
            "mean_psnr": sum(psnrs) / 2,
            "psnr": dict(zip(names, psnrs, strict=True)),
            "mean_sharpness": 0.3,
        }
    out["SRGAN"] = {**out["SRGAN"], "mean_sharpness": srgan_sharpness}
    return out


def _srgan_metrics(seed):
    # This run: SRResNet gains 2 dB on photo a and loses 0.5 on b; the reference gains on both.
    return {
        "seed": seed,
        "scores": _sr_scores((20.0, 30.0), (22.0, 29.5), srgan_sharpness=0.6),
        "reference": {"scores": _sr_scores((20.0, 30.0), (21.0, 31.0), srgan_sharpness=1.5)},
    }


def test_srgan_claims_by_hand():
    _, srgan_claims = claims.PAPERS["srgan"]
    values = [claim.measure(_srgan_metrics(0)) for claim in srgan_claims]
    # margin (mean 25.75 - 25.0), worst photo (-0.5), |1-0.3| - |1-0.6|; then the reference's:
    # 26.0 - 25.0, min(+1, +1), |1-0.3| - |1-1.5|.
    assert values == pytest.approx([0.75, -0.5, 0.3, 1.0, 1.0, 0.2])
    assert [claim.text.startswith("reference models: ") for claim in srgan_claims] == [
        False
    ] * 3 + [True] * 3


def test_held_needs_every_seed(tmp_path):
    notebook, _ = claims.PAPERS["srgan"]
    for seed in (0, 1):
        metrics = _srgan_metrics(seed)
        if seed == 1:  # a seed where SRResNet gains only 0.25 dB on average
            metrics["scores"]["SRResNet"]["mean_psnr"] = 25.25
        run_dir = tmp_path / f"{notebook}_s{seed}"
        run_dir.mkdir()
        (run_dir / "metrics.json").write_text(json.dumps(metrics))
    report = claims.evaluate_paper("srgan", [0, 1], reuse=True, runs_dir=str(tmp_path))
    margin = report["claims"][0]
    assert margin["per_seed"] == pytest.approx({0: 0.75, 1: 0.25})
    assert margin["threshold"] == 0.5 and margin["held"] is False
    assert report["claims"][3]["held"] is True  # the reference's margin: 1.0 on both seeds
    assert report["minutes"] == {}  # reused: no notebook ran


def _face_completion_metrics(with_control=True):
    """Every mask scores the same, so each mean over the masks is the stage's number."""
    stages = {
        "1": (17.0, 0.60, 0.08, 0.40),
        "2": (17.2, 0.61, 0.10, 0.45),
        "3": (16.9, 0.65, 0.12, 0.43),
        "3_without_parsing": (16.6, 0.62, 0.13, 0.41),
    }
    if not with_control:
        del stages["3_without_parsing"]
    return {
        "scores": {
            f"stage{stage}/{mask}": {
                "psnr_hole": p,
                "parsing_accuracy": a,
                "sharpness": s,
                "class_accuracy": c,
            }
            for stage, (p, a, s, c) in stages.items()
            for mask in claims.MASKS
        }
    }


def test_face_completion_claims_by_hand(tmp_path):
    _, fc_claims = claims.PAPERS["face_completion"]
    values = [claim.measure(_face_completion_metrics()) for claim in fc_claims]
    # stage 2 - 1 sharpness; stage 3 - 2 parsing, per-class parsing and PSNR; stage 3 - its fork
    # without L_p, parsing and PSNR.
    assert values == pytest.approx([0.02, 0.04, -0.02, -0.3, 0.03, 0.3])
    # Runs made before the notebook trained the fork: those two claims are reported unmeasured.
    notebook, _ = claims.PAPERS["face_completion"]
    run_dir = tmp_path / f"{notebook}_s0"
    run_dir.mkdir()
    (run_dir / "metrics.json").write_text(json.dumps(_face_completion_metrics(False)))
    report = claims.evaluate_paper("face_completion", [0], reuse=True, runs_dir=str(tmp_path))
    assert [r["held"] for r in report["claims"][:4]] == [True, True, False, True]
    assert all("not_measured" in r and "held" not in r for r in report["claims"][4:])
