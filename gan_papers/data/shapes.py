"""Procedural 3-D objects as voxel grids, with class labels and rendered 2-D views: the offline data of
Wu et al. 2016 (*3D-GAN*).

The paper trains on ShapeNet objects voxelised at 64^3 (Section 4), classifies ModelNet10/40 shapes
with the discriminator's features (Section 4.3) and reconstructs objects from single images with the
3D-VAE-GAN (Section 4.4). This module builds objects of eight furniture classes (``SHAPE_CLASSES``)
from boxes, cylinders, cones and ellipsoids, so that every notebook runs with no download:

- ``make_shapes``: occupancy grids in {0, 1} with their class labels;
- ``render_views``: a shaded image of each grid from a chosen direction, the input of the 3D-VAE-GAN's
  image encoder;
- ``shape_dataset``: both as a ``tf.data`` pipeline.

**Axes.** A batch of grids is float32 ``(B, D, H, W, 1)``: axis 1 is depth (front to back: index 0 is
the side an object faces), axis 2 is height (index 0 is the floor), axis 3 is width (left to right
as seen from the front). With the grid as the unit cube, x right, y up and z away from the viewer,
the voxel ``[b, k, j, i, 0]`` is the cube ``[i, i + 1] x [j, j + 1] x [k, k + 1] / R``. ModelNet's z-up meshes
map to the same axes (``gan_papers.data.modelnet``); ``upright_xyz`` gives the (x, y, z-up) order of
``matplotlib``'s ``Axes3D.voxels``.

**Placement.** Like ModelNet / ShapeNet voxelisations, each object keeps its proportions and is scaled
so that its largest side spans ``1 - 2 * PADDING`` of the grid (28 of 32 voxels, 56 of 64); it is
centred across width and depth and stands on the floor layer ``PADDING * R`` (layer 2 at 32^3,
4 at 64^3). Objects are upright and face the front (depth index 0): chairs and sofas have their backs
at the rear, beds their headboard.

**Rasterisation.** Every part is a solid in continuous coordinates; a voxel is occupied when its
centre lies inside a part, so an object at 32^3 and at 64^3 is the same object sampled more or less
finely. A part thinner than one voxel still fills the layer of voxels containing its middle (a
box's side is widened to one voxel, a radius to 0.71 voxel), so that thin legs and poles do not
vanish at 32^3, and the wall of a tube (an oval bathtub) keeps at least one voxel.

**Variation.** Within a class: proportions, leg count, shape and placement, back height and style,
arm rests, shelf count, books, lamp base and shade shape, bunk beds, L-shaped sofas, CRT monitors,
claw-foot tubs...; asymmetric objects are mirrored at random. The class is ``index % 8``, so
consecutive indices cycle through the classes and every range of indices is balanced.

Every object is a pure function of ``(seed, index)``: its parameters come from
``np.random.default_rng((seed, index))``, so it is the same alone or in any batch, at any resolution.
"""

import functools
import itertools
import math

import numpy as np

from gan_papers.common.validation import check_positive_int, check_seed
from gan_papers.data.indices import check_indices, index_dataset, index_range

SHAPE_CLASSES = ("chair", "table", "sofa", "bed", "bookshelf", "lamp", "monitor", "bathtub")

# Fixed index ranges [first, stop) of the built-in splits; "heldout" is for evaluation only. Both
# start at a multiple of len(SHAPE_CLASSES), so both are balanced.
SHAPE_SPLITS = {"train": (0, 1_000_000), "heldout": (1_000_000, 1_010_000)}

MIN_RESOLUTION = 16
# Fraction of the grid left empty on each side of the largest dimension.
PADDING = 1.0 / 16.0
# The names of axes 1, 2, 3 of a voxel batch.
VOXEL_AXES = ("depth", "height", "width")

# Uniform numbers drawn per object, all of them and always in the same order.
_N_UNIFORM = 64
# The smallest radius kept, in voxels: a disc of radius 1/sqrt(2) around any point covers a voxel centre.
_MIN_RADIUS = 0.71
# Shapes rasterised per chunk of ``render_views`` (bounds the (chunk, pixels, steps) temporaries).
_RENDER_CHUNK = 8


# --------------------------------------------------------------------------------------------
# Argument checks
# --------------------------------------------------------------------------------------------


def _check_resolution(resolution, name="resolution"):
    if (
        isinstance(resolution, bool)
        or not isinstance(resolution, int | np.integer)
        or resolution < MIN_RESOLUTION
    ):
        raise ValueError(
            f"`{name}` must be an integer >= {MIN_RESOLUTION} (32 or 64 for 3D-GAN); "
            f"received {resolution!r}."
        )
    return int(resolution)


def _check_angle(value, name):
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise ValueError(f"`{name}` must be a number of degrees; received {value!r}.")
    if not math.isfinite(value):
        raise ValueError(f"`{name}` must be finite; received {value!r}.")
    return float(value)


# --------------------------------------------------------------------------------------------
# Parts in model coordinates (metres): x right, y up (floor y = 0), z away from the viewer
# --------------------------------------------------------------------------------------------


class _Draws:
    """Reads a shape's uniform numbers one after the other."""

    __slots__ = ("_u", "_next")

    def __init__(self, u):
        self._u = u
        self._next = 0

    def uniform(self, low, high):
        value = self._u[self._next]
        self._next += 1
        return low + (high - low) * value

    def chance(self, p):
        return self.uniform(0.0, 1.0) < p

    def choice(self, weights):
        """Index of one of ``weights`` (which sum to 1)."""
        u = self.uniform(0.0, 1.0)
        for k, w in enumerate(weights):
            u -= w
            if u < 0:
                return k
        return len(weights) - 1

    def integer(self, low, high):
        """An integer in [low, high], inclusive."""
        return min(int(self.uniform(low, high + 1)), high)


class _Parts:
    """The solids an object is made of, each ``(kind, lo, hi, extra)``.

    ``lo``, ``hi``: corners of the part's box in model coordinates. A "box" fills it. A "cyl" runs
    along model axis ``extra[0]`` from ``lo`` to ``hi`` there, its elliptic section inscribed in the
    box at ``lo`` and scaled by ``extra[1]`` (the taper) at ``hi``; with a wall thickness
    ``extra[2]`` it is a tube, whose wall keeps at least one voxel. An "ell" (ellipsoid) is inscribed
    in the box and cut to the heights ``extra`` = (y_low, y_high).
    """

    def __init__(self):
        self.items = []

    def box(self, x0, x1, y0, y1, z0, z1):
        self.items.append(("box", [x0, y0, z0], [x1, y1, z1], None))

    def block(self, cx, cz, w, d, y0, y1):
        """A box of width ``w`` and depth ``d`` centred on (cx, cz), from height y0 to y1."""
        self.box(cx - w / 2, cx + w / 2, y0, y1, cz - d / 2, cz + d / 2)

    def column(self, cx, cz, rx, rz, y0, y1, taper=1.0, wall=None):
        """A vertical (elliptic) cylinder, a cone frustum with ``taper`` != 1, a tube with ``wall``."""
        self.items.append(("cyl", [cx - rx, y0, cz - rz], [cx + rx, y1, cz + rz], (1, taper, wall)))

    def rod(self, axis, x0, x1, y0, y1, z0, z1):
        """A cylinder along model axis 0 (x) or 2 (z) inscribed in a box."""
        self.items.append(("cyl", [x0, y0, z0], [x1, y1, z1], (axis, 1.0, None)))

    def ellipsoid(self, cx, cy, cz, rx, ry, rz, y0=-np.inf, y1=np.inf):
        lo, hi = [cx - rx, cy - ry, cz - rz], [cx + rx, cy + ry, cz + rz]
        self.items.append(("ell", lo, hi, (y0, y1)))

    def walls(self, x0, x1, z0, z1, y0, y1, wall):
        """Four walls of thickness ``wall`` around the box x0..x1, z0..z1 (a tub, a rim, a deck)."""
        self.box(x0, x1, y0, y1, z0, z0 + wall)
        self.box(x0, x1, y0, y1, z1 - wall, z1)
        self.box(x0, x0 + wall, y0, y1, z0, z1)
        self.box(x1 - wall, x1, y0, y1, z0, z1)

    def mirror_x(self):
        self.items = [
            (kind, [-hi[0], lo[1], lo[2]], [-lo[0], hi[1], hi[2]], extra)
            for kind, lo, hi, extra in self.items
        ]

    def bounds(self):
        """Corners of the box around all parts."""
        lows, highs = [], []
        for kind, lo, hi, extra in self.items:
            lo, hi = _part_box(kind, np.array(lo, np.float64), np.array(hi, np.float64), extra)
            lows.append(lo)
            highs.append(hi)
        return np.min(lows, axis=0), np.max(highs, axis=0)


def _part_box(kind, lo, hi, extra, axes=(0, 1, 2)):
    """The box around a part given by its ``lo``, ``hi`` and ``extra`` (``axes``: where model
    axes x, y, z are in ``lo`` and ``hi``)."""
    if kind == "cyl" and extra[1] > 1.0:
        # The wider end of a frustum sticks out of the box of its narrow end.
        centre, half = (lo + hi) / 2, (hi - lo) / 2 * extra[1]
        along = axes[extra[0]]
        lo, hi = centre - half, centre + half
        lo[along], hi[along] = (
            centre[along] - half[along] / extra[1],
            centre[along] + half[along] / extra[1],
        )
    elif kind == "ell":
        lo, hi = lo.copy(), hi.copy()
        lo[axes[1]], hi[axes[1]] = max(lo[axes[1]], extra[0]), min(hi[axes[1]], extra[1])
    return lo, hi


def _chair(p, r):
    w, d = r.uniform(0.40, 0.7), r.uniform(0.38, 0.62)
    h, t = r.uniform(0.38, 0.50), r.uniform(0.03, 0.09)  # seat top, thickness
    bottom = h - t
    p.block(0, 0, w, d, bottom, h)
    legs = r.choice((0.6, 0.2, 0.2))
    if legs == 0:  # four legs, square or round, maybe with stretchers
        lt, inset, round_legs = r.uniform(0.025, 0.06), r.uniform(0.0, 0.05), r.chance(0.4)
        xs, zs = w / 2 - inset - lt / 2, d / 2 - inset - lt / 2
        for sx, sz in itertools.product((-1, 1), repeat=2):
            if round_legs:
                p.column(sx * xs, sz * zs, lt / 2, lt / 2, 0, bottom)
            else:
                p.block(sx * xs, sz * zs, lt, lt, 0, bottom)
        if r.chance(0.35):
            y = r.uniform(0.08, 0.2)
            for sx in (-1, 1):
                p.block(sx * xs, 0, lt * 0.7, 2 * zs, y, y + lt * 0.7)
    elif legs == 1:  # office chair: a column on a star or disc base
        column, spread, base = r.uniform(0.04, 0.08), r.uniform(0.22, 0.32), r.uniform(0.03, 0.06)
        p.column(0, 0, column / 2, column / 2, base, bottom)
        if r.chance(0.6):
            p.block(0, 0, 2 * spread, 0.05, 0, base)
            p.block(0, 0, 0.05, 2 * spread, 0, base)
        else:
            p.column(0, 0, spread, spread, 0, base)
    else:  # two side panels (a sled frame)
        pt = r.uniform(0.02, 0.06)
        for sx in (-1, 1):
            p.block(sx * (w / 2 - pt / 2), 0, pt, d * r.uniform(0.8, 1.0), 0, bottom)
    # The back: a panel, slats between two posts, or rails between two posts.
    bh, bt, bw = r.uniform(0.25, 0.6), r.uniform(0.025, 0.08), w * r.uniform(0.8, 1.0)
    z0, z1 = d / 2 - bt, d / 2
    style = r.choice((0.45, 0.3, 0.25))
    if style == 0:
        gap = r.uniform(0.0, 0.12) if r.chance(0.4) else 0.0
        p.box(-bw / 2, bw / 2, h + gap, h + bh, z0, z1)
        if gap:
            for sx in (-1, 1):
                p.box(sx * bw / 2 - sx * bt, sx * bw / 2, h, h + gap, z0, z1)
    else:
        post = r.uniform(0.025, 0.06)
        for x0, x1 in ((-bw / 2, -bw / 2 + post), (bw / 2 - post, bw / 2)):
            p.box(x0, x1, h, h + bh, z0, z1)
        rail = r.uniform(0.04, 0.1)
        p.box(-bw / 2, bw / 2, h + bh - rail, h + bh, z0, z1)
        inner = bw / 2 - post
        if style == 1:
            n = r.integer(2, 5)
            slat = r.uniform(0.02, 0.05)
            for k in range(n):
                cx = -inner + (k + 1) * 2 * inner / (n + 1)
                p.box(cx - slat / 2, cx + slat / 2, h, h + bh, z0 + bt * 0.2, z1 - bt * 0.2)
        else:
            n = r.integer(1, 3)
            for k in range(n):
                y = h + (k + 1) * (bh - rail) / (n + 1)
                p.box(-inner, inner, y - rail / 3, y + rail / 3, z0, z1)
    if r.chance(0.35):  # arm rests on front posts
        ah, aw = r.uniform(0.17, 0.28), r.uniform(0.04, 0.09)
        for sx in (-1, 1):
            x = sx * (w / 2 - aw / 2)
            p.block(x, 0, aw, d, h + ah - aw * 0.7, h + ah)
            p.block(x, -d / 2 + aw, aw * 0.8, aw * 0.8, h, h + ah)


def _table(p, r):
    # A side table, a console, a dining table; coffee, dining or bar height.
    w = r.uniform(0.45, 0.8) if r.chance(0.25) else r.uniform(0.8, 2.0)
    round_top = r.chance(0.3)
    d = w * (r.uniform(0.75, 1.0) if round_top else r.uniform(0.3, 1.0))
    h = r.uniform(*((0.38, 0.5), (0.65, 0.78), (0.9, 1.05))[r.choice((0.3, 0.55, 0.15))])
    t = r.uniform(0.025, 0.07)
    bottom = h - t
    if round_top:
        p.column(0, 0, w / 2, d / 2, bottom, h)
    else:
        p.block(0, 0, w, d, bottom, h)
    legs = r.choice((0.55, 0.2, 0.25))
    if legs == 0:  # four legs
        lt = r.uniform(0.03, 0.08)
        reach = 0.68 if round_top else 1.0  # legs stay under a round top
        xs = reach * w / 2 - r.uniform(0.0, 0.1) - lt / 2
        zs = reach * d / 2 - r.uniform(0.0, 0.1) - lt / 2
        round_legs = r.chance(0.35)
        for sx, sz in itertools.product((-1, 1), repeat=2):
            if round_legs:
                p.column(sx * xs, sz * zs, lt / 2, lt / 2, 0, bottom)
            else:
                p.block(sx * xs, sz * zs, lt, lt, 0, bottom)
        if r.chance(0.4):  # apron
            ah = r.uniform(0.05, 0.12)
            p.box(-xs, xs, bottom - ah, bottom, -zs - lt / 4, -zs + lt / 4)
            p.box(-xs, xs, bottom - ah, bottom, zs - lt / 4, zs + lt / 4)
            p.box(-xs - lt / 4, -xs + lt / 4, bottom - ah, bottom, -zs, zs)
            p.box(xs - lt / 4, xs + lt / 4, bottom - ah, bottom, -zs, zs)
        if r.chance(0.25):  # lower shelf
            y = r.uniform(0.08, 0.25)
            p.box(-xs, xs, y, y + t, -zs, zs)
        if not round_top and w > 0.9 and r.chance(0.3):  # a desk: drawers down one side
            p.box(xs - w * r.uniform(0.25, 0.4), xs + lt / 2, 0, bottom, -zs - lt / 2, zs + lt / 2)
    elif legs == 1:  # pedestal on a disc or a cross
        column = r.uniform(0.06, 0.18)
        foot = min(w, d) * r.uniform(0.25, 0.45)
        ft = r.uniform(0.03, 0.07)
        if r.chance(0.5):
            p.column(0, 0, column / 2, column / 2, ft, bottom)
        else:
            p.block(0, 0, column, column, ft, bottom)
        if r.chance(0.5):
            p.column(0, 0, foot, foot, 0, ft)
        else:
            p.block(0, 0, 2 * foot, 0.06, 0, ft)
            p.block(0, 0, 0.06, 2 * foot, 0, ft)
    else:  # trestle: two end panels and a stretcher
        pt = r.uniform(0.03, 0.08)
        xs = w / 2 * (0.7 if round_top else 1.0) - r.uniform(0.05, 0.15)
        depth = d * r.uniform(0.5, 0.85)
        for sx in (-1, 1):
            p.block(sx * xs, 0, pt, depth, 0, bottom)
            p.block(sx * xs, 0, pt * 2, depth * 1.1, 0, 0.04)
        y = r.uniform(0.1, 0.35)
        p.box(-xs, xs, y, y + pt, -pt, pt)
    if r.chance(0.5):
        p.mirror_x()


def _sofa(p, r):
    # From an armchair to a three-seater.
    w = r.uniform(0.8, 1.1) if r.chance(0.25) else r.uniform(1.3, 2.5)
    d, seat = r.uniform(0.7, 1.0), r.uniform(0.38, 0.48)
    leg = r.uniform(0.05, 0.15) if r.chance(0.5) else 0.0
    cushion = r.uniform(0.08, 0.18)
    back, bt = r.uniform(0.7, 1.0), r.uniform(0.15, 0.28)
    arms = (2, 1, 0)[r.choice((0.72, 0.12, 0.16))]
    aw, ah, rolled = r.uniform(0.08, 0.25), r.uniform(0.5, 0.68), r.chance(0.3)
    p.box(-w / 2, w / 2, leg, seat - cushion, -d / 2, d / 2)  # base
    p.box(-w / 2, w / 2, leg, back, d / 2 - bt, d / 2)  # back
    left = -w / 2 + (aw if arms >= 1 else 0.0)
    right = w / 2 - (aw if arms == 2 else 0.0)
    n = r.integer(1, 3) if w > 1.2 else 1
    gap = 0.012
    for k in range(n):  # seat cushions
        x0 = left + k * (right - left) / n
        p.box(x0 + gap, x0 + (right - left) / n - gap, seat - cushion, seat, -d / 2, d / 2 - bt)
    if r.chance(0.4):  # back cushions
        ct = r.uniform(0.08, 0.14)
        top = back - r.uniform(0.0, 0.12)
        for k in range(n):
            x0 = left + k * (right - left) / n
            p.box(x0 + gap, x0 + (right - left) / n - gap, seat, top, d / 2 - bt - ct, d / 2 - bt)
    for side in (-1,) if arms == 1 else (-1, 1) if arms == 2 else ():
        x0, x1 = sorted((side * w / 2, side * (w / 2 - aw)))
        top = ah - (aw / 2 if rolled else 0.0)
        p.box(x0, x1, leg, top, -d / 2, d / 2)
        if rolled:
            p.rod(2, x0 - aw * 0.1, x1 + aw * 0.1, top - aw * 0.6, ah, -d / 2, d / 2)
    if r.chance(0.2) and w > 1.6:  # chaise: an L-shaped sectional
        cw, ext = r.uniform(0.55, 0.8), r.uniform(0.5, 0.8)
        x0 = right - cw
        p.box(x0, right, leg, seat - cushion, -d / 2 - ext, -d / 2)
        p.box(x0 + gap, right - gap, seat - cushion, seat, -d / 2 - ext, -d / 2)
    if leg:
        lt = r.uniform(0.04, 0.08)
        columns = (-1, 0, 1) if w > 2.0 else (-1, 1)
        for sx, sz in itertools.product(columns, (-1, 1)):
            p.block(sx * (w / 2 - lt), sz * (d / 2 - lt), lt, lt, 0, leg)
    if r.chance(0.5):
        p.mirror_x()


def _bed(p, r):
    length, w = r.uniform(1.9, 2.2), r.uniform(0.9, 2.0)
    raised = r.uniform(0.1, 0.3) if r.chance(0.5) else 0.0
    frame = raised + r.uniform(0.12, 0.25)
    top = frame + r.uniform(0.15, 0.3)
    inset = r.uniform(0.0, 0.04)
    p.box(-w / 2, w / 2, raised, frame, -length / 2, length / 2)
    p.box(-w / 2 + inset, w / 2 - inset, frame, top, -length / 2 + inset, length / 2 - inset)
    ht = r.uniform(0.04, 0.1)
    head = top + r.uniform(0.2, 0.8)
    if r.chance(0.6):
        p.box(-w / 2, w / 2, 0, head, length / 2, length / 2 + ht)
    else:  # posts and a panel
        post = r.uniform(0.05, 0.1)
        for sx in (-1, 1):
            p.block(sx * (w / 2 - post / 2), length / 2 + ht / 2, post, ht, 0, head)
        p.box(-w / 2, w / 2, top - 0.05, head - r.uniform(0.0, 0.1), length / 2, length / 2 + ht)
    if r.chance(0.45):  # footboard
        foot = top + r.uniform(-0.1, 0.3)
        p.box(-w / 2, w / 2, 0, foot, -length / 2 - ht, -length / 2)
    pillows = r.choice((0.25, 0.35, 0.4))
    pw = (w - 2 * inset) / max(pillows, 1)
    for k in range(pillows):
        x0 = -w / 2 + inset + k * pw
        z1 = length / 2 - r.uniform(0.05, 0.15)
        p.box(x0 + 0.05, x0 + pw - 0.05, top, top + r.uniform(0.08, 0.16), z1 - 0.4, z1)
    if raised:
        lt = r.uniform(0.05, 0.1)
        for sx, sz in itertools.product((-1, 1), repeat=2):
            p.block(sx * (w / 2 - lt / 2), sz * (length / 2 - lt / 2), lt, lt, 0, raised)
    if r.chance(0.12):  # bunk: a second bed on four posts
        y = top + r.uniform(0.7, 0.95)
        p.box(-w / 2, w / 2, y, y + 0.15, -length / 2, length / 2)
        p.box(-w / 2 + inset, w / 2 - inset, y + 0.15, y + 0.33, -length / 2, length / 2)
        post = 0.07
        for sx, sz in itertools.product((-1, 1), repeat=2):
            p.block(sx * (w / 2 + post / 2), sz * (length / 2 - post / 2), post, post, 0, y + 0.55)
    elif r.chance(0.15):  # a daybed: a back along one long side, the ends as arms
        p.box(w / 2, w / 2 + ht, 0, top + r.uniform(0.25, 0.45), -length / 2 - ht, length / 2 + ht)
        p.box(-w / 2, w / 2, 0, top + r.uniform(0.1, 0.25), -length / 2 - ht, -length / 2)
    if r.chance(0.5):
        p.mirror_x()


def _bookshelf(p, r):
    w, d = r.uniform(0.5, 1.8), r.uniform(0.25, 0.45)
    h = r.uniform(0.5, 0.9) if r.chance(0.25) else r.uniform(0.9, 2.1)  # low or tall
    pt = r.uniform(0.02, 0.05)
    for sx in (-1, 1):
        p.box(*sorted((sx * w / 2, sx * (w / 2 - pt))), 0, h, -d / 2, d / 2)
    p.box(-w / 2, w / 2, h - pt, h, -d / 2, d / 2)
    kick = r.uniform(0.05, 0.12) if r.chance(0.5) else 0.0
    if kick:
        p.box(-w / 2 + pt, w / 2 - pt, 0, kick, -d / 2 + 0.03, d / 2)
    p.box(-w / 2 + pt, w / 2 - pt, kick, kick + pt, -d / 2, d / 2)
    if r.chance(0.75):
        p.box(-w / 2, w / 2, 0, h, d / 2 - pt / 2, d / 2)
    n = int(np.clip(round((h - kick) / r.uniform(0.25, 0.42)) - 1, 1, 6))
    spacing = (h - kick - pt) / (n + 1)
    levels = [kick + pt + k * spacing for k in range(n + 1)]
    for y in levels[1:]:
        p.box(-w / 2 + pt, w / 2 - pt, y - pt, y, -d / 2, d / 2 - pt / 2)
    dividers = r.integer(1, 2) if r.chance(0.3) else 0
    for k in range(dividers):
        x = -w / 2 + (k + 1) * w / (dividers + 1)
        p.box(x - pt / 2, x + pt / 2, kick, h, -d / 2, d / 2)
    if r.chance(0.6):  # books on some shelves
        for y in levels[:-1] if len(levels) > 1 else levels:
            if not r.chance(0.55):
                continue
            span = (w - 2 * pt) * r.uniform(0.25, 0.8)
            x0 = -w / 2 + pt + (w - 2 * pt - span) * r.uniform(0.0, 1.0)
            bh = (spacing - pt) * r.uniform(0.55, 0.9)
            p.box(x0, x0 + span, y, y + bh, -d / 2 + d * r.uniform(0.1, 0.3), d / 2 - pt)
    if r.chance(0.5):
        p.mirror_x()


def _lamp(p, r):
    floor = r.chance(0.5)
    h = r.uniform(1.2, 1.8) if floor else r.uniform(0.35, 0.7)
    scale = 1.0 if floor else 0.6
    base = r.choice((0.4, 0.25, 0.2, 0.15))  # disc, square, feet, vase (table lamps only)
    pole = r.uniform(0.01, 0.025) * scale
    bt = r.uniform(0.02, 0.05) * scale
    br = r.uniform(0.1, 0.2) * scale
    pole_from = bt
    if base == 0 or (base == 3 and floor):  # disc
        p.column(0, 0, br, br, 0, bt)
    elif base == 1:  # square plate
        p.block(0, 0, 1.6 * br, 1.6 * br, 0, bt)
    elif base == 2:  # four feet
        p.block(0, 0, 2 * br, 0.03, 0, bt)
        p.block(0, 0, 0.03, 2 * br, 0, bt)
    else:  # a vase, on table lamps
        vr, vh = r.uniform(0.07, 0.14), r.uniform(0.12, 0.28)
        p.ellipsoid(0, vh / 2, 0, vr, vh / 2, vr)
        pole_from = vh * 0.9
    shade_r = r.uniform(0.1, 0.25) * (1.0 if floor else 0.75)
    shade_h = r.uniform(0.12, 0.35) * (1.0 if floor else 0.7)
    shade = r.choice((0.35, 0.3, 0.2, 0.15))
    arm = r.uniform(0.2, 0.5) if r.chance(0.4) and floor else 0.0
    x = 0.0
    if arm:  # an arc lamp: the pole bends over and the shade hangs from the end
        p.column(0, 0, pole, pole, pole_from, h)
        p.box(-pole, arm, h - 2 * pole, h, -pole, pole)
        p.column(arm, 0, pole, pole, h - 0.08, h)
        x = arm
        top, shade = h - 0.08, 2 if shade < 2 else shade
    else:
        top = h
        p.column(0, 0, pole, pole, pole_from, h - shade_h * 0.5)
    if shade in (0, 1):  # a cone frustum or a drum
        taper = r.uniform(0.4, 0.8) if shade == 0 else 1.0
        p.column(x, 0, shade_r, shade_r, top - shade_h, top, taper=taper)
    elif shade == 2:  # a dome opening downwards
        p.ellipsoid(x, top - shade_h, 0, shade_r, shade_h, shade_r, y0=top - shade_h)
    else:  # a globe
        p.ellipsoid(x, top - shade_r, 0, shade_r, shade_r, shade_r)
    if r.chance(0.5):
        p.mirror_x()


def _monitor(p, r):
    sw = r.uniform(0.4, 1.4)  # from a desk monitor to a television
    sh, st = sw * r.uniform(0.5, 0.8), r.uniform(0.015, 0.05)
    bt = r.uniform(0.01, 0.03)
    neck_h = r.uniform(0.05, 0.2)
    y0 = bt + neck_h
    p.box(-sw / 2, sw / 2, y0, y0 + sh, -st / 2, st / 2)
    if r.chance(0.15):  # a CRT's deep body
        depth = r.uniform(0.25, 0.45)
        p.box(-sw * 0.4, sw * 0.4, y0 + sh * 0.1, y0 + sh * 0.9, st / 2, st / 2 + depth)
    elif r.chance(0.45):  # a back cover
        p.box(
            -sw * 0.35,
            sw * 0.35,
            y0 + sh * 0.2,
            y0 + sh * 0.8,
            st / 2,
            st / 2 + r.uniform(0.02, 0.06),
        )
    if r.chance(0.2):  # a TV on two feet
        for sx in (-1, 1):
            fx = sx * sw * r.uniform(0.25, 0.42)
            p.block(fx, 0, 0.03, 0.03, bt, y0)
            p.block(fx, 0, 0.06, r.uniform(0.12, 0.22), 0, bt)
        return
    nw, nd = r.uniform(0.03, 0.1), r.uniform(0.02, 0.05)
    nz = st / 2 + nd / 2
    p.block(0, nz, nw, nd, bt, y0 + sh * r.uniform(0.3, 0.5))
    bw, bd = r.uniform(0.15, 0.35), r.uniform(0.12, 0.25)
    if r.chance(0.5):
        p.column(0, nz, bw / 2, bd / 2, 0, bt)
    else:
        p.block(0, nz, bw, bd, 0, bt)


def _bathtub(p, r):
    length, w, h = r.uniform(1.3, 1.9), r.uniform(0.65, 0.95), r.uniform(0.4, 0.65)
    oval = r.chance(0.45)
    feet = r.uniform(0.08, 0.18) if r.chance(0.3) else 0.0
    wall, floor_t = r.uniform(0.05, 0.12), r.uniform(0.05, 0.12)
    rim = r.uniform(0.02, 0.05) if r.chance(0.3) else 0.0
    y0, y1 = feet, feet + h
    if oval:
        p.column(0, 0, length / 2, w / 2, y0, y0 + floor_t)
        p.column(0, 0, length / 2, w / 2, y0, y1, wall=wall)
        if rim:
            p.column(0, 0, length / 2 + rim, w / 2 + rim, y1 - 0.04, y1, wall=wall + rim)
    else:
        # Built in (no feet): sometimes a deck around the tub, as wide walls down to the floor.
        deck = r.uniform(0.05, 0.15) if not feet and r.chance(0.3) else 0.0
        x, z = length / 2 + deck, w / 2 + deck
        p.box(-x, x, y0, y0 + floor_t, -z, z)
        p.walls(-x, x, -z, z, y0, y1, wall + deck)
        if rim:
            p.walls(-x - rim, x + rim, -z - rim, z + rim, y1 - 0.04, y1, wall + rim)
    for sx, sz in itertools.product((-1, 1), repeat=2) if feet else ():
        p.block(sx * length * 0.32, sz * w * 0.3, 0.06, 0.06, 0, y0 + 0.02)
    if r.chance(0.15):  # a shower screen standing on the rim at one end
        sw = r.uniform(0.5, 0.8)
        p.box(length / 2 - sw, length / 2, y1, y1 + r.uniform(1.0, 1.4), -w / 2, -w / 2 + 0.03)
    if r.chance(0.5):
        p.mirror_x()


_BUILDERS = (_chair, _table, _sofa, _bed, _bookshelf, _lamp, _monitor, _bathtub)


# --------------------------------------------------------------------------------------------
# Rasterisation
# --------------------------------------------------------------------------------------------


def _index_range(lo, hi, resolution):
    """Voxels ``[start, stop)`` whose centre ``i + 0.5`` lies in [lo, hi) (voxel units); a range
    thinner than one voxel is widened to one voxel around its middle."""
    if hi - lo < 1.0:
        middle = 0.5 * (lo + hi)
        lo, hi = middle - 0.5, middle + 0.5
    return max(math.ceil(lo - 0.5), 0), min(math.ceil(hi - 0.5), resolution)


def _rasterise(parts, resolution):
    """Occupancy (R, R, R) bool, axes (depth, height, width), of the parts fitted into the grid."""
    low, high = parts.bounds()
    scale = (1.0 - 2.0 * PADDING) * resolution / float(np.max(high - low))
    # Model -> voxel units: centred across x and z, standing on the floor layer.
    offset = np.array(
        [
            resolution / 2 - scale * (low[0] + high[0]) / 2,
            PADDING * resolution - scale * low[1],
            resolution / 2 - scale * (low[2] + high[2]) / 2,
        ]
    )
    grid = np.zeros((resolution,) * 3, dtype=bool)
    for kind, lo, hi, extra in parts.items:
        # Array axes are (z, y, x): reverse the model's (x, y, z).
        lo = (np.asarray(lo) * scale + offset)[::-1]
        hi = (np.asarray(hi) * scale + offset)[::-1]
        if kind == "ell":
            extra = tuple(np.asarray(extra) * scale + offset[1])
        box_lo, box_hi = _part_box(kind, lo, hi, extra, axes=(2, 1, 0))
        window = tuple(slice(*_index_range(box_lo[k], box_hi[k], resolution)) for k in range(3))
        if any(s.start >= s.stop for s in window):
            continue
        if kind == "box":
            grid[window] = True
            continue
        centres = [
            (np.arange(s.start, s.stop, dtype=np.float64) + 0.5).reshape(
                [-1 if k == j else 1 for j in range(3)]
            )
            for k, s in enumerate(window)
        ]
        centre, half = (lo + hi) / 2, (hi - lo) / 2
        if kind == "cyl":
            axis, taper, wall = 2 - extra[0], extra[1], extra[2]
            along = np.clip((centres[axis] - lo[axis]) / max(hi[axis] - lo[axis], 1e-9), 0, 1)
            size = 1.0 + (taper - 1.0) * along
            across = [k for k in range(3) if k != axis]
            offsets = [centres[k] - centre[k] for k in across]
            radii = [np.maximum(half[k] * size, _MIN_RADIUS) for k in across]
            mask = (offsets[0] / radii[0]) ** 2 + (offsets[1] / radii[1]) ** 2 <= 1.0
            if wall is not None:
                # A tube: outside the inner ellipse, whose radii are at least one voxel smaller.
                thick = max(wall * scale, 1.0)
                inner = [np.maximum(r - thick, 1e-9) for r in radii]
                mask &= (offsets[0] / inner[0]) ** 2 + (offsets[1] / inner[1]) ** 2 > 1.0
        else:
            radius = np.maximum(half, _MIN_RADIUS)
            mask = sum(((centres[k] - centre[k]) / radius[k]) ** 2 for k in range(3)) <= 1.0
        grid[window] |= mask
    return grid


def _build(index, seed):
    """The parts of object ``index`` and its class."""
    label = int(index) % len(SHAPE_CLASSES)
    u = np.random.default_rng((seed, int(index))).random(_N_UNIFORM)
    parts = _Parts()
    _BUILDERS[label](parts, _Draws(u.tolist()))
    return parts, label


def make_shapes(indices, resolution=32, seed=0):
    """Objects ``indices`` of the procedural family ``seed``, voxelised, with their classes.

    Args:
        indices: int or 1-D sequence of non-negative ints; object ``i`` is of class
            ``SHAPE_CLASSES[i % 8]`` and is the same whatever else is made with it.
        resolution: voxels per side (an int >= 16; 3D-GAN uses 64, its CPU variant 32). The same
            objects at every resolution.
        seed: non-negative int choosing the family of objects.

    Returns:
        ``(voxels, labels)``: float32 (N, R, R, R, 1) in {0, 1}, axes (depth, height, width) (see
        the module docstring), and int32 (N,) indices into ``SHAPE_CLASSES``.
    """
    resolution = _check_resolution(resolution)
    seed = check_seed(seed)
    indices = check_indices(indices)
    voxels = np.zeros((len(indices), resolution, resolution, resolution, 1), dtype=np.float32)
    labels = np.empty(len(indices), dtype=np.int32)
    for n, index in enumerate(indices):
        parts, labels[n] = _build(index, seed)
        voxels[n, ..., 0] = _rasterise(parts, resolution)
    return voxels, labels


def upright_xyz(voxels):
    """A grid or batch (..., D, H, W[, 1]) as bool (..., x, y, z) with z up, the order that
    ``matplotlib``'s ``Axes3D.voxels`` draws upright."""
    array = np.asarray(voxels.numpy() if hasattr(voxels, "numpy") else voxels)
    if array.ndim >= 4 and array.shape[-1] == 1:
        array = array[..., 0]
    if array.ndim < 3:
        raise ValueError(
            f"`voxels` must have rank >= 3 (..., depth, height, width); received shape {array.shape}."
        )
    # (depth, height, width) = (y, z, x) of a right-handed z-up frame.
    return np.moveaxis(array > 0.5, (-3, -2, -1), (-2, -1, -3))


# --------------------------------------------------------------------------------------------
# Rendered views
# --------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4)
def _camera(resolution, size, azimuth, elevation):
    """The voxels each ray of an orthographic camera passes through, in order, and how it enters them.

    Returns ``(cells, entry, axis, lambert)``: each ray's cells as flat indices (pixels, crossings)
    into the grid padded by one empty layer (cells outside the grid are padding), the distance at
    which the ray enters each cell, the axis (0: depth, 1: height, 2: width) of the face it enters
    through, and Lambert's cosine of a face entered across each axis.
    """
    az, el = math.radians(azimuth), math.radians(elevation)
    # Unit vector from the object to the camera (model x, y, z); azimuth 0 looks at the front, 90
    # at the right side.
    eye = np.array([math.sin(az) * math.cos(el), math.sin(el), -math.cos(az) * math.cos(el)])
    right = np.array([math.cos(az), 0.0, math.sin(az)])
    up = np.cross(right, eye)
    # The image frames the projection of the whole unit cube, the same for every object.
    corners = np.array(list(itertools.product((-0.5, 0.5), repeat=3)))
    half = max(np.abs(corners @ right).max(), np.abs(corners @ up).max())
    across = ((np.arange(size) + 0.5) / size * 2.0 - 1.0) * half
    origins = (
        0.5
        + across[None, :, None] * right
        - across[:, None, None] * up  # row 0 is the top of the image
        + 0.9 * eye  # outside the cube, whose half-diagonal is 0.866
    ).reshape(-1, 3)[:, ::-1]  # grid axes: (depth z, height y, width x)
    direction = -eye[::-1]
    # Where each ray crosses the planes between voxels: sorted, these split it into the segments
    # it spends in one voxel each (exact, unlike sampling the ray at steps).
    planes = np.arange(resolution + 1) / resolution
    with np.errstate(divide="ignore"):
        crossing = (planes[None, None, :] - origins[:, :, None]) / direction[None, :, None]
    crossing = np.where(np.isfinite(crossing) & (crossing > 0), crossing, np.inf)
    crossing = crossing.reshape(len(origins), -1)
    order = np.argsort(crossing, axis=1, kind="stable")
    entry = np.take_along_axis(crossing, order, axis=1)
    axis = (order // (resolution + 1)).astype(np.int8)
    leave = np.concatenate([entry[:, 1:], np.full((len(entry), 1), np.inf)], axis=1)
    middle = np.where(np.isfinite(leave), (entry + leave) / 2, 0.0)
    points = origins[:, None, :] + middle[..., None] * direction
    inner = np.clip(np.floor(points * resolution).astype(np.int64), -1, resolution) + 1
    side = resolution + 2
    cells = (inner[..., 0] * side + inner[..., 1]) * side + inner[..., 2]
    # A ray through an edge or a corner crosses two planes at once: no voxel between them.
    with np.errstate(invalid="ignore"):  # inf - inf past the last crossing
        cells[~(leave - entry > 1e-9)] = 0
    # A light from above the camera's left shoulder; a face entered across axis k faces back
    # along the ray (its normal is -sign(direction[k]) along k). The brightest face gets 1.
    light = (0.6 * eye + up - 0.5 * right)[::-1]
    lambert = np.maximum(-np.sign(direction) * light, 0.0)
    lambert /= lambert.max()
    return cells.astype(np.int32), entry.astype(np.float32), axis, lambert.astype(np.float32)


def _check_views_input(voxels):
    array = np.asarray(voxels.numpy() if hasattr(voxels, "numpy") else voxels)
    shape = array.shape
    if array.ndim != 5 or shape[-1] != 1 or not shape[1] == shape[2] == shape[3]:
        raise ValueError(
            f"`voxels` must be a batch of cubic grids (batch, R, R, R, 1); received shape {shape}."
        )
    if shape[0] == 0 or shape[1] < 2:
        raise ValueError(f"`voxels` must not be empty; received shape {shape}.")
    if array.dtype != bool and not np.issubdtype(array.dtype, np.number):
        raise ValueError(f"`voxels` must be numbers or booleans; received dtype {array.dtype}.")
    if array.dtype != bool and not np.all(np.isfinite(array)):
        raise ValueError("`voxels` contains NaN or infinite values.")
    return array


def _check_view_options(size, azimuth, elevation, channels):
    if isinstance(size, bool) or not isinstance(size, int | np.integer) or size < 16:
        raise ValueError(f"`size` must be an integer >= 16; received {size!r}.")
    azimuth, elevation = _check_angle(azimuth, "azimuth"), _check_angle(elevation, "elevation")
    if abs(elevation) > 90:
        raise ValueError(f"`elevation` must be in [-90, 90] degrees; received {elevation!r}.")
    if isinstance(channels, bool) or channels not in (1, 3):
        raise ValueError(f"`channels` must be 1 or 3; received {channels!r}.")
    return int(size), azimuth, elevation


def render_views(voxels, size=64, azimuth=30.0, elevation=20.0, channels=1, threshold=0.5):
    """Shaded images of voxel grids seen from one direction, for the 3D-VAE-GAN's image encoder.

    An orthographic camera looks at the grid's unit cube from ``azimuth`` degrees around the
    vertical axis (0: from the front, 90: from the right side) and ``elevation`` degrees above the
    horizon. Each pixel's ray stops at the first voxel above ``threshold`` (so generated occupancy
    probabilities render too); its brightness is Lambertian shading of the voxel face it enters, under
    a light from above the camera's left shoulder, darkened with depth (a shaded depth image). The
    image frames the whole cube, so every object of a resolution is drawn at the same scale.

    Args:
        voxels: (N, R, R, R, 1) occupancy, axes (depth, height, width) as ``make_shapes`` returns.
        size: image side in pixels (>= 16).
        azimuth, elevation: camera direction in degrees.
        channels: 1 (grey) or 3 (the grey image repeated, for encoders that expect RGB).
        threshold: occupancy above which a voxel is solid.

    Returns:
        float32 (N, size, size, channels) in [-1, 1]: background -1, objects in about [-0.7, 1].
    """
    array = _check_views_input(voxels)
    size, azimuth, elevation = _check_view_options(size, azimuth, elevation, channels)
    resolution = array.shape[1]
    cells, entry, axis, lambert = _camera(resolution, size, azimuth, elevation)
    side = resolution + 2
    pixels = np.arange(len(cells))[None, :]
    images = np.empty((len(array), size * size), dtype=np.float32)
    padded = np.zeros((min(len(array), _RENDER_CHUNK), side, side, side), dtype=bool)
    for start in range(0, len(array), _RENDER_CHUNK):
        chunk = array[start : start + _RENDER_CHUNK, ..., 0]
        n = len(chunk)
        padded[:n, 1:-1, 1:-1, 1:-1] = chunk > threshold
        solid = padded[:n].reshape(n, -1)[:, cells]  # (n, pixels, crossings)
        first = solid.argmax(axis=2)
        hit = solid.any(axis=2)
        t = entry[pixels, first]
        depth = np.clip((t - (0.9 - 0.866)) / 1.732, 0.0, 1.0)
        brightness = (0.25 + 0.75 * lambert[axis[pixels, first]]) * (1.0 - 0.4 * depth)
        images[start : start + n] = np.where(hit, brightness * 2.0 - 1.0, -1.0)
    images = images.reshape(len(array), size, size, 1)
    return np.repeat(images, 3, axis=-1) if channels == 3 else images


# --------------------------------------------------------------------------------------------
# tf.data pipeline
# --------------------------------------------------------------------------------------------


def shape_dataset(
    batch_size=32,
    resolution=32,
    seed=0,
    split="train",
    start=0,
    count=None,
    with_labels=False,
    with_views=False,
    view_size=64,
    azimuth=30.0,
    elevation=20.0,
    view_channels=1,
    repeat=True,
    shuffle=False,
    drop_remainder=True,
):
    """A ``tf.data.Dataset`` of procedural object batches, voxelised (and rendered) on the fly.

    Args:
        batch_size: objects per batch.
        resolution: voxels per side (>= 16).
        seed: the family of objects (see ``make_shapes``).
        split: a key of ``SHAPE_SPLITS`` ("train" or "heldout"), whose index range is used; or None
            for the indices ``start, start + 1, ...`` with no upper end.
        start: first index, counted from the beginning of ``split``.
        count: number of objects (default: to the end of the split; unbounded without a split).
        with_labels: add the int32 class labels (batch,).
        with_views: add rendered views (batch, view_size, view_size, view_channels) in [-1, 1]
            (``render_views`` with ``azimuth``, ``elevation``).
        repeat: start over after ``count`` objects, forever.
        shuffle: shuffle the indices (a buffer of up to 10,000, seeded by ``seed``, a new order each
            pass). Off by default: objects are independent draws and consecutive indices already
            cycle through the classes.
        drop_remainder: drop a last, smaller batch so that the batch dimension is static.

    Returns:
        Batches of float32 voxels (batch, R, R, R, 1) in {0, 1}; with ``with_labels`` and/or
        ``with_views`` a tuple ``(voxels, labels)``, ``(voxels, views)`` or
        ``(voxels, labels, views)``, in that order. The order is deterministic.
    """
    import tensorflow as tf

    batch_size = check_positive_int(batch_size, "batch_size")
    resolution = _check_resolution(resolution)
    seed = check_seed(seed)
    if with_views:
        view_size, azimuth, elevation = _check_view_options(
            view_size, azimuth, elevation, view_channels
        )
    first, stop = index_range(SHAPE_SPLITS, split, start, count, "objects")
    indices = index_dataset(first, stop, shuffle, repeat, seed)
    batch = batch_size if drop_remainder else None

    def make(index_batch):
        voxels, labels = make_shapes(index_batch, resolution=resolution, seed=seed)
        if not with_views:
            return voxels, labels
        views = render_views(voxels, view_size, azimuth, elevation, view_channels)
        return voxels, labels, views

    def build(index_batch):
        dtypes = [tf.float32, tf.int32] + ([tf.float32] if with_views else [])
        outputs = tf.numpy_function(make, [index_batch], dtypes, stateful=False)
        outputs[0].set_shape((batch, resolution, resolution, resolution, 1))
        outputs[1].set_shape((batch,))
        if with_views:
            outputs[2].set_shape((batch, view_size, view_size, view_channels))
        chosen = [outputs[0]]
        chosen += [outputs[1]] if with_labels else []
        chosen += [outputs[2]] if with_views else []
        return chosen[0] if len(chosen) == 1 else tuple(chosen)

    dataset = indices.batch(batch_size, drop_remainder=drop_remainder)
    dataset = dataset.map(build, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
    return dataset.prefetch(tf.data.AUTOTUNE)
