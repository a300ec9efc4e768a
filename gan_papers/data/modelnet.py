"""ModelNet (Wu et al., CVPR 2015) as voxel grids: OFF meshes, their voxelisation, and the loaders of what
``python -m data_scripts.modelnet`` writes.

Wu et al. 2016 (*3D-GAN*, Section 4.3) classify ModelNet10 and ModelNet40 shapes with a linear SVM on
their discriminator's features (ModelNet10: 91.0 %, ModelNet40: 83.3 %). ModelNet ships triangle
meshes in the OFF format; ``python -m data_scripts.modelnet --data-dir <data_dir> [--resolution 32]``
voxelises them with ``voxelize_mesh`` and writes::

    <data_dir>/modelnet10/prepared_<R>/train.npz, test.npz, manifest.json

which ``modelnet_voxels`` and ``modelnet_dataset`` read, in the formats of the procedural shapes
(``gan_papers.data.shapes``): float32 (N, R, R, R, 1) in {0, 1} and int32 labels.

**Axes and placement**, as the procedural shapes: ModelNet's meshes are z-up, and the grid's axes
(depth, height, width) are the mesh's (y, z, x), a rotation, not a mirror. Each mesh keeps its
proportions and is scaled so that its largest side spans ``1 - 2 * PADDING`` of the grid (from the
centre of voxel ``PADDING * R`` to the centre of voxel ``R - PADDING * R - 1``: 28 voxels of 32),
centred across width and depth, standing on the floor layer ``PADDING * R``.

**Voxelisation** (``voxelize_mesh``): a voxel is on the surface when a mesh edge passes through it, or
a triangle crosses one of the three axis-parallel segments through its centre (the voxel containing
the crossing point). These are the crossings of the grid's centre lines with the mesh, so a face on
voxel centres (an axis-aligned box) gives exactly the voxels whose centre is inside the box, and the
surface has no gap a 6-connected path of empty voxels could pass through. The inside is then filled
(``scipy.ndimage.binary_fill_holes`` in 3-D): a closed surface becomes a solid, a mesh with a hole
stays a shell. Parts thinner than a voxel still mark the voxels their edges pass through.

**Files**: ``<split>.npz`` holds ``voxels`` (uint8, each grid's R^3 occupancy bits packed with
``np.packbits`` in (depth, height, width) order), ``labels`` (int32), ``class_names``, ``files``
(``<class>/<split>/<name>.off``) and ``resolution``.
"""

import json
import math
import pathlib
import zipfile

import numpy as np

from gan_papers.common.validation import check_choice, check_positive_int
from gan_papers.data.indices import index_dataset, index_range
from gan_papers.data.shapes import PADDING, _check_resolution

MODELNET10_CLASSES = (
    "bathtub",
    "bed",
    "chair",
    "desk",
    "dresser",
    "monitor",
    "night_stand",
    "sofa",
    "table",
    "toilet",
)
MODELNET_SPLITS = ("train", "test")
MODELNET_VARIANTS = (10, 40)

# Distance between surface samples along mesh edges, in voxels: every voxel an edge passes through
# holds a sample.
_EDGE_STEP = 0.5
# Candidate (triangle, grid line) pairs examined at once.
_CHUNK = 1 << 20


# --------------------------------------------------------------------------------------------
# OFF meshes
# --------------------------------------------------------------------------------------------


def parse_off(text, name="mesh"):
    """``(vertices float64 (V, 3), triangles int64 (F, 3))`` of an OFF file's text.

    Polygons are split into triangle fans; comments (``#``) are ignored. ModelNet's known defect, the
    counts on the header line (``OFF1234 2345 0``), is accepted. Raises ``ValueError`` naming
    ``name`` for anything else that does not parse: no header, a count that does not match the
    numbers that follow (a truncated file), a vertex index out of range, NaN, a mesh with no face.
    """
    lines = [line.split("#", 1)[0].strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines or not lines[0].upper().startswith("OFF"):
        first = lines[0][:40] if lines else ""
        raise ValueError(f"{name}: not an OFF file (the first line is {first!r}, expected 'OFF').")
    tokens = " ".join([lines[0][3:], *lines[1:]]).split()
    try:
        n_vertices, n_faces = int(tokens[0]), int(tokens[1])
        numbers = np.array(tokens[3 : 3 + 3 * n_vertices], dtype=np.float64)
        rest = np.array(tokens[3 + 3 * n_vertices :], dtype=np.int64)
    except (IndexError, ValueError, OverflowError) as error:
        raise ValueError(f"{name}: unreadable OFF header or numbers ({error}).") from None
    if n_vertices < 3 or n_faces < 1:
        raise ValueError(
            f"{name}: expected at least 3 vertices and 1 face; the header says {n_vertices} "
            f"vertices and {n_faces} faces."
        )
    if len(numbers) < 3 * n_vertices:
        raise ValueError(
            f"{name}: the file ends after {len(numbers)} of its {3 * n_vertices} vertex "
            "coordinates (truncated?)."
        )
    vertices = numbers.reshape(n_vertices, 3)
    if not np.all(np.isfinite(vertices)):
        raise ValueError(f"{name}: vertex coordinates contain NaN or infinite values.")
    if len(rest) >= 4 * n_faces and np.all(rest[: 4 * n_faces : 4] == 3):
        triangles = rest[: 4 * n_faces].reshape(n_faces, 4)[:, 1:]
    else:
        triangles = _polygon_fans(rest, n_faces, name)
    if len(triangles) == 0:
        raise ValueError(f"{name}: no face with 3 or more vertices.")
    if triangles.min() < 0 or triangles.max() >= n_vertices:
        raise ValueError(
            f"{name}: face vertex indices must be in [0, {n_vertices - 1}]; received values in "
            f"[{triangles.min()}, {triangles.max()}]."
        )
    return vertices, triangles


def _polygon_fans(numbers, n_faces, name):
    """Triangles of ``n_faces`` polygons written as ``k i_1 ... i_k``, split into fans."""
    triangles, position = [], 0
    for _ in range(n_faces):
        if position >= len(numbers):
            raise ValueError(f"{name}: the file ends before its {n_faces} faces (truncated?).")
        count = int(numbers[position])
        polygon = numbers[position + 1 : position + 1 + count]
        if count < 0 or len(polygon) < count:
            raise ValueError(f"{name}: the file ends inside a face (truncated?).")
        position += 1 + count
        triangles += [(polygon[0], polygon[k], polygon[k + 1]) for k in range(1, count - 1)]
    return np.array(triangles, dtype=np.int64).reshape(-1, 3)


def read_off(path):
    """``parse_off`` of a file; raises ``ValueError`` (or ``OSError``) naming it."""
    path = pathlib.Path(path)
    try:
        text = path.read_text(encoding="utf-8", errors="strict")
    except UnicodeDecodeError as error:
        raise ValueError(f"{path}: not a text file ({error.reason}).") from None
    return parse_off(text, name=str(path))


# --------------------------------------------------------------------------------------------
# Voxelisation
# --------------------------------------------------------------------------------------------


def fit_to_grid(vertices, resolution):
    """Mesh vertices (z up) -> voxel coordinates along (depth, height, width): proportions kept,
    the largest side from the centre of voxel ``PADDING * R`` to that of voxel ``R - PADDING * R - 1``,
    centred across, standing on the floor layer."""
    points = np.asarray(vertices, dtype=np.float64)[:, [1, 2, 0]]  # (y, z, x): depth, height, width
    low, high = points.min(axis=0), points.max(axis=0)
    largest = float(np.max(high - low))
    if not largest > 0:
        raise ValueError("`vertices` span no volume: every vertex is at the same point.")
    margin = PADDING * resolution + 0.5
    scale = (resolution - 2 * margin) / largest
    fitted = (points - (low + high) / 2) * scale + resolution / 2
    fitted[:, 1] = (points[:, 1] - low[1]) * scale + margin
    return fitted


def _repeat_ranges(counts):
    """``(owner, k)`` for ``k`` in ``range(counts[owner])``, for every owner, as flat arrays."""
    owner = np.repeat(np.arange(len(counts)), counts)
    starts = np.cumsum(counts) - counts
    return owner, np.arange(len(owner)) - starts[owner]


def _edge_voxels(points, triangles, resolution):
    """Flat indices of the voxels holding a vertex or a sample every ``_EDGE_STEP`` along an edge."""
    found = [_flat_cells(points[np.unique(triangles)], resolution)]
    a = points[triangles].reshape(-1, 3)
    b = points[np.roll(triangles, -1, axis=1)].reshape(-1, 3)
    # Points inside the edges only: the ends are vertices. Most edges of a fine mesh need none.
    inner = np.ceil(np.linalg.norm(b - a, axis=1) / _EDGE_STEP).astype(np.int64) - 1
    long = inner > 0
    a, b, inner = a[long], b[long], inner[long]
    for first in range(0, len(a), _CHUNK // 16):
        part = slice(first, first + _CHUNK // 16)
        edge, k = _repeat_ranges(inner[part])
        edge += first
        t = ((k + 1) / (inner[edge] + 1))[:, None]
        found.append(_flat_cells(a[edge] + t * (b[edge] - a[edge]), resolution))
    return np.concatenate(found)


def _flat_cells(points, resolution):
    cells = np.clip(np.floor(points).astype(np.int64), 0, resolution - 1)
    return (cells[:, 0] * resolution + cells[:, 1]) * resolution + cells[:, 2]


def _crossing_voxels(corners, resolution, axis):
    """Flat indices of the voxels where triangles cross the grid lines parallel to ``axis`` through
    voxel centres (the crossing point's voxel)."""
    u, v = [k for k in range(3) if k != axis]
    p, q, r = corners[:, 0], corners[:, 1], corners[:, 2]
    # Twice the signed area of the triangle projected along the axis: 0 when the triangle is parallel.
    area = (q[:, u] - p[:, u]) * (r[:, v] - p[:, v]) - (q[:, v] - p[:, v]) * (r[:, u] - p[:, u])
    keep = np.abs(area) > 1e-12
    p, q, r, area = p[keep], q[keep], r[keep], area[keep]
    low = np.minimum(np.minimum(p, q), r)
    high = np.maximum(np.maximum(p, q), r)
    # Grid lines at centres c + 0.5 inside the projected bounding box.
    first = np.ceil(low[:, [u, v]] - 0.5).astype(np.int64)
    last = np.floor(high[:, [u, v]] - 0.5).astype(np.int64)
    span = np.clip(last - first + 1, 0, None)
    counts = span[:, 0] * span[:, 1]
    found = []
    order = np.cumsum(counts)
    start = 0
    while start < len(counts):
        # Triangles whose candidate lines add up to about _CHUNK.
        stop = max(int(np.searchsorted(order, order[start] - counts[start] + _CHUNK)), start + 1)
        tri, k = _repeat_ranges(counts[start:stop])
        tri += start
        cu = first[tri, 0] + k // np.maximum(span[tri, 1], 1) + 0.5
        cv = first[tri, 1] + k % np.maximum(span[tri, 1], 1) + 0.5
        # Barycentric weights of the line's foot in the projected triangle.
        pu, pv = p[tri, u], p[tri, v]
        w1 = ((cu - pu) * (r[tri, v] - pv) - (cv - pv) * (r[tri, u] - pu)) / area[tri]
        w2 = ((q[tri, u] - pu) * (cv - pv) - (q[tri, v] - pv) * (cu - pu)) / area[tri]
        # A line through an edge shared by two triangles counts for both: no line slips between.
        inside = (w1 >= -1e-9) & (w2 >= -1e-9) & (w1 + w2 <= 1 + 1e-9)
        tri, w1, w2 = tri[inside], w1[inside], w2[inside]
        points = np.empty((len(tri), 3))
        points[:, u], points[:, v] = cu[inside], cv[inside]
        points[:, axis] = (
            p[tri, axis] + w1 * (q[tri, axis] - p[tri, axis]) + w2 * (r[tri, axis] - p[tri, axis])
        )
        found.append(_flat_cells(points, resolution))
        start = stop
    return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)


def voxelize_mesh(vertices, triangles, resolution=32, fill=True):
    """A triangle mesh as an occupancy grid (see the module docstring for the rule).

    Args:
        vertices: float (V, 3) mesh coordinates, z up (ModelNet's convention).
        triangles: int (F, 3) vertex indices.
        resolution: voxels per side (>= 16).
        fill: fill the inside of closed surfaces (3-D ``binary_fill_holes``); False keeps the shell.

    Returns:
        bool (R, R, R), axes (depth, height, width) = the mesh's (y, z, x).
    """
    from scipy import ndimage

    resolution = _check_resolution(resolution)
    vertices = np.asarray(vertices, dtype=np.float64)
    triangles = np.asarray(triangles)
    if vertices.ndim != 2 or vertices.shape[1] != 3 or len(vertices) == 0:
        raise ValueError(f"`vertices` must have shape (V, 3); received shape {vertices.shape}.")
    if not np.all(np.isfinite(vertices)):
        raise ValueError("`vertices` contains NaN or infinite values.")
    if triangles.ndim != 2 or triangles.shape[1] != 3 or len(triangles) == 0:
        raise ValueError(f"`triangles` must have shape (F, 3); received shape {triangles.shape}.")
    if not np.issubdtype(triangles.dtype, np.integer):
        raise ValueError(f"`triangles` must hold integers; received dtype {triangles.dtype}.")
    if triangles.min() < 0 or triangles.max() >= len(vertices):
        raise ValueError(
            f"`triangles` must index `vertices` (0 to {len(vertices) - 1}); received values in "
            f"[{triangles.min()}, {triangles.max()}]."
        )
    used = np.unique(triangles)
    fitted = np.zeros_like(vertices)
    fitted[used] = fit_to_grid(vertices[used], resolution)
    corners = fitted[triangles]  # (F, 3 corners, 3 axes)
    cells = [_edge_voxels(fitted, triangles, resolution)]
    cells += [_crossing_voxels(corners, resolution, axis) for axis in range(3)]
    grid = np.zeros(resolution**3, dtype=bool)
    grid[np.concatenate(cells)] = True
    grid = grid.reshape((resolution,) * 3)
    return ndimage.binary_fill_holes(grid) if fill else grid


# --------------------------------------------------------------------------------------------
# Prepared files
# --------------------------------------------------------------------------------------------


def _check_variant(variant):
    if isinstance(variant, bool) or variant not in MODELNET_VARIANTS:
        raise ValueError(
            f"`variant` must be 10 or 40 (ModelNet10 / ModelNet40); received {variant!r}."
        )
    return int(variant)


def modelnet_folder(data_dir, resolution=32, variant=10):
    """``<data_dir>/modelnet<variant>/prepared_<resolution>``: where the prepared splits are."""
    variant = _check_variant(variant)
    resolution = _check_resolution(resolution)
    return pathlib.Path(data_dir) / f"modelnet{variant}" / f"prepared_{resolution}"


def _command(data_dir, resolution, variant):
    extra = " --variant 40" if variant == 40 else ""
    return (
        f"`python -m data_scripts.modelnet --data-dir {data_dir} --resolution {resolution}{extra}`"
    )


def load_prepared(data_dir, split="train", resolution=32, variant=10):
    """The arrays of one prepared split: ``{"voxels": packed uint8 (N, R^3 / 8), "labels": int32 (N,),
    "class_names": tuple, "files": list}``.

    Raises ``ValueError`` naming the file and the command that writes it when it is missing,
    unreadable, or not what that command writes.
    """
    check_choice(split, "split", MODELNET_SPLITS)
    folder = modelnet_folder(data_dir, resolution, variant)
    path = folder / f"{split}.npz"
    expected = f"{path}, written by {_command(data_dir, resolution, variant)}"
    if not path.is_file():
        raise ValueError(f"`{path}` does not exist; expected {expected}.")
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {
                key: npz[key] for key in ("voxels", "labels", "class_names", "files", "resolution")
            }
    except (OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile) as error:
        raise ValueError(
            f"`{path}` is unreadable or incomplete ({type(error).__name__}: {error}); expected "
            f"{expected}. Run that command again (with --force if it says all is done)."
        ) from None
    packed, labels = arrays["voxels"], arrays["labels"]
    bytes_per_grid = math.ceil(resolution**3 / 8)
    if (
        int(arrays["resolution"]) != resolution
        or packed.dtype != np.uint8
        or packed.ndim != 2
        or packed.shape[1] != bytes_per_grid
        or labels.shape != (len(packed),)
        or len(arrays["files"]) != len(packed)
        or (len(labels) and (labels.min() < 0 or labels.max() >= len(arrays["class_names"])))
    ):
        raise ValueError(
            f"`{path}` does not hold {resolution}^3 grids with their labels (voxels "
            f"{packed.dtype} {packed.shape}, labels {labels.shape}); expected {expected}."
        )
    return {
        "voxels": packed,
        "labels": labels.astype(np.int32),
        "class_names": tuple(str(name) for name in arrays["class_names"]),
        "files": [str(name) for name in arrays["files"]],
    }


def unpack_voxels(packed, resolution):
    """Packed rows (N, R^3 / 8) -> float32 (N, R, R, R, 1) in {0, 1}."""
    bits = np.unpackbits(packed, axis=1, count=resolution**3)
    return bits.reshape(-1, resolution, resolution, resolution, 1).astype(np.float32)


def modelnet_classes(data_dir, resolution=32, variant=10):
    """The class names of a prepared ModelNet (label k is ``modelnet_classes(...)[k]``)."""
    folder = modelnet_folder(data_dir, resolution, variant)
    manifest = folder / "manifest.json"
    if manifest.is_file():
        try:
            return tuple(json.loads(manifest.read_text(encoding="utf-8"))["classes"])
        except (ValueError, KeyError):
            pass  # fall back on the arrays
    for split in MODELNET_SPLITS:
        if (folder / f"{split}.npz").is_file():
            return load_prepared(data_dir, split, resolution, variant)["class_names"]
    return load_prepared(data_dir, "train", resolution, variant)["class_names"]  # raises, naming it


def modelnet_voxels(data_dir, split="test", resolution=32, variant=10, start=0, count=None):
    """Grids ``start .. start + count`` of a prepared split (all with None), in file order, as NumPy.

    Returns ``(voxels, labels)``: float32 (N, R, R, R, 1) in {0, 1}, axes (depth, height, width),
    and int32 (N,) indices into ``modelnet_classes(...)``, as ``make_shapes`` returns. A full split
    at 64^3 takes 1 MB per grid: use ``count`` or ``modelnet_dataset`` for large ones.
    """
    resolution = _check_resolution(resolution)
    data = load_prepared(data_dir, split, resolution, variant)
    first, stop = index_range(
        {split: (0, len(data["labels"]))}, split, start, count, f"{split} grids"
    )
    return unpack_voxels(data["voxels"][first:stop], resolution), data["labels"][first:stop]


def modelnet_dataset(
    data_dir,
    split="train",
    resolution=32,
    batch_size=32,
    variant=10,
    seed=0,
    with_labels=False,
    repeat=True,
    shuffle=True,
    drop_remainder=True,
):
    """A ``tf.data.Dataset`` of prepared ModelNet grids, unpacked batch by batch.

    Args:
        data_dir: the ``--data-dir`` given to ``python -m data_scripts.modelnet``.
        split: "train" or "test" (ModelNet's own split).
        resolution: the script's ``--resolution`` (32 by default).
        batch_size: grids per batch.
        variant: 10 or 40 (the script's ``--variant``).
        seed: integer; with ``shuffle``, the same seed gives the same order.
        with_labels: yield ``(voxels, labels)`` instead of voxels alone.
        repeat: start over after each pass, forever.
        shuffle: a new random order of the whole split for every pass (seeded by ``seed``).
        drop_remainder: drop a last, smaller batch so that the batch dimension is static.

    Returns:
        Batches of float32 voxels (batch, R, R, R, 1) in {0, 1} (and int32 labels (batch,)), as
        ``shape_dataset``. The packed split stays in memory (R^3 / 8 bytes per grid).
    """
    import tensorflow as tf

    resolution = _check_resolution(resolution)
    batch_size = check_positive_int(batch_size, "batch_size")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise ValueError(f"`seed` must be an integer; received {seed!r}.")
    data = load_prepared(data_dir, split, resolution, variant)
    if len(data["labels"]) == 0:
        raise ValueError(
            f"`{modelnet_folder(data_dir, resolution, variant)}/{split}.npz` holds no grid; "
            f"prepare it again with {_command(data_dir, resolution, variant)}."
        )
    packed, labels = data["voxels"], data["labels"]
    indices = index_dataset(0, len(labels), shuffle, repeat, int(seed))
    batch = batch_size if drop_remainder else None

    def unpack(index_batch):
        return unpack_voxels(packed[index_batch], resolution), labels[index_batch]

    def load(index_batch):
        voxels, label = tf.numpy_function(
            unpack, [index_batch], [tf.float32, tf.int32], stateful=False
        )
        voxels.set_shape((batch, resolution, resolution, resolution, 1))
        label.set_shape((batch,))
        return (voxels, label) if with_labels else voxels

    dataset = indices.batch(batch_size, drop_remainder=drop_remainder)
    dataset = dataset.map(load, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
    return dataset.prefetch(tf.data.AUTOTUNE)
