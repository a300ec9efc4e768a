"""Builders of bookshelves, lamps, monitors and bathtubs: each adds the parts of one object of its
class to a ``Parts``, its proportions and options read from a ``Draws``.
"""

import itertools

import numpy as np


def bookshelf(p, r):
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


def lamp(p, r):
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


def monitor(p, r):
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


def bathtub(p, r):
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
