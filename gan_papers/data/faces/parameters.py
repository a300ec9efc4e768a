"""The random parameters of each face: its draws (``face_parameters``), and the geometry and
colours they give (``Face``).

Every face is a pure function of ``(seed, index)``: its parameters come from
``np.random.default_rng((seed, index))`` and its geometry is defined in coordinates normalised
to [-1, 1], so a face is identical alone or in any batch, and rendering at 32, 64 or 128 pixels
gives the same face sampled on a coarser or finer grid.
"""

import math

import numpy as np

from gan_papers.data.faces.materials import (
    BG,
    BROW_L,
    BROW_R,
    CLOTH,
    EAR,
    HAIR,
    HAIR_BACK,
    IRIS_L,
    IRIS_R,
    LASH_L,
    LASH_R,
    LOWER_LIP,
    MOUTH,
    N_MATERIALS,
    NECK,
    NOSE,
    NOSTRIL,
    PUPIL_L,
    PUPIL_R,
    SCLERA_L,
    SCLERA_R,
    SKIN,
    TEETH,
    UPPER_LIP,
)

# Number of uniform numbers drawn per face, always all of them and in the same order, so that a
# new parameter appended at the end leaves every existing face unchanged.
_N_UNIFORM = 64
# Texture control grids (rows x columns over the image), drawn after the uniforms.
_SMOOTH_GRID = (6, 6)
_HAIR_GRID = (5, 28)

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


def _lerp(u, low, high):
    return low + (high - low) * u


def _pick(table, u):
    """Row of ``table`` chosen by a uniform number per face (equal odds)."""
    return table[np.minimum((u * len(table)).astype(np.int64), len(table) - 1)]


def _pick_weighted(table, weights, u):
    """Row of ``table`` chosen by a uniform number per face, with the given odds."""
    cumulative = np.cumsum(weights) / np.sum(weights)
    return table[np.minimum(np.searchsorted(cumulative, u, side="right"), len(table) - 1)]


def face_parameters(indices, seed):
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


class Face:
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
        c = np.zeros((n, N_MATERIALS, 3), dtype=np.float32)
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
        c[:, BG] = bg
        c[:, CLOTH] = cloth
        c[:, HAIR] = c[:, HAIR_BACK] = hair
        c[:, SKIN] = skin
        c[:, EAR] = skin * 0.93
        c[:, NECK] = skin * 0.8
        c[:, BROW_L] = c[:, BROW_R] = hair * 0.75  # brows follow the hair, a shade darker
        c[:, SCLERA_L] = c[:, SCLERA_R] = [0.88, 0.86, 0.82]
        c[:, IRIS_L] = c[:, IRIS_R] = iris
        c[:, PUPIL_L] = c[:, PUPIL_R] = [0.03, 0.03, 0.03]
        c[:, LASH_L] = c[:, LASH_R] = [0.08, 0.06, 0.05]
        c[:, NOSE] = skin * 0.95
        c[:, NOSTRIL] = skin * 0.35
        c[:, UPPER_LIP] = lips * 0.9
        c[:, LOWER_LIP] = lips
        c[:, MOUTH] = [0.22, 0.05, 0.06]
        c[:, TEETH] = [0.86, 0.84, 0.78]
        return np.clip(c, 0.0, 1.0)
