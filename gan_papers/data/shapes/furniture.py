"""Builders of chairs, tables, sofas and beds: each adds the parts of one object of its class to a
``Parts``, its proportions and options read from a ``Draws``.
"""

import itertools


def chair(p, r):
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


def table(p, r):
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


def sofa(p, r):
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


def bed(p, r):
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
