"""Download, verify, extract and check DIV2K (Agustsson & Timofte, NTIRE 2017) for SRGAN training.

Ledig et al. (2017, Section 3.1) trained on 350,000 ImageNet images; DIV2K's 800 2K-resolution training
photos are the usual choice today and what ``gan_papers.data.div2k_dataset`` reads. The archives'
SHA-256 digests are those recorded by TensorFlow Datasets for the official files
(``tensorflow_datasets/datasets/div2k/checksums.tsv``), so a mirror given with ``--base-url`` must
serve byte-identical files. Run ``python -m data_scripts.div2k --help`` for sizes and layout.
"""

import sys

from data_scripts._archives import Archive, command_line, fetch_archive, human_size, parser, say
from data_scripts._pairs import pairs_entry, report_pairs, update_manifest

BASE_URL = "https://data.vision.ee.ethz.ch/cvl/DIV2K"
SPLITS = {"train": 800, "valid": 100}  # split -> number of images (0001-0800, 0801-0900)

# SHA-256 and size of the official archives, as published in TensorFlow Datasets' checksums file.
SHA256 = {
    "DIV2K_train_HR.zip": "9d0b9c463f6e35b6c62cc6a930ee2224f670b34c1df841a57670f9acf0f6c335",
    "DIV2K_valid_HR.zip": "20dd31fd84d777bc1cf5d6b7654a3f569c0aec74458ae094122ad1d0489900fc",
    "DIV2K_train_LR_bicubic_X2.zip": "a53a424317575838dadce4bcd97cf7b744d6855f43740ed5f0245af3cf4bd850",
    "DIV2K_valid_LR_bicubic_X2.zip": "60eed9875c697df51204aa579e2a699e1d5215095788a097ff54dd17e2664d57",
    "DIV2K_train_LR_bicubic_X3.zip": "ad5c8e5507e2765823d3c2c5bd0934842efcd487c5370604c224090898b3163a",
    "DIV2K_valid_LR_bicubic_X3.zip": "04b9a2ed3b4a0715d3924d3ae8514830c3328fac8d30512ce716d6f419e052a3",
    "DIV2K_train_LR_bicubic_X4.zip": "f006b837f4eb52b82909aa01478e6d6d199eefce932179491d0c9dbb706dde3a",
    "DIV2K_valid_LR_bicubic_X4.zip": "a50a5d1c4b88de4e8d300d8fb2b904c52fe93b2b298a4899697760d7cbb6d553",
}
SIZE_BYTES = {
    "DIV2K_train_HR.zip": 3_530_603_713,
    "DIV2K_valid_HR.zip": 448_993_893,
    "DIV2K_train_LR_bicubic_X2.zip": 925_390_592,
    "DIV2K_valid_LR_bicubic_X2.zip": 117_763_600,
    "DIV2K_train_LR_bicubic_X3.zip": 427_847_282,
    "DIV2K_valid_LR_bicubic_X3.zip": 54_513_392,
    "DIV2K_train_LR_bicubic_X4.zip": 246_914_039,
    "DIV2K_valid_LR_bicubic_X4.zip": 31_505_881,
}


def archive_names(scale):
    """The four archives of one scale: train/valid HR and train/valid bicubic LR."""
    return [f"DIV2K_{split}_HR.zip" for split in SPLITS] + [
        f"DIV2K_{split}_LR_bicubic_X{scale}.zip" for split in SPLITS
    ]


def archives(scale):
    """``Archive`` records for ``archive_names(scale)`` (looked up when called, so tests can patch)."""
    return [Archive(name, SHA256[name], SIZE_BYTES[name]) for name in archive_names(scale)]


def _sizes_table(scale):
    lines = [f"  {name:31s} {human_size(SIZE_BYTES[name]):>8s}" for name in archive_names(scale)]
    total = sum(SIZE_BYTES[name] for name in archive_names(scale))
    return "\n".join(lines + [f"  {'in all':31s} {human_size(total):>8s}"])


def _lr_sizes(scale):
    return " + ".join(human_size(SIZE_BYTES[name]) for name in archive_names(scale)[2:])


DESCRIPTION = f"""\
Download DIV2K (Agustsson & Timofte, NTIRE 2017: 800 training + 100 validation photos at 2K
resolution) with its bicubic LR images, verify, extract and check it.

What is downloaded, from --base-url (default {BASE_URL}/), for --scale 4:
{_sizes_table(4)}
  (the LR archives are {_lr_sizes(2)} for --scale 2, {_lr_sizes(3)} for --scale 3).
  The extracted images take about as much space again. Each archive is checked against the
  SHA-256 published for the official file by TensorFlow Datasets
  (tensorflow_datasets/datasets/div2k/checksums.tsv). The LR images were made with MATLAB's
  imresize(hr, 1/scale), the degradation of the paper."""

EPILOG = """\
Layout written under --data-dir (the one gan_papers.data.div2k_dataset reads):
  downloads/DIV2K_train_HR.zip ...             the archives, kept so a re-run need not fetch them
                                               (delete them once the run succeeded to save space)
  downloads/CHECKSUMS.sha256                   their verified digests (`sha256sum -c` format)
  DIV2K/DIV2K_train_HR/0001.png ... 0800.png
  DIV2K/DIV2K_valid_HR/0801.png ... 0900.png
  DIV2K/DIV2K_train_LR_bicubic/X4/0001x4.png ... 0800x4.png
  DIV2K/DIV2K_valid_LR_bicubic/X4/0801x4.png ... 0900x4.png
  DIV2K/manifest.json                          image counts and the HR/LR check, per scale

Interrupted? Run the same command again: a download resumes from its .part file (HTTP Range), an
archive takes its final name only after its checksum matched, a folder appears only when fully
extracted, and a .done marker per archive skips finished work. A corrupt download is deleted and
reported (file name, expected and received SHA-256); run again to fetch it anew.

Check: every HR image must have its LR partner <name>x<scale>.png of size floor(H/scale) x
floor(W/scale) (HR cropped to a multiple of the scale). Problems are listed and the exit status is 1;
--make-lr computes missing LR images with gan_papers.common.imresize (MATLAB-compatible bicubic).

No internet on this machine? Download the four archives elsewhere (a browser, or `wget -c URL`),
copy them into <data-dir>/downloads/ under their own names and run the same command: the archives
are then only verified and extracted. A folder of files copied by hand also works with --base-url
file:///path/to/folder.
"""


def build_parser():
    return parser("python -m data_scripts.div2k", DESCRIPTION, EPILOG, BASE_URL)


def prepare(data_dir, scale, make_missing=False):
    """Check the extracted DIV2K pairs at ``scale``, update ``DIV2K/manifest.json``; return it."""
    root = data_dir / "DIV2K"
    update = {"dataset": "DIV2K", "splits": {}}
    for split, expected in SPLITS.items():
        hr, lr = f"DIV2K_{split}_HR", f"DIV2K_{split}_LR_bicubic/X{scale}"
        update["splits"][split] = pairs_entry(root, hr, lr, scale, expected, make_missing)
    return update_manifest(root / "manifest.json", update)


def _main(args):
    root = args.data_dir / "DIV2K"
    digests = {}
    for archive in archives(args.scale):
        digests[archive.filename] = fetch_archive(
            archive, args.base_url, args.data_dir, root, args.force, not args.no_progress
        )
    update_manifest(root / "manifest.json", {"archives": digests})
    manifest = prepare(args.data_dir, args.scale, args.make_lr)
    status = 0
    for split, entry in manifest["splits"].items():
        status |= report_pairs(f"DIV2K {split}", entry, args.scale)
        if entry["hr_images"] != entry["expected_hr_images"]:
            say(f"  note: the official {split} split has {entry['expected_hr_images']} images.")
    say(f"Manifest: {root / 'manifest.json'}")
    return status


main = command_line(build_parser, _main)


if __name__ == "__main__":
    sys.exit(main())
