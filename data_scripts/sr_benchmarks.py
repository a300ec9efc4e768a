"""Download, verify, extract and check the SR benchmarks Set5, Set14 and BSD100 (Ledig et al. 2017, Sec. 3.1).

The paper reports PSNR/SSIM on Set5, Set14 and BSD100 (Tables 1-2). The EDSR authors' ``benchmark.tar``
(Lim et al., CVPRW 2017) ships their HR images with MATLAB-bicubic LR images at x2, x3 and x4 (and
Urban100), the files ``gan_papers.data.benchmark_pairs`` reads. No checksum of that archive is
published by its authors, so its SHA-256 is recorded on first download ("trust on first use", see
``data_scripts._archives``). Run ``python -m data_scripts.sr_benchmarks --help`` for the layout.
"""

import sys

from data_scripts._archives import CHECKSUMS_FILE, Archive, command_line, fetch_archive, parser, say
from data_scripts._pairs import pairs_entry, report_pairs, update_manifest

BASE_URL = "https://cv.snu.ac.kr/research/EDSR"
ARCHIVE = Archive("benchmark.tar", sha256=None, size_bytes=None)  # about 250 MB
# Sets the paper evaluates on (the archive's folder for BSD100 is B100) -> number of images.
SETS = {"Set5": 5, "Set14": 14, "B100": 100}
OPTIONAL_SETS = {"Urban100": 100}  # also in the archive; checked when present

DESCRIPTION = f"""\
Download the super-resolution test sets of the SRGAN paper (Set5, Set14, BSD100) with their
MATLAB-bicubic LR images, verify, extract and check them.

What is downloaded, from --base-url (default {BASE_URL}/):
  benchmark.tar    about 250 MB: the EDSR authors' (Lim et al., CVPRW 2017) benchmark archive with
                   Set5, Set14, B100 (= BSD100) and Urban100, HR images and LR images at x2, x3, x4.
  Its authors publish no checksum: the SHA-256 of the first download is recorded in
  <data-dir>/downloads/{CHECKSUMS_FILE} (trust on first use) and every later download or copy
  placed by hand must match it. Delete that line to accept a different archive."""

EPILOG = f"""\
Layout written under --data-dir (the one gan_papers.data.benchmark_pairs reads):
  downloads/benchmark.tar                  the archive, kept so a re-run need not fetch it
  downloads/{CHECKSUMS_FILE}                its SHA-256 (`sha256sum -c` format)
  benchmark/Set5/HR/baby.png ...           5 images
  benchmark/Set5/LR_bicubic/X4/babyx4.png ...  (and X2/, X3/)
  benchmark/Set14/HR/..., benchmark/Set14/LR_bicubic/X4/...    14 images
  benchmark/B100/HR/..., benchmark/B100/LR_bicubic/X4/...      100 images (BSD100)
  benchmark/Urban100/...                   100 images, not used by the paper
  benchmark/manifest.json                  image counts and the HR/LR check, per scale

Interrupted? Run the same command again: the download resumes from benchmark.tar.part (HTTP Range),
the archive takes its final name only after its checksum matched, folders appear only when fully
extracted, and a .done marker skips finished work. A corrupt download is deleted and reported.

Check: every HR image must have its LR partner <name>x<scale>.png of size floor(H/scale) x
floor(W/scale) (HR cropped to a multiple of the scale). Problems are listed and the exit status is 1;
--make-lr computes missing LR images with gan_papers.common.imresize (MATLAB-compatible bicubic).

No internet on this machine? Download {BASE_URL}/benchmark.tar elsewhere, copy it to
<data-dir>/downloads/benchmark.tar and run the same command: it is then only verified (against the
recorded SHA-256, if any) and extracted.
"""


def build_parser():
    return parser("python -m data_scripts.sr_benchmarks", DESCRIPTION, EPILOG, BASE_URL)


def prepare(data_dir, scale, make_missing=False):
    """Check each set's pairs at ``scale``, update ``benchmark/manifest.json``; return it."""
    root = data_dir / "benchmark"
    update = {"dataset": "SR benchmarks (EDSR benchmark.tar)", "sets": {}}
    for name, expected in {**SETS, **OPTIONAL_SETS}.items():
        if name in OPTIONAL_SETS and not (root / name / "HR").is_dir():
            continue
        hr, lr = f"{name}/HR", f"{name}/LR_bicubic/X{scale}"
        update["sets"][name] = pairs_entry(root, hr, lr, scale, expected, make_missing)
    return update_manifest(root / "manifest.json", update)


def _main(args):
    root = args.data_dir / "benchmark"
    # The archive's top-level folder is benchmark/, so it is extracted into the data folder itself.
    digest = fetch_archive(
        ARCHIVE, args.base_url, args.data_dir, args.data_dir, args.force, not args.no_progress
    )
    root.mkdir(exist_ok=True)
    update_manifest(root / "manifest.json", {"archives": {ARCHIVE.filename: digest}})
    manifest = prepare(args.data_dir, args.scale, args.make_lr)
    status = 0
    for name, entry in manifest["sets"].items():
        if f"X{args.scale}" in entry["lr"]:
            status |= report_pairs(name, entry, args.scale)
    say(f"Manifest: {root / 'manifest.json'}")
    return status


main = command_line(build_parser, _main)


if __name__ == "__main__":
    sys.exit(main())
