"""Procedural frontal faces with exact 11-class parsing labels: offline stand-ins for CelebA and Helen.

Both face papers of the course need faces: Yeh et al. 2017 (*Semantic Image Inpainting*) train
their DCGAN prior on CelebA, and Li et al. 2017 (*Generative Face Completion*) add a semantic
parsing loss from a network trained on Helen's 11-class face-parsing labels. This module draws
faces that serve both, with no download: each face is a stack of analytic shapes (ellipses,
parabolas, bands) painted back to front on a grid of pixel centres, so its label map is exact by
construction: the label of a pixel is the class of the topmost shape covering its centre.

Classes (``FACE_CLASSES``, Helen's order)::

    0 background   1 skin   2 left brow   3 right brow   4 left eye   5 right eye
    6 nose   7 upper lip   8 inner mouth   9 lower lip   10 hair

*Left* and *right* are as seen in the picture (image left = smaller column index), not the
subject's own left. A horizontal flip therefore swaps 2 <-> 3 and 4 <-> 5 (``MIRRORED_CLASSES``).
Skin covers the face, the ears and the neck; clothes are background; an eye is the whole visible
eyeball (white, iris, pupil, lash line); the inner mouth includes the teeth; the nose is its whole
shape, nostrils included.

Colours are flat per part (with sub-parts such as the iris inside a class), multiplied by a
Lambertian shading of the head seen as an ellipsoid under one light and a smooth per-face
texture. There is no antialiasing: every pixel shows exactly the part named by its label.

Every face is a pure function of ``(seed, index)``: its parameters come from
``np.random.default_rng((seed, index))`` and its geometry is defined in coordinates normalised
to [-1, 1], so a face is identical alone or in any batch, and rendering at 32, 64 or 128 pixels
gives the same face sampled on a coarser or finer grid.
"""

import math

import numpy as np

from gan_papers.common.validation import check_positive_int, check_seed
from gan_papers.data.indices import check_indices, index_dataset, index_range

FACE_CLASSES = (
    "background",
    "skin",
    "left_brow",
    "right_brow",
    "left_eye",
    "right_eye",
    "nose",
    "upper_lip",
    "inner_mouth",
    "lower_lip",
    "hair",
)

# Class index of each class after a horizontal flip of the image (left and right swap).
MIRRORED_CLASSES = (0, 1, 3, 2, 5, 4, 6, 7, 8, 9, 10)

# Fixed index ranges [first, stop) of the built-in splits. Faces are independent draws, so any
# disjoint ranges are a clean train / held-out split; "heldout" is for evaluation only.
FACE_SPLITS = {"train": (0, 1_000_000), "heldout": (1_000_000, 1_010_000)}

# The smallest size at which the eyes, brows and lips still cover some pixel centres.
MIN_SIZE = 16

# Materials: what the painter writes per pixel. Several materials can share a class (the iris is
# part of the eye); left/right pairs are adjacent so that `left + is_right` picks the side.
(
    _BG,
    _CLOTH,
    _HAIR_BACK,
    _NECK,
    _EAR,
    _SKIN,
    _HAIR,
    _BROW_L,
    _BROW_R,
    _SCLERA_L,
    _SCLERA_R,
    _IRIS_L,
    _IRIS_R,
    _PUPIL_L,
    _PUPIL_R,
    _LASH_L,
    _LASH_R,
    _NOSE,
    _NOSTRIL,
    _UPPER_LIP,
    _MOUTH,
    _TEETH,
    _LOWER_LIP,
) = range(23)
_N_MATERIALS = 23

_MATERIAL_CLASS = np.array(
    [0, 0, 10, 1, 1, 1, 10, 2, 3, 4, 5, 4, 5, 4, 5, 4, 5, 6, 6, 7, 8, 8, 9], dtype=np.int32
)
# Materials lit by the head's shading (the background and clothes have their own gradient).
_LIT = np.ones(_N_MATERIALS, dtype=np.float32)
_LIT[[_BG, _CLOTH]] = 0.0
# Strength of the smooth texture per material; hair uses its own streaky field.
_TEXTURE = np.full(_N_MATERIALS, 0.03, dtype=np.float32)
_TEXTURE[[_BG, _CLOTH]] = 0.06
_TEXTURE[[_HAIR, _HAIR_BACK, _BROW_L, _BROW_R]] = 0.18
_TEXTURE[[_SCLERA_L, _SCLERA_R, _PUPIL_L, _PUPIL_R, _LASH_L, _LASH_R, _TEETH]] = 0.0
_IS_HAIR = np.zeros(_N_MATERIALS, dtype=bool)
_IS_HAIR[[_HAIR, _HAIR_BACK, _BROW_L, _BROW_R]] = True

# Number of uniform numbers drawn per face, always all of them and in the same order, so that a
# new parameter appended at the end leaves every existing face unchanged.
_N_UNIFORM = 64
# Texture control grids (rows x columns over the image), drawn after the uniforms.
_SMOOTH_GRID = (6, 6)
_HAIR_GRID = (5, 28)

# Pixels rendered together: few enough for the (faces, H, W) temporaries to stay in the CPU cache,
# which is worth about 2x in speed over rendering a whole batch at once.
_CHUNK_PIXELS = 2**16

# Realistic skin tones, from deep brown to pale, as RGB in [0, 1]; a face picks a point on this ramp.
_SKIN_RAMP = np.array(
    [
        [0.30, 0.19, 0.13],
        [0.47, 0.31, 0.21],
        [0.64, 0.45, 0.33],
        [0.78, 0.58, 0.45],
        [0.88, 0.70, 0.58],
        [0.96, 0.81, 0.71],
    ],
    dtype=np.float32,
)
_HAIR_COLOURS = np.array(
    [
        [0.06, 0.05, 0.05],  # black
        [0.18, 0.11, 0.07],  # dark brown
        [0.36, 0.23, 0.13],  # brown
        [0.70, 0.55, 0.32],  # blond
        [0.52, 0.22, 0.10],  # auburn / red
        [0.62, 0.61, 0.60],  # grey
    ],
    dtype=np.float32,
)
_HAIR_P = np.array([0.25, 0.25, 0.2, 0.13, 0.09, 0.08])
_IRIS_COLOURS = np.array(
    [
        [0.22, 0.12, 0.06],  # brown
        [0.38, 0.27, 0.12],  # hazel
        [0.25, 0.40, 0.25],  # green
        [0.27, 0.42, 0.62],  # blue
        [0.42, 0.46, 0.50],  # grey
    ],
    dtype=np.float32,
)
# Hair styles: probabilities of short, bangs, side part, long, long with bangs, voluminous, bald.
_STYLE_P = np.array([0.22, 0.12, 0.14, 0.22, 0.12, 0.10, 0.08])
_SHORT, _BANGS, _SIDE, _LONG, _LONG_BANGS, _VOLUME, _BALD = range(7)

_PALETTE = np.array(
    [
        [0, 0, 0],  # background
        [255, 204, 170],  # skin
        [0, 110, 0],  # left brow
        [120, 220, 60],  # right brow
        [0, 70, 200],  # left eye
        [80, 190, 255],  # right eye
        [230, 150, 0],  # nose
        [220, 30, 60],  # upper lip
        [110, 0, 90],  # inner mouth
        [255, 100, 180],  # lower lip
        [120, 70, 30],  # hair
    ],
    dtype=np.uint8,
)


# --------------------------------------------------------------------------------------------
# Argument checks
# --------------------------------------------------------------------------------------------


def _check_size(size):
    if isinstance(size, bool) or not isinstance(size, int | np.integer) or size < MIN_SIZE:
        raise ValueError(f"`size` must be an integer >= {MIN_SIZE}; received {size!r}.")
    return int(size)


# --------------------------------------------------------------------------------------------
# Parameters of each face
# --------------------------------------------------------------------------------------------


def _lerp(u, low, high):
    return low + (high - low) * u


def _pick(table, u):
    """Row of ``table`` chosen by a uniform number per face (equal odds)."""
    return table[np.minimum((u * len(table)).astype(np.int64), len(table) - 1)]


def _pick_weighted(table, weights, u):
    """Row of ``table`` chosen by a uniform number per face, with the given odds."""
    cumulative = np.cumsum(weights) / np.sum(weights)
    return table[np.minimum(np.searchsorted(cumulative, u, side="right"), len(table) - 1)]


def _face_parameters(indices, seed):
    """All random draws of the faces ``indices``: uniforms (N, 64) and two texture grids."""
    uniforms = np.empty((len(indices), _N_UNIFORM), dtype=np.float64)
    smooth = np.empty((len(indices), *_SMOOTH_GRID), dtype=np.float32)
    streaks = np.empty((len(indices), *_HAIR_GRID), dtype=np.float32)
    for n, index in enumerate(indices):
        rng = np.random.default_rng((seed, int(index)))
        uniforms[n] = rng.random(_N_UNIFORM)
        smooth[n] = rng.standard_normal(_SMOOTH_GRID)
        streaks[n] = rng.standard_normal(_HAIR_GRID)
    return uniforms, smooth, streaks


class _Face:
    """Geometry and colours of a chunk of faces, as (N, 1, 1) arrays ready to broadcast on a grid."""

    def __init__(self, u):
        f32 = np.float32

        def col(x):
            return np.asarray(x, dtype=f32).reshape(-1, 1, 1)

        n = len(u)
        # Pose: in-plane rotation (radians), shift, scale, and yaw as a sideways shift of features.
        self.angle = _lerp(u[:, 0], -0.14, 0.14)  # about +-8 degrees
        self.shift_x = _lerp(u[:, 1], -0.06, 0.06)
        self.shift_y = _lerp(u[:, 2], -0.05, 0.06)
        self.scale = _lerp(u[:, 3], 0.98, 1.14)
        yaw = _lerp(u[:, 4], -1.0, 1.0)

        # Head: half-width, upper and lower half-heights, and the jaw (k > 0 narrows the chin).
        self.W = col(_lerp(u[:, 5], 0.44, 0.56))
        self.H_top = col(_lerp(u[:, 6], 0.60, 0.70))
        self.H_bottom = col(_lerp(u[:, 7], 0.66, 0.80))
        self.jaw = col(_lerp(u[:, 8], -0.4, 1.0))

        # Features sit on a midline moved by the yaw: more for the nose (nearest the camera).
        self.mid_eye = col(0.05 * yaw)
        self.mid_nose = col(0.09 * yaw)
        self.mid_mouth = col(0.07 * yaw)
        self.eye_y = col(_lerp(u[:, 9], -0.03, 0.06))
        self.eye_d = col(_lerp(u[:, 10], 0.36, 0.44)) * self.W
        self.eye_len = col(_lerp(u[:, 11], 0.085, 0.115))
        # Turned towards the image's right (yaw > 0), the right eye is seen more obliquely and
        # looks narrower than the left one (a squash > 1 shrinks an eye).
        self.eye_squash_l = col(1.0 - 0.12 * yaw)
        self.eye_squash_r = col(1.0 + 0.12 * yaw)
        self.eye_open_up = col(_lerp(u[:, 12], 0.028, 0.06))
        self.eye_open_low = col(_lerp(u[:, 13], 0.018, 0.035))
        self.eye_tilt = col(_lerp(u[:, 14], -0.08, 0.22))
        self.iris_r = col(_lerp(u[:, 15], 0.032, 0.045))
        self.gaze = col(_lerp(u[:, 16], -0.025, 0.025) + 0.02 * yaw)

        self.brow_y = self.eye_y - col(_lerp(u[:, 17], 0.11, 0.17))
        self.brow_len = col(_lerp(u[:, 18], 0.11, 0.15))
        self.brow_thick = col(_lerp(u[:, 19], 0.014, 0.034))
        self.brow_arch = col(_lerp(u[:, 20], 0.0, 0.05))
        self.brow_tilt = col(_lerp(u[:, 21], -0.25, 0.3))  # > 0 raises the outer end

        self.nose_top = self.eye_y + 0.01
        self.nose_len = col(_lerp(u[:, 22], 0.21, 0.30))
        self.nose_bridge = col(_lerp(u[:, 23], 0.026, 0.042))
        self.nose_wing = col(_lerp(u[:, 24], 0.065, 0.10))

        self.mouth_y = self.nose_top + self.nose_len + col(_lerp(u[:, 25], 0.10, 0.15))
        self.mouth_w = col(_lerp(u[:, 26], 0.13, 0.20))
        self.lip_up = col(_lerp(u[:, 27], 0.034, 0.05))
        self.lip_low = col(_lerp(u[:, 28], 0.03, 0.052))
        # About half the faces have an open mouth (talking, smiling, surprised).
        opening = np.where(u[:, 29] < 0.5, 0.0, _lerp(u[:, 30], 0.012, 0.06))
        self.mouth_open = col(opening)
        self.smile = col(_lerp(u[:, 31], -0.02, 0.07))

        # Hair style and its shape.
        style = _pick_weighted(np.arange(len(_STYLE_P)), _STYLE_P, u[:, 32])
        thick = _lerp(u[:, 33], 0.04, 0.10)
        thick = np.where(style == _VOLUME, _lerp(u[:, 33], 0.16, 0.26), thick)
        thick = np.where(style == _BALD, 0.0, thick)
        self.hair_rx = col(self.W[:, 0, 0] + thick)
        self.hair_ry = col(self.H_top[:, 0, 0] + thick)
        self.hair_cy = col(np.where(style == _VOLUME, 0.02, 0.0))
        # Hairline y at the midline (y grows downwards): the forehead ends there.
        hairline = _lerp(u[:, 34], -0.46, -0.34)
        hairline = np.where(
            (style == _BANGS) | (style == _LONG_BANGS), _lerp(u[:, 34], -0.3, -0.2), hairline
        )
        hairline = np.where(style == _BALD, _lerp(u[:, 34], -0.74, -0.66), hairline)
        self.hairline = col(hairline)
        # How fast the hairline drops towards the temples (flat for a fringe).
        curve = _lerp(u[:, 35], 1.1, 1.8)
        curve = np.where(
            (style == _BANGS) | (style == _LONG_BANGS), _lerp(u[:, 35], 0.2, 0.6), curve
        )
        self.hair_curve = col(curve)
        tilt = np.where(
            style == _SIDE, np.where(u[:, 36] < 0.5, -1.0, 1.0) * _lerp(u[:, 37], 0.25, 0.45), 0.0
        )
        self.hair_tilt = col(tilt)
        long = (style == _LONG) | (style == _LONG_BANGS)
        self.back_hair = col(long | (style == _VOLUME))
        self.back_rx = col(self.W[:, 0, 0] + np.where(long, _lerp(u[:, 38], 0.08, 0.16), thick))
        self.back_bottom = col(np.where(long, _lerp(u[:, 39], 0.55, 1.1), 0.25))

        self.neck_w = col(_lerp(u[:, 40], 0.55, 0.7)) * self.W
        self.cloth_y = col(_lerp(u[:, 41], 0.78, 0.9))

        # Lighting: direction in the image plane and the share of ambient light.
        light_angle = _lerp(u[:, 42], 0.0, 2.0 * np.pi)
        light_tilt = _lerp(u[:, 43], 0.2, 0.75)  # 0 = from the camera, 1 = grazing
        self.light = (
            col([math.cos(a) for a in light_angle] * light_tilt),
            col([math.sin(a) for a in light_angle] * light_tilt),
            col(np.sqrt(1.0 - light_tilt**2)),
        )
        self.ambient = col(_lerp(u[:, 44], 0.45, 0.65))
        bg_dir = _lerp(u[:, 45], 0.0, 2.0 * np.pi)
        self.bg_cos = col([math.cos(a) for a in bg_dir])
        self.bg_sin = col([math.sin(a) for a in bg_dir])
        self.bg_contrast = col(_lerp(u[:, 46], 0.0, 0.35))

        self.colours = self._colours(u, n)

    def _colours(self, u, n):
        """(N, materials, 3) base colours in [0, 1]."""
        c = np.zeros((n, _N_MATERIALS, 3), dtype=np.float32)
        t = u[:, 47] * (len(_SKIN_RAMP) - 1)
        lo = np.minimum(t.astype(np.int64), len(_SKIN_RAMP) - 2)
        frac = (t - lo)[:, None]
        skin = (1 - frac) * _SKIN_RAMP[lo] + frac * _SKIN_RAMP[lo + 1]
        # Undertone: a little more red (warm) or more yellow (olive).
        skin = skin * (1.0 + np.stack([0.06, 0.0, -0.06]) * _lerp(u[:, 48], -1, 1)[:, None])
        hair = _pick_weighted(_HAIR_COLOURS, _HAIR_P, u[:, 49]) * _lerp(u[:, 50], 0.8, 1.2)[:, None]
        iris = _pick(_IRIS_COLOURS, u[:, 51])
        lips = skin * np.array([0.95, 0.62, 0.62]) * _lerp(u[:, 52], 0.8, 1.0)[:, None]
        lips = lips + np.array([0.06, 0.0, 0.0]) * u[:, 53][:, None]
        bg = np.stack([u[:, 54], u[:, 55], u[:, 56]], axis=1) * 0.75 + 0.12
        cloth = np.stack([u[:, 57], u[:, 58], u[:, 59]], axis=1) * 0.8 + 0.05
        c[:, _BG] = bg
        c[:, _CLOTH] = cloth
        c[:, _HAIR] = c[:, _HAIR_BACK] = hair
        c[:, _SKIN] = skin
        c[:, _EAR] = skin * 0.93
        c[:, _NECK] = skin * 0.8
        c[:, _BROW_L] = c[:, _BROW_R] = hair * 0.75  # brows follow the hair, a shade darker
        c[:, _SCLERA_L] = c[:, _SCLERA_R] = [0.88, 0.86, 0.82]
        c[:, _IRIS_L] = c[:, _IRIS_R] = iris
        c[:, _PUPIL_L] = c[:, _PUPIL_R] = [0.03, 0.03, 0.03]
        c[:, _LASH_L] = c[:, _LASH_R] = [0.08, 0.06, 0.05]
        c[:, _NOSE] = skin * 0.95
        c[:, _NOSTRIL] = skin * 0.35
        c[:, _UPPER_LIP] = lips * 0.9
        c[:, _LOWER_LIP] = lips
        c[:, _MOUTH] = [0.22, 0.05, 0.06]
        c[:, _TEETH] = [0.86, 0.84, 0.78]
        return np.clip(c, 0.0, 1.0)


# --------------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------------


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
    face = _Face(u)
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
    paint(y > face.cloth_y + 0.45 * x2, _CLOTH)
    back_y = face.hair_cy - 0.1
    back_ry = face.back_bottom - back_y
    back = ((x / face.back_rx) ** 2 + ((y - back_y) / np.maximum(back_ry, 0.1)) ** 2 < 1.0) & (
        face.back_hair > 0
    )
    paint(back, _HAIR_BACK)
    paint((np.abs(x) < face.neck_w) & (y > 0.2) & (y < face.cloth_y + 0.45 * x2 + 0.02), _NECK)
    ear_dy = (y - (face.eye_y + 0.1)) / 0.13
    ear_dx = (np.abs(x) - face.W) / 0.06
    paint(ear_dx * ear_dx + ear_dy * ear_dy < 1.0, _EAR)

    xn2 = x2 / (face.W * face.W)
    upper = y < 0
    yn = np.where(upper, y / face.H_top, y / face.H_bottom)
    yn2 = yn * yn
    # The jaw term scales the half-width by the depth below the centre: a pointed or a square chin.
    head = xn2 * (1.0 + np.where(upper, 0.0, face.jaw * yn2)) + yn2 < 1.0
    paint(head, _SKIN)

    # Hair in front: a cap above the hairline, which drops towards the temples (sideburns).
    cap_y = (y - face.hair_cy) / face.hair_ry
    cap = (x2 / (face.hair_rx * face.hair_rx) + cap_y * cap_y < 1.0) & (
        y < face.hairline + face.hair_curve * x2 + face.hair_tilt * x
    )
    paint(cap, _HAIR)

    # Brows and eyes: one mirrored shape per pair; `e` runs outwards from each centre.
    side_x = x - face.mid_eye
    right = (side_x > 0).astype(np.uint8)
    ax = np.abs(side_x)

    e = (ax - face.eye_d - 0.01) / face.brow_len
    by = y - face.brow_y + face.brow_tilt * face.brow_len * e + face.brow_arch * (e * e - 0.3)
    # The brow tapers towards its outer end.
    half = face.brow_thick * (1.0 - 0.35 * np.clip(e, 0.0, 1.0) - 0.15 * e * e)
    paint((np.abs(e) < 1.0) & (np.abs(by) < half), _BROW_L + right)

    squash = np.where(right > 0, face.eye_squash_r, face.eye_squash_l)
    e = (ax - face.eye_d) * squash / face.eye_len
    bulge = np.maximum(1.0 - e * e, 0.0)
    ey = y - face.eye_y + face.eye_tilt * face.eye_len * e
    eye = (ey > -face.eye_open_up * bulge) & (ey < face.eye_open_low * bulge) & (np.abs(e) < 1.0)
    paint(eye, _SCLERA_L + right)
    sign = np.where(right > 0, 1.0, -1.0).astype(f32)
    ix = sign * (ax - face.eye_d) - face.gaze
    iy = y - face.eye_y + 0.006
    r2 = ix * ix + iy * iy
    paint(eye & (r2 < face.iris_r * face.iris_r), _IRIS_L + right)
    paint(eye & (r2 < (0.45 * face.iris_r) ** 2), _PUPIL_L + right)
    paint(eye & (ey < -face.eye_open_up * bulge + 0.014), _LASH_L + right)

    # Nose: a bridge that widens into the wings, closed by a rounded tip.
    nx = x - face.mid_nose
    t = np.clip((y - face.nose_top) / face.nose_len, 0.0, 1.0)
    wing_y = face.nose_top + face.nose_len - 0.04
    width = face.nose_bridge + (face.nose_wing - face.nose_bridge) * t * t * t
    tip = (nx / face.nose_wing) ** 2 + ((y - wing_y) / 0.04) ** 2 < 1.0
    nose = ((y > face.nose_top) & (y < wing_y) & (np.abs(nx) < width)) | tip
    paint(nose, _NOSE)
    nostril_x = (np.abs(nx) - 0.5 * face.nose_wing) / 0.022
    nostril_y = (y - wing_y - 0.018) / 0.011
    paint(nose & (nostril_x * nostril_x + nostril_y * nostril_y < 1.0), _NOSTRIL)

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
    paint(in_mouth & (y > top) & (y <= centre), _UPPER_LIP)
    paint(in_mouth & (y > centre) & (y < bottom), _LOWER_LIP)
    opening = in_mouth & (np.abs(y - centre) < 0.5 * gap)
    paint(opening, _MOUTH)
    paint(opening & (y < centre - 0.5 * gap + 0.35 * face.mouth_open), _TEETH)

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
    shade = np.where(_LIT[mat] > 0, lit, flat)
    texture = np.where(_IS_HAIR[mat], _texture(streaks, size), _texture(smooth, size))
    shade *= 1.0 + _TEXTURE[mat] * texture
    # The nose is modelled by the light across it: its side away from the light is darker.
    shade *= np.where(mat == _NOSE, 1.0 + 0.35 * lx * nx / face.nose_wing.astype(f32), 1.0)

    flat_index = mat.astype(np.int64) + (np.arange(n) * _N_MATERIALS).reshape(-1, 1, 1)
    rgb = face.colours.reshape(-1, 3)[flat_index] * shade[..., None]
    image = np.clip(rgb, 0.0, 1.0) * 2.0 - 1.0
    return image.astype(np.float32), _MATERIAL_CLASS[mat]


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
    size = _check_size(size)
    seed = check_seed(seed)
    indices = check_indices(indices)
    images = np.empty((len(indices), size, size, 3), dtype=np.float32)
    labels = np.empty((len(indices), size, size), dtype=np.int32)
    step = int(np.clip(_CHUNK_PIXELS // (size * size), 1, 16))
    for start in range(0, len(indices), step):
        chunk = indices[start : start + step]
        u, smooth, streaks = _face_parameters(chunk, seed)
        images[start : start + len(chunk)], labels[start : start + len(chunk)] = _render_chunk(
            u, smooth, streaks, size
        )
    return images, labels


# --------------------------------------------------------------------------------------------
# tf.data pipeline
# --------------------------------------------------------------------------------------------


def face_dataset(
    batch_size=64,
    size=64,
    seed=0,
    split="train",
    start=0,
    count=None,
    with_labels=False,
    repeat=True,
    shuffle=False,
    drop_remainder=True,
):
    """A ``tf.data.Dataset`` of procedural face batches, rendered on the fly.

    Args:
        batch_size: faces per batch.
        size: image size in pixels (>= 16).
        seed: the family of faces (see ``render_faces``).
        split: a key of ``FACE_SPLITS`` ("train" or "heldout"), whose index range is used;
            or None for the indices ``start, start + 1, ...`` with no upper end.
        start: first index, counted from the beginning of ``split``.
        count: number of faces (default: to the end of the split; unbounded without a split).
        with_labels: yield ``(images, labels)`` instead of images alone.
        repeat: start over after ``count`` faces, forever.
        shuffle: shuffle the indices (a buffer of up to 10,000, seeded by ``seed``, a new order each
            pass). Off by default: every face is an independent draw, so order carries no bias.
        drop_remainder: drop a last, smaller batch so that the batch dimension is static.

    Returns:
        Batches of float32 images (batch, size, size, 3) in [-1, 1], and with ``with_labels``
        int32 labels (batch, size, size) in 0..10. The order is deterministic.
    """
    import tensorflow as tf

    batch_size = check_positive_int(batch_size, "batch_size")
    size = _check_size(size)
    seed = check_seed(seed)
    first, stop = index_range(FACE_SPLITS, split, start, count, "faces")
    indices = index_dataset(first, stop, shuffle, repeat, seed)

    batch = batch_size if drop_remainder else None

    def render(index_batch):
        images, labels = tf.numpy_function(
            lambda i: render_faces(i, size=size, seed=seed),
            [index_batch],
            [tf.float32, tf.int32],
            stateful=False,
        )
        images.set_shape((batch, size, size, 3))
        labels.set_shape((batch, size, size))
        return (images, labels) if with_labels else images

    dataset = indices.batch(batch_size, drop_remainder=drop_remainder)
    dataset = dataset.map(render, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
    return dataset.prefetch(tf.data.AUTOTUNE)


# --------------------------------------------------------------------------------------------
# Pictures of label maps
# --------------------------------------------------------------------------------------------


def label_colors():
    """The fixed palette: uint8 (11, 3), one RGB colour per class of ``FACE_CLASSES``."""
    return _PALETTE.copy()


def colorize_labels(labels):
    """Label map(s) (..., H, W) of ints in 0..10 -> uint8 RGB picture(s) (..., H, W, 3)."""
    if hasattr(labels, "numpy"):
        labels = labels.numpy()
    labels = np.asarray(labels)
    if labels.ndim < 2:
        raise ValueError(
            f"`labels` must have rank >= 2 (..., height, width); received shape {labels.shape}."
        )
    if not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"`labels` must hold integers; received dtype {labels.dtype}.")
    if labels.size and (labels.min() < 0 or labels.max() >= len(FACE_CLASSES)):
        raise ValueError(
            f"`labels` must have values in [0, {len(FACE_CLASSES) - 1}]; received values in "
            f"[{labels.min()}, {labels.max()}]."
        )
    return _PALETTE[labels]
