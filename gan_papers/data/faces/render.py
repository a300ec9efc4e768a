"""Faces and their label maps painted back to front on a grid of pixel centres (``render_faces``).

Colours are flat per part (with sub-parts such as the iris inside a class), multiplied by a
Lambertian shading of the head seen as an ellipsoid under one light and a smooth per-face
texture. There is no antialiasing: every pixel shows exactly the part named by its label.
"""

import math

import numpy as np

from gan_papers.common.validation import check_seed
from gan_papers.data.faces.materials import (
    BROW_L,
    CLOTH,
    EAR,
    HAIR,
    HAIR_BACK,
    IRIS_L,
    IS_HAIR,
    LASH_L,
    LIT,
    LOWER_LIP,
    MATERIAL_CLASS,
    MOUTH,
    N_MATERIALS,
    NECK,
    NOSE,
    NOSTRIL,
    PUPIL_L,
    SCLERA_L,
    SKIN,
    TEETH,
    TEXTURE,
    UPPER_LIP,
)
from gan_papers.data.faces.parameters import Face, face_parameters
from gan_papers.data.indices import check_indices

# The smallest size at which the eyes, brows and lips still cover some pixel centres.
MIN_SIZE = 16

# Pixels rendered together: few enough for the (faces, H, W) temporaries to stay in the CPU cache,
# which is worth about 2x in speed over rendering a whole batch at once.
_CHUNK_PIXELS = 2**16


def check_size(size):
    if isinstance(size, bool) or not isinstance(size, int | np.integer) or size < MIN_SIZE:
        raise ValueError(f"`size` must be an integer >= {MIN_SIZE}; received {size!r}.")
    return int(size)


def _lerp_taps(n_nodes, size):
    """Left node and weight of the right node for each pixel centre, nodes spread over [-1, 1]."""
    centres = (np.arange(size) + 0.5) / size * 2.0 - 1.0
    position = (centres + 1.0) / 2.0 * (n_nodes - 1)
    left = np.minimum(np.floor(position).astype(np.int64), n_nodes - 2)
    return left, (position - left).astype(np.float32)


def _texture(grid, size):
    """Smooth field (N, size, size) through a per-face grid of random values (bilinear).

    Written as element-wise products rather than a matrix product: BLAS may sum in a different
    order for a different batch size, and a face must not change with its batch by even one ulp.
    """
    left, frac = _lerp_taps(grid.shape[2], size)
    rows = grid[:, :, left] * (1.0 - frac) + grid[:, :, left + 1] * frac
    left, frac = _lerp_taps(grid.shape[1], size)
    frac = frac[:, None]
    return rows[:, left, :] * (1.0 - frac) + rows[:, left + 1, :] * frac


def _render_chunk(u, smooth, streaks, size):
    face = Face(u)
    n = len(u)
    f32 = np.float32
    centres = ((np.arange(size, dtype=f32) + 0.5) / size * 2.0 - 1.0).astype(f32)
    X = centres[None, None, :]
    Y = centres[None, :, None]

    # Image -> face frame: undo the shift, the rotation and the scale.
    # Python's math, not NumPy's vectorised sin/cos, whose last digits could depend on the batch.
    cos = np.array([math.cos(a) for a in face.angle], dtype=f32).reshape(-1, 1, 1)
    sin = np.array([math.sin(a) for a in face.angle], dtype=f32).reshape(-1, 1, 1)
    inv_scale = (1.0 / face.scale).astype(f32).reshape(-1, 1, 1)
    dx = X - face.shift_x.astype(f32).reshape(-1, 1, 1)
    dy = Y - face.shift_y.astype(f32).reshape(-1, 1, 1)
    x = (cos * dx + sin * dy) * inv_scale
    y = (cos * dy - sin * dx) * inv_scale
    x2 = x * x

    mat = np.zeros((n, size, size), dtype=np.uint8)

    def paint(mask, material):
        np.putmask(mat, mask, material)

    # Clothes / shoulders (background class), then hair behind the head, neck, ears, head.
    paint(y > face.cloth_y + 0.45 * x2, CLOTH)
    back_y = face.hair_cy - 0.1
    back_ry = face.back_bottom - back_y
    back = ((x / face.back_rx) ** 2 + ((y - back_y) / np.maximum(back_ry, 0.1)) ** 2 < 1.0) & (
        face.back_hair > 0
    )
    paint(back, HAIR_BACK)
    paint((np.abs(x) < face.neck_w) & (y > 0.2) & (y < face.cloth_y + 0.45 * x2 + 0.02), NECK)
    ear_dy = (y - (face.eye_y + 0.1)) / 0.13
    ear_dx = (np.abs(x) - face.W) / 0.06
    paint(ear_dx * ear_dx + ear_dy * ear_dy < 1.0, EAR)

    xn2 = x2 / (face.W * face.W)
    upper = y < 0
    yn = np.where(upper, y / face.H_top, y / face.H_bottom)
    yn2 = yn * yn
    # The jaw term scales the half-width by the depth below the centre: a pointed or a square chin.
    head = xn2 * (1.0 + np.where(upper, 0.0, face.jaw * yn2)) + yn2 < 1.0
    paint(head, SKIN)

    # Hair in front: a cap above the hairline, which drops towards the temples (sideburns).
    cap_y = (y - face.hair_cy) / face.hair_ry
    cap = (x2 / (face.hair_rx * face.hair_rx) + cap_y * cap_y < 1.0) & (
        y < face.hairline + face.hair_curve * x2 + face.hair_tilt * x
    )
    paint(cap, HAIR)

    # Brows and eyes: one mirrored shape per pair; `e` runs outwards from each centre.
    side_x = x - face.mid_eye
    right = (side_x > 0).astype(np.uint8)
    ax = np.abs(side_x)

    e = (ax - face.eye_d - 0.01) / face.brow_len
    by = y - face.brow_y + face.brow_tilt * face.brow_len * e + face.brow_arch * (e * e - 0.3)
    # The brow tapers towards its outer end.
    half = face.brow_thick * (1.0 - 0.35 * np.clip(e, 0.0, 1.0) - 0.15 * e * e)
    paint((np.abs(e) < 1.0) & (np.abs(by) < half), BROW_L + right)

    squash = np.where(right > 0, face.eye_squash_r, face.eye_squash_l)
    e = (ax - face.eye_d) * squash / face.eye_len
    bulge = np.maximum(1.0 - e * e, 0.0)
    ey = y - face.eye_y + face.eye_tilt * face.eye_len * e
    eye = (ey > -face.eye_open_up * bulge) & (ey < face.eye_open_low * bulge) & (np.abs(e) < 1.0)
    paint(eye, SCLERA_L + right)
    sign = np.where(right > 0, 1.0, -1.0).astype(f32)
    ix = sign * (ax - face.eye_d) - face.gaze
    iy = y - face.eye_y + 0.006
    r2 = ix * ix + iy * iy
    paint(eye & (r2 < face.iris_r * face.iris_r), IRIS_L + right)
    paint(eye & (r2 < (0.45 * face.iris_r) ** 2), PUPIL_L + right)
    paint(eye & (ey < -face.eye_open_up * bulge + 0.014), LASH_L + right)

    # Nose: a bridge that widens into the wings, closed by a rounded tip.
    nx = x - face.mid_nose
    t = np.clip((y - face.nose_top) / face.nose_len, 0.0, 1.0)
    wing_y = face.nose_top + face.nose_len - 0.04
    width = face.nose_bridge + (face.nose_wing - face.nose_bridge) * t * t * t
    tip = (nx / face.nose_wing) ** 2 + ((y - wing_y) / 0.04) ** 2 < 1.0
    nose = ((y > face.nose_top) & (y < wing_y) & (np.abs(nx) < width)) | tip
    paint(nose, NOSE)
    nostril_x = (np.abs(nx) - 0.5 * face.nose_wing) / 0.022
    nostril_y = (y - wing_y - 0.018) / 0.011
    paint(nose & (nostril_x * nostril_x + nostril_y * nostril_y < 1.0), NOSTRIL)

    # Mouth: the lips are bounded by parabolas in a = (x - centre) / half-width; the smile lifts
    # the corners and an open mouth parts the lips, showing the inner mouth and upper teeth.
    a = (x - face.mid_mouth) / face.mouth_w
    lens = np.maximum(1.0 - a * a, 0.0)
    in_mouth = np.abs(a) < 1.0
    centre = face.mouth_y - face.smile * a * a
    gap = face.mouth_open * lens
    bow = 0.85 + 0.15 * np.minimum((a / 0.25) ** 2, 1.0)  # the dip of Cupid's bow
    top = centre - 0.5 * gap - face.lip_up * lens * bow
    bottom = centre + 0.5 * gap + face.lip_low * np.sqrt(lens)
    paint(in_mouth & (y > top) & (y <= centre), UPPER_LIP)
    paint(in_mouth & (y > centre) & (y < bottom), LOWER_LIP)
    opening = in_mouth & (np.abs(y - centre) < 0.5 * gap)
    paint(opening, MOUTH)
    paint(opening & (y < centre - 0.5 * gap + 0.35 * face.mouth_open), TEETH)

    # Shading: Lambert on the head as an ellipsoid, a gradient on the background and clothes.
    lx, ly, lz = (v.astype(f32) for v in face.light)
    ex = x / (face.hair_rx + 0.05)
    ey_ = (y - 0.05) / (face.H_bottom + 0.05)
    nz = np.sqrt(np.maximum(1.0 - ex * ex - ey_ * ey_, 0.02))
    diffuse = np.maximum(ex * lx + ey_ * ly + nz * lz, 0.0)
    ambient = face.ambient.astype(f32)
    lit = ambient + (1.0 - ambient) * diffuse * 1.25
    ramp = X * face.bg_cos + Y * face.bg_sin
    flat = 1.0 + face.bg_contrast.astype(f32) * ramp
    shade = np.where(LIT[mat] > 0, lit, flat)
    texture = np.where(IS_HAIR[mat], _texture(streaks, size), _texture(smooth, size))
    shade *= 1.0 + TEXTURE[mat] * texture
    # The nose is modelled by the light across it: its side away from the light is darker.
    shade *= np.where(mat == NOSE, 1.0 + 0.35 * lx * nx / face.nose_wing.astype(f32), 1.0)

    flat_index = mat.astype(np.int64) + (np.arange(n) * N_MATERIALS).reshape(-1, 1, 1)
    rgb = face.colours.reshape(-1, 3)[flat_index] * shade[..., None]
    image = np.clip(rgb, 0.0, 1.0) * 2.0 - 1.0
    return image.astype(np.float32), MATERIAL_CLASS[mat]


def render_faces(indices, size=64, seed=0):
    """Faces ``indices`` of the procedural family ``seed``, with their parsing labels.

    Args:
        indices: int or 1-D sequence of non-negative ints; face ``i`` is the same whatever
            else is rendered with it.
        size: height and width in pixels (>= 16). The same face at every size.
        seed: non-negative int choosing the family of faces.

    Returns:
        ``(images, labels)``: float32 (N, size, size, 3) in [-1, 1] and int32 (N, size, size)
        with values in 0..10, the indices of ``FACE_CLASSES``.
    """
    size = check_size(size)
    seed = check_seed(seed)
    indices = check_indices(indices)
    images = np.empty((len(indices), size, size, 3), dtype=np.float32)
    labels = np.empty((len(indices), size, size), dtype=np.int32)
    step = int(np.clip(_CHUNK_PIXELS // (size * size), 1, 16))
    for start in range(0, len(indices), step):
        chunk = indices[start : start + step]
        u, smooth, streaks = face_parameters(chunk, seed)
        images[start : start + len(chunk)], labels[start : start + len(chunk)] = _render_chunk(
            u, smooth, streaks, size
        )
    return images, labels
