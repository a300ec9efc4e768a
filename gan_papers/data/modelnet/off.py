"""OFF meshes, the format ModelNet ships its triangle meshes in (``parse_off``, ``read_off``)."""

import pathlib

import numpy as np


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
