"""OFF meshes and their voxelisation (gan_papers.data.modelnet): the OFF reader (ModelNet's header defect,
polygons, comments, damaged files), exact voxel counts for axis-aligned boxes, a sphere's volume
between its analytic bounds, shells of open meshes, thin parts kept, the z-up axes, bad input; and the
loaders of prepared splits (unpacking, labels, tf.data, errors naming the command to run)."""

import json
import math

import numpy as np
import pytest

from gan_papers.data.modelnet import (
    load_prepared,
    modelnet_classes,
    modelnet_dataset,
    modelnet_folder,
    modelnet_voxels,
    parse_off,
    read_off,
    voxelize_mesh,
)

# --------------------------------------------------------------------------------------------
# Meshes (also used by tests/data_scripts/test_modelnet.py)
# --------------------------------------------------------------------------------------------


def box_mesh(sx=1.0, sy=1.0, sz=1.0, offset=(0.0, 0.0, 0.0)):
    """An axis-aligned box [0, sx] x [0, sy] x [0, sz] + offset: 8 vertices, 12 triangles."""
    vertices = np.array([[x, y, z] for x in (0, sx) for y in (0, sy) for z in (0, sz)], float)
    quads = [(0, 1, 3, 2), (4, 6, 7, 5), (0, 4, 5, 1), (2, 3, 7, 6), (0, 2, 6, 4), (1, 5, 7, 3)]
    triangles = [t for a, b, c, d in quads for t in ((a, b, c), (a, c, d))]
    return vertices + np.asarray(offset, float), np.array(triangles)


def icosphere(subdivisions=3):
    """A unit sphere: an icosahedron whose triangles are split in four ``subdivisions`` times."""
    g = (1 + 5**0.5) / 2
    points = [(-1, g, 0), (1, g, 0), (-1, -g, 0), (1, -g, 0), (0, -1, g), (0, 1, g)]
    points += [(0, -1, -g), (0, 1, -g), (g, 0, -1), (g, 0, 1), (-g, 0, -1), (-g, 0, 1)]
    vertices = [np.array(p) / np.linalg.norm(p) for p in points]
    faces = [(0, 11, 5), (0, 5, 1), (0, 1, 7), (0, 7, 10), (0, 10, 11), (1, 5, 9), (5, 11, 4)]
    faces += [(11, 10, 2), (10, 7, 6), (7, 1, 8), (3, 9, 4), (3, 4, 2), (3, 2, 6), (3, 6, 8)]
    faces += [(3, 8, 9), (4, 9, 5), (2, 4, 11), (6, 2, 10), (8, 6, 7), (9, 8, 1)]
    for _ in range(subdivisions):
        middles, split = {}, []
        for a, b, c in faces:
            corners = []
            for key in ((min(a, b), max(a, b)), (min(b, c), max(b, c)), (min(c, a), max(c, a))):
                if key not in middles:
                    m = vertices[key[0]] + vertices[key[1]]
                    vertices.append(m / np.linalg.norm(m))
                    middles[key] = len(vertices) - 1
                corners.append(middles[key])
            ab, bc, ca = corners
            split += [(a, ab, ca), (b, bc, ab), (c, ca, bc), (ab, bc, ca)]
        faces = split
    return np.array(vertices), np.array(faces)


def off_text(vertices, faces, header_defect=False, comment=False):
    """An OFF file; ``header_defect`` writes ModelNet's ``OFF<nv> <nf> 0`` on one line."""
    counts = f"{len(vertices)} {len(faces)} 0"
    lines = [f"OFF{counts}"] if header_defect else ["OFF", counts]
    if comment:
        lines.insert(1, "# made by a test")
    lines += [" ".join(f"{c:.6f}" for c in v) for v in vertices]
    lines += [" ".join(str(i) for i in (len(f), *f)) for f in faces]
    return "\n".join(lines) + "\n"


def expected_box_count(size, resolution):
    """Voxels of the axis-aligned box ``size`` (x, y, z) once fitted: the largest side from the centre
    of voxel pad to the centre of voxel R - pad - 1, the others centred (z from the floor)."""
    pad = resolution // 16
    scale = (resolution - 2 * pad - 1) / max(size)
    count = 1
    for axis, side in enumerate(size):
        low = pad + 0.5 if axis == 2 else resolution / 2 - side * scale / 2
        high = low + side * scale
        count *= math.floor(high) - math.floor(low) + 1  # the voxels the closed interval meets
    return count


# --------------------------------------------------------------------------------------------
# The OFF reader
# --------------------------------------------------------------------------------------------


def test_parse_off_with_the_header_defect_comments_and_polygons():
    vertices, triangles = box_mesh()
    for defect in (False, True):
        parsed_v, parsed_t = parse_off(off_text(vertices, triangles, defect, comment=True))
        np.testing.assert_allclose(parsed_v, vertices)
        np.testing.assert_array_equal(parsed_t, triangles)
    # A quad and a pentagon are split into triangle fans.
    square = "OFF\n5 2 0\n0 0 0\n1 0 0\n1 1 0\n0 1 0\n0.5 2 0\n4 0 1 2 3\n5 0 1 2 4 3\n"
    _, fans = parse_off(square)
    assert fans.tolist() == [[0, 1, 2], [0, 2, 3], [0, 1, 2], [0, 2, 4], [0, 4, 3]]


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("PLY\n3 1 0\n", "not an OFF file"),
        ("", "not an OFF file"),
        ("OFF\n8 12 0\n0 0 0\n1 0 0\n", "truncated"),
        ("OFF\n3 2 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n3 0 1\n", "truncated"),
        ("OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 3\n", r"indices must be in \[0, 2\]"),
        ("OFF\n3 1 0\n0 0 0\n1 nan 0\n0 1 0\n3 0 1 2\n", "NaN"),
        ("OFF\n3 1 0\n0 0 0\n1 x 0\n0 1 0\n3 0 1 2\n", "unreadable"),
        ("OFF\n3 0 0\n0 0 0\n1 0 0\n0 1 0\n", "at least 3 vertices and 1 face; the header"),
        ("OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\n2 0 1\n", "no face with 3"),
    ],
)
def test_damaged_off_files_raise_naming_the_file(text, match):
    with pytest.raises(ValueError, match=match) as error:
        parse_off(text, name="chair_0042.off")
    assert "chair_0042.off" in str(error.value)


def test_read_off_names_a_binary_file(tmp_path):
    path = tmp_path / "mesh.off"
    path.write_bytes(b"OFF\n\xff\xfe\x00 broken")
    with pytest.raises(ValueError, match="not a text file"):
        read_off(path)


# --------------------------------------------------------------------------------------------
# Voxelisation
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("resolution", [32, 64])
def test_cube_fills_exactly_the_padded_grid(resolution):
    grid = voxelize_mesh(*box_mesh(), resolution=resolution)
    pad = resolution // 16
    side = resolution - 2 * pad
    assert grid.dtype == bool and grid.shape == (resolution,) * 3
    assert grid.sum() == side**3  # 28^3 of 32^3: a filled fraction of 0.67
    assert grid[pad:-pad, pad:-pad, pad:-pad].all()
    shell = voxelize_mesh(*box_mesh(), resolution=resolution, fill=False)
    assert shell.sum() == side**3 - (side - 2) ** 3
    assert not shell[resolution // 2, resolution // 2, resolution // 2]


@pytest.mark.parametrize("size", [(1.0, 0.5, 0.75), (0.3, 0.9, 0.45), (0.2, 0.25, 1.0)])
def test_boxes_give_exact_counts_on_the_mesh_axes(size):
    vertices, triangles = box_mesh(*size, offset=(3.0, -2.0, 7.5))
    grid = voxelize_mesh(vertices, triangles, resolution=32)
    assert grid.sum() == expected_box_count(size, 32)
    occupied = np.argwhere(grid)
    extent = occupied.max(axis=0) - occupied.min(axis=0) + 1
    # Axes (depth, height, width) are the mesh's (y, z, x): x is the width, z the height.
    np.testing.assert_array_equal(np.argsort(extent), np.argsort(np.array(size)[[1, 2, 0]]))
    assert occupied[:, 1].min() == 2  # on the floor layer
    # Where and how large the mesh is does not matter, only its shape.
    moved = voxelize_mesh(vertices * 40.0 - 3.0, triangles, resolution=32)
    np.testing.assert_array_equal(moved, grid)


@pytest.mark.parametrize(("resolution", "tolerance"), [(32, 0.15), (64, 0.07)])
def test_sphere_volume_lies_between_its_analytic_bounds(resolution, tolerance):
    grid = voxelize_mesh(*icosphere(4), resolution=resolution)
    radius = (resolution - 2 * (resolution // 16) - 1) / 2  # in voxels, centre to centre
    ball = 4 / 3 * math.pi * radius**3
    # Every voxel the surface passes through counts, so the grid is at most the voxels meeting the
    # ball: the ball grown by a unit cube (Steiner's formula), at least the ball itself.
    grown = ball + 3 * math.pi * radius**2 + 6 * radius + 1
    assert ball < grid.sum() < grown
    assert abs(grid.sum() / ball - 1) < tolerance
    centre = np.argwhere(grid).mean(axis=0)
    np.testing.assert_allclose(
        centre, [resolution / 2 - 0.5, resolution / 2 - 0.5, resolution / 2 - 0.5]
    )


def test_open_mesh_stays_a_shell_and_thin_parts_are_kept():
    vertices, triangles = box_mesh()
    open_top = voxelize_mesh(vertices, triangles[2:], resolution=32)  # the x = 0 side removed
    assert open_top.sum() < 28**3 - 24**3 and not open_top[16, 16, 16]
    # A rod 1/100 of a voxel thick still draws voxels the full height: centred, it stands on the
    # corner of four columns and meets all four.
    rod = voxelize_mesh(*box_mesh(0.0004, 0.0004, 1.0), resolution=32)
    assert rod.sum() == 4 * 28 and rod[15:17, 2:30, 15:17].all()
    # A flat square (zero thickness) is one layer of voxels.
    square = np.array([[0, 0, 0.5], [1, 0, 0.5], [1, 1, 0.5], [0, 1, 0.5]], float)
    flat = voxelize_mesh(square, np.array([[0, 1, 2], [0, 2, 3]]), resolution=32)
    assert flat.sum() == 28 * 28 and flat[:, 2, :].sum() == 28 * 28


@pytest.mark.parametrize(
    ("vertices", "triangles", "match"),
    [
        (np.zeros((4, 2)), [[0, 1, 2]], "vertices"),
        (np.full((3, 3), np.nan), [[0, 1, 2]], "vertices"),
        (np.eye(3), [[0, 1, 3]], "triangles"),
        (np.eye(3), [[0.0, 1.0, 2.0]], "triangles"),
        (np.eye(3), np.zeros((0, 3), int), "triangles"),
        (np.ones((3, 3)), [[0, 1, 2]], "span no volume"),
    ],
)
def test_voxelize_bad_input_raises(vertices, triangles, match):
    with pytest.raises(ValueError, match=match):
        voxelize_mesh(vertices, np.asarray(triangles), resolution=16)
    with pytest.raises(ValueError, match="resolution"):
        voxelize_mesh(*box_mesh(), resolution=8)


# --------------------------------------------------------------------------------------------
# Prepared splits
# --------------------------------------------------------------------------------------------


def write_split(data_dir, split, grids, labels, classes, resolution=16, manifest=True):
    folder = modelnet_folder(data_dir, resolution)
    folder.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        folder / f"{split}.npz",
        voxels=np.stack([np.packbits(g.reshape(-1)) for g in grids]),
        labels=np.asarray(labels, np.int32),
        class_names=np.array(classes),
        files=np.array(
            [f"{classes[k]}/{split}/{classes[k]}_{n:04d}.off" for n, k in enumerate(labels)]
        ),
        resolution=np.array(resolution),
    )
    if manifest:
        (folder / "manifest.json").write_text(json.dumps({"classes": list(classes)}))


@pytest.fixture
def prepared(tmp_path):
    rng = np.random.default_rng(0)
    grids = rng.random((10, 16, 16, 16)) < 0.3
    labels = np.arange(10) % 3
    write_split(tmp_path, "test", grids, labels, ("bed", "chair", "sofa"))
    return tmp_path, grids, labels


def test_modelnet_voxels_unpacks_the_grids(prepared):
    data_dir, grids, labels = prepared
    voxels, got = modelnet_voxels(data_dir, "test", resolution=16)
    assert voxels.shape == (10, 16, 16, 16, 1) and voxels.dtype == np.float32
    np.testing.assert_array_equal(voxels[..., 0] > 0, grids)
    np.testing.assert_array_equal(got, labels)
    part, part_labels = modelnet_voxels(data_dir, "test", resolution=16, start=4, count=3)
    np.testing.assert_array_equal(part, voxels[4:7])
    np.testing.assert_array_equal(part_labels, labels[4:7])
    assert modelnet_classes(data_dir, resolution=16) == ("bed", "chair", "sofa")
    (modelnet_folder(data_dir, 16) / "manifest.json").unlink()
    assert modelnet_classes(data_dir, resolution=16) == ("bed", "chair", "sofa")
    assert load_prepared(data_dir, "test", 16)["files"][1] == "chair/test/chair_0001.off"
    with pytest.raises(ValueError, match="count"):
        modelnet_voxels(data_dir, "test", resolution=16, start=8, count=3)


def test_modelnet_dataset_batches(prepared):
    data_dir, grids, labels = prepared
    dataset = modelnet_dataset(
        data_dir, "test", resolution=16, batch_size=4, shuffle=False, with_labels=True
    )
    assert tuple(dataset.element_spec[0].shape) == (4, 16, 16, 16, 1)
    batches = list(dataset.take(3))
    np.testing.assert_array_equal(batches[1][0].numpy()[..., 0] > 0, grids[4:8])
    np.testing.assert_array_equal(batches[2][1].numpy(), labels[[8, 9, 0, 1]])  # repeated

    def order(seed):
        shuffled = modelnet_dataset(
            data_dir, "test", 16, batch_size=5, seed=seed, repeat=False, with_labels=True
        )
        return np.concatenate([b[0].numpy().reshape(5, -1).sum(1) for b in shuffled])

    np.testing.assert_array_equal(order(1), order(1))
    assert sorted(order(1)) == sorted(grids.reshape(10, -1).sum(1))
    whole = modelnet_dataset(data_dir, "test", 16, batch_size=4, repeat=False, drop_remainder=False)
    assert [len(b) for b in whole] == [4, 4, 2]


def test_missing_or_damaged_splits_name_the_command(prepared, tmp_path):
    data_dir, _, _ = prepared
    with pytest.raises(ValueError, match="python -m data_scripts.modelnet") as error:
        modelnet_voxels(data_dir, "train", resolution=16)
    assert "prepared_16/train.npz" in str(error.value) and "--resolution 16" in str(error.value)
    with pytest.raises(ValueError, match="--variant 40"):
        modelnet_dataset(data_dir, "test", resolution=16, variant=40)
    (modelnet_folder(data_dir, 16) / "test.npz").write_bytes(b"PK\x03\x04 not a zip")
    with pytest.raises(ValueError, match="unreadable or incomplete"):
        modelnet_voxels(data_dir, "test", resolution=16)
    # A file of another resolution under this name.
    write_split(data_dir, "test", np.zeros((2, 8, 8, 8), bool), [0, 1], ("a", "b"), resolution=16)
    np.savez(
        modelnet_folder(data_dir, 16) / "test.npz",
        voxels=np.zeros((2, 64), np.uint8),
        labels=np.zeros(2, np.int32),
        class_names=np.array(["a"]),
        files=np.array(["x", "y"]),
        resolution=np.array(8),
    )
    with pytest.raises(ValueError, match="does not hold 16\\^3 grids"):
        modelnet_voxels(data_dir, "test", resolution=16)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"split": "valid"}, "split"),
        ({"resolution": 12}, "resolution"),
        ({"variant": 20}, "variant"),
        ({"batch_size": 0}, "batch_size"),
        ({"seed": 1.5}, "seed"),
    ],
)
def test_dataset_bad_arguments_raise(prepared, kwargs, match):
    data_dir, _, _ = prepared
    arguments = {"split": "test", "resolution": 16} | kwargs
    with pytest.raises(ValueError, match=match):
        modelnet_dataset(data_dir, **arguments)
