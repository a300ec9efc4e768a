"""PyTorch peers of the package's 2-D networks and steps, for ``benchmarks.peers``.

Written from the papers (and the package's builders, whose layer shapes they copy one for one), with
random weights: the cost of a step, not its result, is what is compared. Each network holds exactly
as many numbers as its Keras twin: ``count`` adds batch norm's running mean and variance to the
parameters, because Keras' ``count_params`` counts the moving statistics (non-trainable weights).

- SRResNet and the SRGAN discriminator: Ledig et al. 2017, Section 2.2, Figure 4.
- VGG-19 up to phi_5,4 (conv5_4 after its ReLU): Simonyan & Zisserman 2015, Table 1 (config E);
  the content loss of Ledig et al., eq. 5, with the features scaled by 1/12.75 (Section 3.2).
- DCGAN: Radford et al. 2016, Section 3-4 and Figure 1 (5x5 kernels, BN, ReLU / LeakyReLU 0.2).
- The latent search: Yeh et al. 2017, Section 3.2, eq. 2-4 (Adam on z, z clipped to [-1, 1]).

Convention in every step: a network that is not being updated has ``requires_grad`` off while the
other's loss is differentiated, so that no gradient of its weights is computed (TensorFlow's tapes
differentiate only the variables asked for). Batch-norm momenta are PyTorch's (1 - Keras' momentum).
"""

import math

import torch
import torch.nn.functional as F
from torch import nn


def count(module):
    """Parameters plus batch norm's running statistics: what Keras' ``count_params`` counts."""
    stats = sum(
        b.numel()
        for name, b in module.named_buffers()
        if name.endswith(("running_mean", "running_var"))
    )
    return sum(p.numel() for p in module.parameters()) + stats


def frozen(*modules):
    """Context: ``requires_grad`` off for the weights of ``modules`` (restored afterwards)."""

    class _Frozen:
        def __enter__(self):
            for m in modules:
                m.requires_grad_(False)

        def __exit__(self, *exc):
            for m in modules:
                m.requires_grad_(True)

    return _Frozen()


def adam(module, lr, beta_1):
    # Keras' Adam epsilon (1e-7), so the update is the same arithmetic.
    return torch.optim.Adam(module.parameters(), lr=lr, betas=(beta_1, 0.999), eps=1e-7)


def descend(optimizer, loss):
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()


def d_loss(real_logits, fake_logits):
    """-log D(x) - log(1 - D(G(z))) on logits (``gan_papers.common.losses.discriminator_loss``)."""
    return F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean()


def g_loss(fake_logits):
    """-log D(G(z)), the non-saturating generator loss."""
    return F.softplus(-fake_logits).mean()


# ----------------------------------------------------------------------------- SRGAN (Ledig et al.)
_SR_BN = {"momentum": 0.01, "eps": 1e-3}  # Keras' 0.99 / 1e-3, the package's SRGAN builders


class _Residual(nn.Module):
    def __init__(self, f):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(f, f, 3, padding=1), nn.BatchNorm2d(f, **_SR_BN), nn.PReLU(f),
            nn.Conv2d(f, f, 3, padding=1), nn.BatchNorm2d(f, **_SR_BN),
        )  # fmt: skip

    def forward(self, x):
        return x + self.body(x)


class SRResNet(nn.Module):
    """Figure 4 (top): conv 9x9 -> PReLU, B residual blocks, conv -> BN + long skip, sub-pixel x2
    upsampling log2(scale) times (conv 256 -> PixelShuffle -> PReLU), conv 9x9 -> 3, tanh."""

    def __init__(self, num_blocks=16, filters=64, scale=4):
        super().__init__()
        f = filters
        self.head = nn.Sequential(nn.Conv2d(3, f, 9, padding=4), nn.PReLU(f))
        blocks = [_Residual(f) for _ in range(num_blocks)]
        self.trunk = nn.Sequential(
            *blocks, nn.Conv2d(f, f, 3, padding=1), nn.BatchNorm2d(f, **_SR_BN)
        )
        up = []
        for _ in range(int(math.log2(scale))):
            up += [nn.Conv2d(f, 4 * f, 3, padding=1), nn.PixelShuffle(2), nn.PReLU(f)]
        self.tail = nn.Sequential(*up, nn.Conv2d(f, 3, 9, padding=4), nn.Tanh())

    def forward(self, lr):
        u = self.head(lr)
        return self.tail(self.trunk(u) + u)


_SR_D_BLOCKS = ((64, 2), (128, 1), (128, 2), (256, 1), (256, 2), (512, 1), (512, 2))


def sr_discriminator(input_size=96, dense_units=1024):
    """Figure 4 (bottom): 8 conv layers 64 -> 512 (BN after all but the first), Dense 1024, Dense 1."""
    layers, c = [nn.Conv2d(3, 64, 3, padding=1), nn.LeakyReLU(0.2)], 64
    for f, s in _SR_D_BLOCKS:
        layers += [nn.Conv2d(c, f, 3, s, padding=1), nn.BatchNorm2d(f, **_SR_BN), nn.LeakyReLU(0.2)]
        c = f
    side = input_size // 16
    layers += [nn.Flatten(), nn.Linear(c * side * side, dense_units), nn.LeakyReLU(0.2)]
    return nn.Sequential(*layers, nn.Linear(dense_units, 1))


_VGG19 = (64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M") + (512,) * 4


class VGG54(nn.Module):
    """VGG-19 (config E) up to conv5_4 and its ReLU, on [-1, 1] RGB with Caffe preprocessing."""

    def __init__(self):
        super().__init__()
        layers, c = [], 3
        for v in _VGG19:
            if v == "M":
                layers.append(nn.MaxPool2d(2))
            else:
                layers += [nn.Conv2d(c, v, 3, padding=1), nn.ReLU()]
                c = v
        self.features = nn.Sequential(*layers)
        self.register_buffer("bgr_mean", torch.tensor([103.939, 116.779, 123.68]).view(1, 3, 1, 1))

    def forward(self, images):
        bgr = torch.flip((images + 1.0) * 127.5, dims=(1,)) - self.bgr_mean
        return self.features(bgr)


def build_sr(case, spec):
    """SRResNet-MSE (``srresnet_mse``) or the SRGAN step with the VGG54 loss (``srgan_vgg54``)."""
    b, hr_size = spec["batch"], spec["hr"]
    lr = torch.rand(b, 3, hr_size // 4, hr_size // 4)
    hr = torch.rand(b, 3, hr_size, hr_size) * 2 - 1
    g = SRResNet().train()
    g_opt = adam(g, 1e-4, 0.9)
    if case == "srresnet_mse":

        def step():
            descend(g_opt, F.mse_loss(g(lr), hr))

        return {"step": step, "items": b, "counts": {"srresnet": count(g)}}

    d = sr_discriminator(hr_size).train()
    vgg = VGG54().eval().requires_grad_(False)
    d_opt = adam(d, 1e-4, 0.9)

    def step():  # SRGAN.train_step, update="alternating" (eq. 2, then eq. 3 against the new D)
        sr = g(lr)
        descend(d_opt, d_loss(d(hr), d(sr.detach())))
        with frozen(d):
            with torch.no_grad():
                phi_hr = vgg(hr) / 12.75
            content = F.mse_loss(vgg(sr) / 12.75, phi_hr)
            descend(g_opt, content + 1e-3 * g_loss(d(sr)))

    counts = {"generator": count(g), "discriminator": count(d), "vgg19_54": count(vgg)}
    return {"step": step, "items": b, "counts": counts}


# ----------------------------------------------------------------------------- DCGAN (Radford et al.)
_DC_BN = {"momentum": 0.1, "eps": 1e-5}  # the package's DCGAN: Keras 0.9 / 1e-5


class DCGANGenerator(nn.Module):
    """z -> Linear 4*4*base (no bias) -> BN -> ReLU -> [ConvT 5x5 s2, halving, BN, ReLU] -> ConvT 3, tanh."""

    def __init__(self, image_size=64, latent_dim=100, base_filters=512):
        super().__init__()
        k, c = int(math.log2(image_size // 4)), base_filters
        self.base = base_filters
        self.project = nn.Linear(latent_dim, 16 * c, bias=False)
        layers = [nn.BatchNorm2d(c, **_DC_BN), nn.ReLU()]
        for _ in range(1, k):
            layers += [
                nn.ConvTranspose2d(c, c // 2, 5, 2, padding=2, output_padding=1, bias=False),
                nn.BatchNorm2d(c // 2, **_DC_BN),
                nn.ReLU(),
            ]
            c //= 2
        layers += [nn.ConvTranspose2d(c, 3, 5, 2, padding=2, output_padding=1), nn.Tanh()]
        self.body = nn.Sequential(*layers)

    def forward(self, z):
        return self.body(self.project(z).view(-1, self.base, 4, 4))


def dcgan_discriminator(image_size=64, base_filters=64):
    """Conv 5x5 s2 (bias, no BN) -> LReLU -> [Conv 5x5 s2 doubling, BN, LReLU] -> Linear 1."""
    k, c = int(math.log2(image_size // 4)), base_filters
    layers = [nn.Conv2d(3, c, 5, 2, padding=2), nn.LeakyReLU(0.2)]
    for _ in range(2, k + 1):
        layers += [nn.Conv2d(c, 2 * c, 5, 2, 2, bias=False), nn.BatchNorm2d(2 * c, **_DC_BN)]
        layers.append(nn.LeakyReLU(0.2))
        c *= 2
    return nn.Sequential(*layers, nn.Flatten(), nn.Linear(c * 16, 1))


def dcgan_networks(spec):
    g = DCGANGenerator(spec["image_size"], spec["latent_dim"], spec["g_filters"])
    return g, dcgan_discriminator(spec["image_size"], spec["d_filters"])


def build_dcgan(spec):
    """DCGAN.train_step: D's step on (x, G(z)), then G's on the same z against the updated D."""
    g, d = dcgan_networks(spec)
    g.train(), d.train()
    g_opt, d_opt = adam(g, 2e-4, 0.5), adam(d, 2e-4, 0.5)
    b, s = spec["batch"], spec["image_size"]
    images = torch.rand(b, 3, s, s) * 2 - 1

    def step():
        z = torch.rand(b, spec["latent_dim"]) * 2 - 1
        with torch.no_grad():
            fake = g(z)
        descend(d_opt, d_loss(d(images), d(fake)))
        with frozen(d):
            descend(g_opt, g_loss(d(g(z))))

    return {"step": step, "items": b, "counts": {"generator": count(g), "discriminator": count(d)}}


# ----------------------------------------------------------------------------- latent search (Yeh et al.)
def importance_weights(mask, window):
    """Eq. 2: each known pixel's share of missing neighbours in its window (clipped at the border)."""
    kernel = torch.ones(1, 1, window, window)
    missing = F.conv2d(1.0 - mask, kernel, padding=window // 2)
    neighbours = F.conv2d(torch.ones_like(mask), kernel, padding=window // 2)
    return mask * missing / neighbours


def latent_search(g, d, corrupted, weights, iterations, lr=0.01, lam=0.003):
    """Eq. 4 for one batch: Adam on z, z clipped to [-1, 1]; G and D in inference mode."""
    z = (torch.rand(len(corrupted), g.project.in_features) * 2 - 1).requires_grad_()
    optimizer = torch.optim.Adam([z], lr=lr, betas=(0.9, 0.999), eps=1e-7)
    for _ in range(iterations):
        generated = g(z)
        context = (weights * (generated - corrupted)).abs().sum(dim=(1, 2, 3))  # L_c, eq. 2
        prior = lam * -F.softplus(d(generated)).mean(dim=1)  # L_p, eq. 3
        descend(optimizer, (context + prior).sum())
        with torch.no_grad():
            z.clamp_(-1.0, 1.0)
    return z.detach()


def build_latent_search(spec, side):
    """``torch_loop``: one image at a time; ``torch_batched``: all images in one batch."""
    g, d = dcgan_networks(spec)
    g.eval().requires_grad_(False), d.eval().requires_grad_(False)
    n, s, iterations = spec["images"], spec["image_size"], spec["iterations"]
    images = torch.rand(n, 3, s, s) * 2 - 1
    mask = torch.ones(n, 1, s, s)
    h = s // 2  # the centre block, a quarter of the area (gan_papers.common.masks.center_mask)
    mask[:, :, (s - h) // 2 : (s + h) // 2, (s - h) // 2 : (s + h) // 2] = 0
    corrupted, weights = images * mask, importance_weights(mask, spec["window"])

    def step():
        if side == "torch_batched":
            latent_search(g, d, corrupted, weights, iterations)
        else:
            for i in range(n):
                latent_search(g, d, corrupted[i : i + 1], weights[i : i + 1], iterations)

    counts = {"generator": count(g), "discriminator": count(d)}
    return {"step": step, "items": n * iterations, "counts": counts}


# ----------------------------------------------------------------------------- dispatch
def build(case, spec, side="torch"):
    """The PyTorch peer of ``case``: ``{"step", "items", "counts"}`` (``step()`` blocks)."""
    if case in ("srresnet_mse", "srgan_vgg54"):
        return build_sr(case, spec)
    if case.startswith("dcgan"):
        return build_dcgan(spec)
    if case == "latent_search":
        return build_latent_search(spec, side)
    if case.startswith("gan3d"):
        from benchmarks._torch_peers_3d import build_gan3d

        return build_gan3d(spec)
    if case == "face_completion":
        from benchmarks._torch_peers_fc import build_face_completion

        return build_face_completion(spec)
    raise ValueError(f"no PyTorch peer for case {case!r}")


def set_threads(threads):
    torch.set_num_threads(threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:  # already set in this process
        pass
