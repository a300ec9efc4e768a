"""The shipped reference models: present, intact, loadable in safe mode, and as good as recorded."""

import io
import math
import os
import shutil
import zipfile

import h5py
import pytest

from gan_papers import reference

# What the package ships (gan_papers/reference/registry.json); a model added or lost fails here.
SHIPPED = {
    "inpainting_generator",
    "inpainting_discriminator",
    "gan3d",
    "face_completion",
    "srresnet",
    "srgan_generator",
}
# "A few MB in all" (issue 11): the weights travel in the package and in git.
MAX_TOTAL_BYTES = 16 * 2**20


def test_the_registry_lists_the_shipped_models():
    assert set(reference.names()) == SHIPPED


def test_the_weights_stay_small():
    total = sum(reference.info(name)["bytes"] for name in reference.names())
    assert 0 < total <= MAX_TOTAL_BYTES


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_each_file_matches_its_recorded_sha256_and_size(name):
    entry = reference.info(name)
    file = reference.path(name)
    assert reference.sha256(file) == entry["sha256"]
    assert os.path.getsize(file) == entry["bytes"]
    assert entry["command"].startswith("python -m benchmarks.reference_weights ")


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_each_file_holds_no_optimizer_state(name):
    # Only the networks travel: an optimizer's slots would triple a generator's file.
    with zipfile.ZipFile(reference.path(name)) as archive, archive.open("model.weights.h5") as f:
        with h5py.File(io.BytesIO(f.read()), "r") as weights:
            paths = []
            weights.visit(paths.append)
    assert paths and not [path for path in paths if "optimizer" in path]


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_each_model_loads_in_safe_mode_and_reproduces_its_metrics(name):
    recorded = reference.info(name)["metrics"]
    measured = reference.measure(name)
    assert set(measured) == set(recorded)
    for key, value in recorded.items():
        # Seeded draws: only float32 round-off (oneDNN's kernels differ between CPUs) may differ.
        assert math.isclose(measured[key], value, rel_tol=2e-3, abs_tol=2e-3), (key, measured[key])


def test_an_unknown_name_is_refused_with_the_choices():
    with pytest.raises(ValueError, match=r"`name` must be one of .*inpainting_generator"):
        reference.info("dcgan")
    with pytest.raises(ValueError, match="`name` must be one of"):
        reference.load("dcgan")


def test_a_damaged_file_is_refused(tmp_path, monkeypatch):
    name = sorted(SHIPPED)[0]
    damaged = tmp_path / reference.info(name)["file"]
    shutil.copy(reference.path(name), damaged)
    with open(damaged, "r+b") as f:
        f.seek(100)
        f.write(b"\x00\x01\x02\x03")
    monkeypatch.setattr(reference, "WEIGHTS", str(tmp_path))
    with pytest.raises(ValueError, match="SHA-256"):
        reference.load(name)


def test_a_missing_file_names_the_command_that_trains_it(tmp_path, monkeypatch):
    monkeypatch.setattr(reference, "WEIGHTS", str(tmp_path))
    with pytest.raises(FileNotFoundError, match="benchmarks.reference_weights"):
        reference.path(sorted(SHIPPED)[0])


def test_describe_names_the_command_the_seed_and_the_digest():
    name = sorted(SHIPPED)[0]
    entry = reference.info(name)
    line = reference.describe(name)
    for part in (name, entry["command"], f"seed {entry['seed']}", entry["sha256"][:12]):
        assert part in line


def test_every_entry_names_a_paper_module_and_the_reference_profile():
    for name, entry in reference.registry().items():
        assert entry["module"].startswith("gan_papers."), name
        assert entry["profile"] == "reference", name
        assert entry["metrics"], name
