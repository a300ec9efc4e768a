"""The solids a procedural object is made of, in model coordinates (metres): x right, y up (floor
y = 0), z away from the viewer; and the reader of the uniform numbers an object's builder draws.
"""

import numpy as np


class Draws:
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


class Parts:
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
            lo, hi = part_box(kind, np.array(lo, np.float64), np.array(hi, np.float64), extra)
            lows.append(lo)
            highs.append(hi)
        return np.min(lows, axis=0), np.max(highs, axis=0)


def part_box(kind, lo, hi, extra, axes=(0, 1, 2)):
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
