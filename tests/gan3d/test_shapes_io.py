"""Latent interpolation and shape arithmetic (Wu et al. 2016, Section 4.4), marching-cubes meshes,
OBJ export and the voxel pictures."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from gan_papers.gan3d import (
    build_generator,
    export_obj,
    interpolate,
    plot_mesh,
    plot_shapes,
    plot_voxels,
    shape_arithmetic,
    voxel_mesh,
)
from tests.gan3d.helpers import LATENT, boxes


def _box_grid():
    grid = np.zeros((8, 8, 8), "float32")  # (depth, height, width)
    grid[1:3, 2:7, 0:4] = 1.0
    return grid


def _read_obj(path):
    vertices, faces = [], []
    for line in path.read_text().splitlines():
        if line.startswith("v "):
            vertices.append([float(v) for v in line.split()[1:]])
        elif line.startswith("f "):
            faces.append([int(i) - 1 for i in line.split()[1:]])
    return np.array(vertices, "float32").reshape(-1, 3), np.array(faces, "int64").reshape(-1, 3)


def _signed_volume(vertices, faces):
    a, b, c = (vertices[faces[:, i]].astype("float64") for i in range(3))
    return float(np.sum(np.einsum("ij,ij->i", a, np.cross(b, c))) / 6.0)


def _edges_shared_twice(faces):
    edges = np.sort(np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]]), axis=1)
    _, counts = np.unique(edges, axis=0, return_counts=True)
    return bool(np.all(counts == 2))


# --- meshes ----------------------------------------------------------------------------------


def test_marching_cubes_mesh_of_a_box_is_closed_outward_and_in_model_axes():
    vertices, faces = voxel_mesh(_box_grid()[..., None])
    assert vertices.dtype == np.float32 and faces.dtype == np.int64 and len(faces) > 0
    # (x, y, z) = (width, height, depth); the voxel [k, j, i] spans [i, i + 1] etc.
    np.testing.assert_allclose(vertices.min(axis=0), [0, 2, 1], atol=1e-6)
    np.testing.assert_allclose(vertices.max(axis=0), [4, 7, 3], atol=1e-6)
    assert _edges_shared_twice(faces)  # closed, also where the box touches the grid's border
    # Wound counter-clockwise from outside: a positive volume, that of the 4 x 5 x 2 box less the
    # corners marching cubes cuts off.
    assert 0.6 * 40 < _signed_volume(vertices, faces) < 40


def test_empty_grid_gives_an_empty_mesh_and_probabilities_work():
    vertices, faces = voxel_mesh(np.zeros((8, 8, 8)))
    assert vertices.shape == (0, 3) and faces.shape == (0, 3)
    probabilities = np.random.default_rng(0).uniform(0, 1, (1, 8, 8, 8, 1))
    vertices, faces = voxel_mesh(probabilities, threshold=0.9)
    assert len(faces) > 0 and _signed_volume(vertices, faces) > 0


def test_export_obj_round_trip(tmp_path):
    grid = _box_grid()
    path = tmp_path / "box.obj"
    assert export_obj(grid, path) == tuple(len(a) for a in voxel_mesh(grid))
    vertices, faces = _read_obj(path)
    expected_vertices, expected_faces = voxel_mesh(grid)
    np.testing.assert_allclose(vertices, expected_vertices, rtol=1e-5)
    np.testing.assert_array_equal(faces, expected_faces)
    export_obj(grid, tmp_path / "unit.obj", scale=1 / 8)
    np.testing.assert_allclose(_read_obj(tmp_path / "unit.obj")[0], vertices / 8, rtol=1e-5)
    assert export_obj(np.zeros((8, 8, 8)), tmp_path / "empty.obj") == (0, 0)
    assert _read_obj(tmp_path / "empty.obj")[0].shape == (0, 3)


def test_mesh_arguments_are_checked(tmp_path):
    for threshold in (0.0, 1.0, "half"):
        with pytest.raises(ValueError, match="`threshold`"):
            voxel_mesh(_box_grid(), threshold=threshold)
    with pytest.raises(ValueError, match="`voxels` must be a voxel grid"):
        voxel_mesh(np.zeros((8, 8)))
    with pytest.raises(ValueError, match="`voxels` must be a voxel grid"):
        voxel_mesh(boxes(2))  # a batch of two: one grid at a time
    with pytest.raises(ValueError, match=r"`voxels` must have values in \[0.0, 1.0\]"):
        voxel_mesh(_box_grid() * 2)
    with pytest.raises(ValueError, match="a cube"):
        voxel_mesh(np.zeros((8, 8, 4)))
    with pytest.raises(ValueError, match="`path`"):
        export_obj(_box_grid(), tmp_path / "missing" / "box.obj")
    with pytest.raises(ValueError, match="`scale`"):
        export_obj(_box_grid(), tmp_path / "box.obj", scale=0)


# --- pictures --------------------------------------------------------------------------------


def test_plots_return_figures():
    grid = _box_grid()
    for plot in (plot_voxels, plot_mesh):
        fig = plot(grid, title="box")
        assert isinstance(fig, Figure)
        plt.close(fig)
    fig = plt.figure()
    ax = fig.add_subplot(projection="3d")
    assert plot_voxels(np.zeros((8, 8, 8)), ax=ax) is fig  # an empty shape draws nothing
    assert plot_mesh(grid[None, ..., None], ax=ax) is fig
    with pytest.raises(ValueError, match="`ax` must be a 3-D axes"):
        plot_mesh(grid, ax=fig.add_subplot(2, 2, 4))
    plt.close(fig)
    fig = plot_shapes(boxes(5), titles=list("abcde"), ncols=3, kind="voxels")
    assert len([a for a in fig.axes if a.name == "3d"]) == 5
    plt.close(fig)
    with pytest.raises(ValueError, match="`titles`"):
        plot_shapes(boxes(2), titles=["one"])
    with pytest.raises(ValueError, match="`kind`"):
        plot_shapes(boxes(2), kind="points")


# --- the latent space ------------------------------------------------------------------------


def test_interpolation_walks_the_line_between_two_codes():
    generator = build_generator(8, latent_dim=LATENT, filters=(8,))
    rng = np.random.default_rng(0)
    z0, z1 = rng.uniform(0, 1, (2, LATENT)).astype("float32")
    shapes = interpolate(generator, z0, z1, steps=5)
    assert shapes.shape == (5, 8, 8, 8, 1) and shapes.dtype == np.float32
    ends = np.asarray(generator(np.stack([z0, (z0 + z1) / 2, z1]), training=False))
    np.testing.assert_allclose(shapes[[0, 2, 4]], ends, rtol=1e-5, atol=1e-6)
    assert interpolate(generator, z0[None], z1, steps=2).shape[0] == 2
    result = shape_arithmetic(generator, z0, z1, rng.uniform(0, 1, LATENT))
    assert result.shape == (4, 8, 8, 8, 1)


def test_interpolation_arguments_are_checked():
    generator = build_generator(8, latent_dim=LATENT, filters=(8,))
    z = np.zeros(LATENT, "float32")
    with pytest.raises(ValueError, match="`steps` must be >= 2"):
        interpolate(generator, z, z, steps=1)
    with pytest.raises(ValueError, match=r"`z1` must be one code of the generator's latent_dim"):
        interpolate(generator, z, np.zeros(LATENT + 1))
    with pytest.raises(ValueError, match="`z0` contains NaN"):
        interpolate(generator, np.full(LATENT, np.nan), z)
