"""PyTorch peer of the face-completion stage-3 train step (Li et al. 2017), for ``benchmarks.peers``.

- Generator (Section 3.1, with the authors' ``Model_G.prototxt`` as ``gan_papers.face_completion``
  builds it): 3x3 conv + ReLU encoder (w1 w1 | w2 w2 | w3 w3 | w4 x4, each stage then a 2x2 max-pool
  that keeps its indices), FC ``fc_units`` -> FC back to the bottleneck, a decoder of unpooling (the
  encoder's indices, SegNet) and 3x3 conv + ReLU stages (w2 w2 w2 w3 | w2 w2 | w2 w1 | w1 w1), a
  linear 3x3 output conv. No batch norm.
- Local and global discriminators (Section 3.2, ``Model_localD`` / ``Model_globalD.prototxt``):
  stages of 3x3 conv + 4x4 stride-2 conv, each + LeakyReLU 0.2, then a 4x4 "valid" conv to a logit.
- The parser (Section 3.3): SegNet-like, conv (no bias) + BN + ReLU twice per stage, max-pool with
  indices / unpooling, a 1x1 conv to 11 class logits; frozen, in inference mode.
- The step (Section 3.4, eq. 1-3, stage 3 of Section 4.1): a random square hole per face filled with
  U[-1, 1] noise; G's loss L_r (squared error summed over pixels) + l1 L_a1 (local D on the patch
  around the hole) + l2 L_a2 (global D on the composite, its gradient reaching G's output everywhere:
  ``gradstack.m``) + l3 L_p (the parse of the composite against the parse of the face); G's Adam step,
  then one step of each discriminator on the same completions ("shared" batch).
"""

import torch
import torch.nn.functional as F
from torch import nn

from benchmarks._torch_peers import adam, count, d_loss, descend, frozen, g_loss

_PARSER_BN = {"momentum": 0.01, "eps": 1e-3}  # Keras' defaults, as the package's parser


def _convs(c_in, widths):
    layers = []
    for w in widths:
        layers += [nn.Conv2d(c_in, w, 3, padding=1), nn.ReLU()]
        c_in = w
    return nn.Sequential(*layers)


class Generator(nn.Module):
    def __init__(self, image_size, widths, fc_units):
        super().__init__()
        w1, w2, w3, w4 = widths
        self.w4, self.side = w4, image_size // 16
        encoder, c = [], 3
        for stage in ((w1, w1), (w2, w2), (w3, w3), (w4, w4, w4, w4)):
            encoder.append(_convs(c, stage))
            c = stage[-1]
        self.encoder = nn.ModuleList(encoder)
        flat = self.side * self.side * w4
        self.fc = nn.Sequential(
            nn.Flatten(), nn.Linear(flat, fc_units), nn.ReLU(), nn.Linear(fc_units, flat), nn.ReLU()
        )
        decoder = []
        for stage in ((w2, w2, w2, w3), (w2, w2), (w2, w1), (w1, w1)):
            decoder.append(_convs(c, stage))
            c = stage[-1]
        self.decoder = nn.ModuleList(decoder)
        self.output = nn.Conv2d(c, 3, 3, padding=1)

    def forward(self, x):
        indices = []
        for block in self.encoder:
            x, index = F.max_pool2d(block(x), 2, return_indices=True)
            indices.append(index)
        x = self.fc(x).view(-1, self.w4, self.side, self.side)
        for block, index in zip(self.decoder, reversed(indices), strict=True):
            x = block(F.max_unpool2d(x, index, 2))
        return self.output(x)


def discriminator(widths):
    layers, c = [], 3
    for w in widths:
        layers += [nn.Conv2d(c, w, 3, padding=1), nn.LeakyReLU(0.2)]
        layers += [nn.Conv2d(w, w, 4, 2, padding=1), nn.LeakyReLU(0.2)]
        c = w
    return nn.Sequential(*layers, nn.Conv2d(c, 1, 4), nn.Flatten())


def _cbr(c_in, c):
    return [
        nn.Conv2d(c_in, c, 3, padding=1, bias=False),
        nn.BatchNorm2d(c, **_PARSER_BN),
        nn.ReLU(),
    ]


class Parser(nn.Module):
    def __init__(self, widths, num_classes=11):
        super().__init__()
        encoder, c = [], 3
        for w in widths:
            encoder.append(nn.Sequential(*_cbr(c, w), *_cbr(w, w)))
            c = w
        decoder = []
        for stage, w in enumerate(reversed(widths), start=1):
            following = widths[-stage - 1] if stage < len(widths) else w
            decoder.append(nn.Sequential(*_cbr(c, w), *_cbr(w, following)))
            c = following
        self.encoder, self.decoder = nn.ModuleList(encoder), nn.ModuleList(decoder)
        self.logits = nn.Conv2d(c, num_classes, 1)

    def forward(self, x):
        indices = []
        for block in self.encoder:
            x, index = F.max_pool2d(block(x), 2, return_indices=True)
            indices.append(index)
        for block, index in zip(self.decoder, reversed(indices), strict=True):
            x = block(F.max_unpool2d(x, index, 2))
        return self.logits(x)


def networks(spec):
    s = spec["image_size"]
    return {
        "generator": Generator(s, spec["g_widths"], spec["fc_units"]),
        "local_discriminator": discriminator(spec["local_widths"]),
        "global_discriminator": discriminator(spec["global_widths"]),
        "parser": Parser(spec["parser_widths"]),
    }


def _crop(images, rows, cols, size):
    """The ``size`` squares of ``images`` (B, C, H, W) at top-left corners (rows, cols)."""
    offsets = torch.arange(size)
    r = (rows[:, None] + offsets)[:, None, :, None]  # (B, 1, P, 1)
    c = (cols[:, None] + offsets)[:, None, None, :]  # (B, 1, 1, P)
    batch = torch.arange(len(images))[:, None, None, None]
    channels = torch.arange(images.shape[1])[None, :, None, None]
    return images[batch, channels, r, c]


def build_face_completion(spec):
    nets = networks(spec)
    g, local_d, global_d, parser = (nets[k] for k in nets)
    g.train(), local_d.train(), global_d.train()
    parser.eval().requires_grad_(False)
    g_opt = adam(g, spec["g_lr"], 0.9)
    local_opt, global_opt = adam(local_d, spec["d_lr"], 0.5), adam(global_d, spec["d_lr"], 0.5)
    b, s, hole, patch = spec["batch"], spec["image_size"], spec["hole_size"], spec["patch_size"]
    lam_local, lam_global, lam_parsing = spec["lambdas"]
    faces = torch.rand(b, 3, s, s) * 2 - 1
    positions = torch.arange(s)

    def step():
        corner = torch.randint(0, s - hole + 1, (2, b))
        inside = [(positions >= c[:, None]) & (positions < c[:, None] + hole) for c in corner]
        mask = 1.0 - (inside[0][:, :, None] & inside[1][:, None, :]).float()[:, None]
        noise = torch.rand_like(faces) * 2 - 1
        output = g(faces * mask + noise * (1 - mask))
        completed = faces * mask + output * (1 - mask)
        origin = (corner + hole // 2 - patch // 2).clamp(0, s - patch)  # the patch around the hole
        real_patches = _crop(faces, origin[0], origin[1], patch)
        fake_patches = _crop(completed, origin[0], origin[1], patch)
        with frozen(local_d, global_d):
            reconstruction = (output - faces).square().sum(dim=(1, 2, 3)).mean()  # L_r
            local = g_loss(local_d(fake_patches))  # L_a1
            straight_through = completed.detach() + (output - output.detach())
            global_ = g_loss(global_d(straight_through))  # L_a2
            with torch.no_grad():
                labels = parser(faces).argmax(dim=1)
            parsing = F.cross_entropy(parser(completed), labels, reduction="none")
            parsing = parsing.sum(dim=(1, 2)).mean()  # L_p
            loss = reconstruction + lam_local * local + lam_global * global_
            descend(g_opt, loss + lam_parsing * parsing)  # eq. 3
        descend(local_opt, d_loss(local_d(real_patches), local_d(fake_patches.detach())))
        descend(global_opt, d_loss(global_d(faces), global_d(completed.detach())))

    return {"step": step, "items": b, "counts": {k: count(v) for k, v in nets.items()}}
