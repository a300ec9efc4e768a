"""PyTorch peer of the 3D-GAN train step (Wu et al. 2016, Section 3.1 and Figure 1), for
``benchmarks.peers``.

G: z (200) as a 1^3 grid -> ConvTranspose3d 4^3 "valid" -> [ConvTranspose3d 4^3 stride 2, BN, ReLU]
-> ConvTranspose3d to 1 channel, sigmoid. D: [Conv3d 4^3 stride 2, BN, LeakyReLU 0.2] -> Conv3d 4^3
"valid" to one logit. No convolution biases (the authors' code; ``gan_papers.gan3d.networks``); batch
norm with Torch's momentum 0.1 and epsilon 1e-5. The step is ``GAN3D.train_step`` with D's accuracy
gate open (threshold 1): D's step on (x, G(z)), then G's against the updated D on the same G(z).
Adam(beta_1 0.5), lr 0.0025 for G and 1e-5 for D (Section 3.1).
"""

import torch
from torch import nn

from benchmarks._torch_peers import adam, count, d_loss, descend, frozen, g_loss

_BN = {"momentum": 0.1, "eps": 1e-5}


def generator_3d(latent_dim, filters):
    layers = [nn.ConvTranspose3d(latent_dim, filters[0], 4, 1, 0, bias=False)]
    layers += [nn.BatchNorm3d(filters[0], **_BN), nn.ReLU()]
    for c_in, c in zip(filters, filters[1:], strict=False):
        layers += [nn.ConvTranspose3d(c_in, c, 4, 2, 1, bias=False), nn.BatchNorm3d(c, **_BN)]
        layers.append(nn.ReLU())
    layers += [nn.ConvTranspose3d(filters[-1], 1, 4, 2, 1, bias=False), nn.Sigmoid()]
    return nn.Sequential(nn.Unflatten(1, (latent_dim, 1, 1, 1)), *layers)


def discriminator_3d(filters):
    layers, c_in = [], 1
    for c in filters:
        layers += [nn.Conv3d(c_in, c, 4, 2, 1, bias=False), nn.BatchNorm3d(c, **_BN)]
        layers.append(nn.LeakyReLU(0.2))
        c_in = c
    return nn.Sequential(*layers, nn.Conv3d(c_in, 1, 4, bias=False), nn.Flatten())


def build_gan3d(spec):
    g = generator_3d(spec["latent_dim"], spec["g_filters"]).train()
    d = discriminator_3d(spec["d_filters"]).train()
    g_opt, d_opt = adam(g, 0.0025, 0.5), adam(d, 1e-5, 0.5)
    b, r = spec["batch"], spec["resolution"]
    voxels = (torch.rand(b, 1, r, r, r) > 0.7).float()

    def step():
        z = torch.rand(b, spec["latent_dim"])  # z ~ U[0, 1]^200
        fake = g(z)
        real_logits, fake_logits = d(voxels), d(fake.detach())
        descend(d_opt, d_loss(real_logits, fake_logits))
        # D's accuracy before its update (the gate reads it; threshold 1 always passes).
        _ = torch.cat([real_logits > 0, fake_logits < 0]).float().mean()
        with frozen(d):
            descend(g_opt, g_loss(d(fake)))

    return {"step": step, "items": b, "counts": {"generator": count(g), "discriminator": count(d)}}
