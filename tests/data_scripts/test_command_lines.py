"""The command line of every dataset script: ``--help`` names sources, layout and the manual way,
``python -m`` runs it, and a bad option is refused by argparse (exit status 2)."""

import pathlib
import subprocess
import sys

import pytest

from data_scripts import celeba, div2k, helen, modelnet, sr_benchmarks

SCRIPTS = {
    "celeba": celeba,
    "div2k": div2k,
    "helen": helen,
    "modelnet": modelnet,
    "sr_benchmarks": sr_benchmarks,
}

# Text each script's --help must show, and what it must not (the super-resolution options).
HELP_SHOWS = {
    "celeba": (
        "1.44 GB",
        "centre 108x108 (rows 55-162, columns 35-142) -> 64x64",
        "centre 178x178 (rows 20-197, columns 0-177) -> 128x128",
        "celeba/prepared_64/train/000001.png",
        "celeba/prepared_64/test/182638.png",
        "manifest.json",
        "<data-dir>/downloads/",
        "SHA-256",
        "--limit",
    ),
    "div2k": (
        "data.vision.ee.ethz.ch/cvl/DIV2K",
        "3.53 GB",
        "DIV2K/DIV2K_train_HR/0001.png",
        "DIV2K/DIV2K_valid_LR_bicubic/X4/0801x4.png",
        "manifest.json",
        "<data-dir>/downloads/",
        "SHA-256",
    ),
    "helen": (
        "SmithCVPR2013_dataset_resized.zip",
        "pages.cs.wisc.edu/~lizhang/projects/face-parsing",
        "trust on first use",
        "helen/prepared_128/train/images/<name>.png",
        "helen/prepared_128/train/labels/<name>.png",
        "exemplars.txt",
        "--margin",
        "--limit",
        "<data-dir>/downloads/",
        "left_brow",
    ),
    "modelnet": (
        "ModelNet10.zip",
        "3dvision.princeton.edu/projects/2014/3DShapeNets",
        "ModelNet40.zip",
        "trust on first use",
        "modelnet10/prepared_32/train.npz",
        "--resolution",
        "--variant",
        "--limit",
        "<data-dir>/downloads/",
        "night_stand",
    ),
    "sr_benchmarks": (
        "cv.snu.ac.kr/research/EDSR",
        "250 MB",
        "benchmark/Set5/HR/baby.png",
        "LR_bicubic/X4",
        "trust on first use",
        "<data-dir>/downloads/benchmark.tar",
    ),
}
HELP_OMITS = {"helen": ("--scale", "--make-lr"), "modelnet": ("--scale", "--make-lr")}

# What `python -m data_scripts.<script> --help` must print, as a sign the module ran.
MODULE_PRINTS = {
    "celeba": "list_eval_partition.txt",
    "div2k": "DIV2K_train_LR_bicubic/X4/0001x4.png",
    "helen": "tuning.txt",
    "modelnet": "ModelNet10.zip",
    "sr_benchmarks": "benchmark/Set5/HR/baby.png",
}

BAD_OPTIONS = [
    ("celeba", ["--size", "96"], "argument --size: invalid choice: 96"),
    ("celeba", ["--limit", "0"], "argument --limit: must be a positive integer; received 0"),
    ("celeba", ["--workers", "0"], "argument --workers: must be a positive integer; received 0"),
    ("div2k", ["--scale", "5"], "invalid choice"),
    ("helen", ["--size", "0"], "argument --size: must be a positive integer; received 0"),
    ("helen", ["--limit", "-2"], "argument --limit: must be a positive integer; received -2"),
    ("helen", ["--margin", "3"], "argument --margin: must be a number in [0, 2]; received 3"),
    (
        "modelnet",
        ["--resolution", "8"],
        "argument --resolution: must be an integer >= 16; received 8",
    ),
    ("modelnet", ["--variant", "20"], "argument --variant: must be 10 or 40; received 20"),
    ("modelnet", ["--limit", "0"], "argument --limit: must be a positive integer; received 0"),
]


def exit_code(script, argv):
    """The status ``main(argv)`` exits with through argparse (``--help``, a bad option)."""
    with pytest.raises(SystemExit) as exit_info:
        SCRIPTS[script].main(argv)
    return exit_info.value.code


@pytest.mark.parametrize("script", sorted(HELP_SHOWS))
def test_help_explains_sources_layout_and_manual_download(script, capsys):
    assert exit_code(script, ["--help"]) == 0
    text = capsys.readouterr().out
    for expected in HELP_SHOWS[script]:
        assert expected in text
    for unexpected in HELP_OMITS.get(script, ()):
        assert unexpected not in text


@pytest.mark.parametrize("script", sorted(MODULE_PRINTS))
def test_runs_as_a_module(script):
    result = subprocess.run(
        [sys.executable, "-m", f"data_scripts.{script}", "--help"],
        cwd=pathlib.Path(__file__).parents[2],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    assert MODULE_PRINTS[script] in result.stdout


@pytest.mark.parametrize(("script", "argv", "message"), BAD_OPTIONS)
def test_bad_options_are_refused(script, argv, message, capsys):
    assert exit_code(script, argv) == 2
    assert message in capsys.readouterr().err
