# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # SRGAN: photo-realistic single-image super-resolution with a GAN
#
# *Ledig et al., "Photo-Realistic Single Image Super-Resolution Using a Generative Adversarial Network",
# CVPR 2017 ([arXiv 1609.04802](https://arxiv.org/abs/1609.04802)).*
#
# **The idea.** A network trained to minimise the pixel-wise mean squared error (MSE) between its
# super-resolved image and the true high-resolution (HR) image learns to predict the *average* of all
# HR images that could have produced the low-resolution (LR) input. The average of many sharp images is
# blurry: MSE-optimal super-resolution scores a high PSNR and looks smooth. SRGAN changes the objective:
#
# 1. a **content loss** computed on VGG-19 feature maps instead of pixels, so that the result must have
#    the same *structures* as the HR image rather than the same pixel values, and
# 2. an **adversarial loss** from a discriminator trained to tell super-resolved images from real photos,
#    which pushes the result onto the manifold of natural images: sharp textures, even if they are not
#    exactly the ones in the HR image.
#
# The price is PSNR: SRGAN scores *lower* than its MSE-trained twin SRResNet in the paper's Table 2 and
# much higher in the mean opinion score of human raters. This notebook builds every piece from the
# `gan_papers.srgan` package, trains SRResNet and then SRGAN on the photos that ship with scikit-image,
# scikit-learn and matplotlib, and measures both against bicubic interpolation with the paper's
# protocol.

# %% tags=["parameters"]
import os

PROFILE = os.environ.get("GAN_PAPERS_PROFILE", "demo")  # "smoke", "demo", "paper" or "reference"
RUN_DIR = os.environ.get("GAN_PAPERS_RUN_DIR", "../runs/03_srgan")  # figures are saved here
DATA_DIR = None  # a folder prepared by `python -m data_scripts.div2k`; None = built-in photos
SEED = 0
OVERRIDES = {}  # config fields to change, e.g. {"pretrain_steps": 6000}

# %%
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1")  # fast CPU kernels on every x86 CPU
import json
import time
import warnings

import keras
import matplotlib.pyplot as plt
import numpy as np

import gan_papers
from gan_papers import reference, srgan
from gan_papers.common import uint8_to_signed
from gan_papers.common.callbacks import ImageGridCallback
from gan_papers.common.plotting import compare_with_zoom, image_grid, plot_history, save_figure
from gan_papers.common.precision import use_precision
from gan_papers.data import builtin_photos, div2k_dataset, heldout_pairs, sr_dataset

# Keras 3.15 warns that fit(shuffle=True), its default, is ignored for a tf.data.Dataset; it is.
warnings.filterwarnings("ignore", message="`shuffle=True` was passed")
keras.utils.set_random_seed(SEED)
os.makedirs(RUN_DIR, exist_ok=True)
config = srgan.get_config(PROFILE, **OVERRIDES)
policy = use_precision(config.precision)
started = time.time()
print(f"profile: {PROFILE}; dtype policy: {policy}")
print(f"{'setting':<22}{'paper':>12}{'this run':>12}")
for field, paper_value, value in srgan.differences_from_paper(config):
    print(f"{field:<22}{paper_value!s:>12}{value!s:>12}")

# %% [markdown]
# The table lists every setting this profile changes from the paper's recipe. The `demo` profile trains a
# thinner and shallower SRResNet on smaller crops with a ten times larger learning rate, and adds a
# global bicubic skip to it (explained below), so that it learns something measurable in a few minutes
# on a laptop CPU; `paper` uses the paper's values.
# `precision="auto"` trains in `mixed_bfloat16` on a CPU that computes bfloat16 natively (1.27 times
# faster here) and in float32 everywhere else; the variables and the final `tanh` stay float32.
#
# ## The equations
#
# The generator $G_{\theta_G}$ maps an LR image $I^{LR}$ to a super-resolved image $I^{SR}$. SRGAN trains
# it to minimise the **perceptual loss** (paper, eq. 3)
#
# $$ l^{SR} = \underbrace{l^{SR}_X}_{\text{content loss}} + 10^{-3}\, \underbrace{l^{SR}_{Gen}}_{\text{adversarial loss}} .$$
#
# The pixel-wise **MSE content loss** (eq. 4), for an $rW \times rH$ image and upscaling factor $r$:
#
# $$ l^{SR}_{MSE} = \frac{1}{r^2 W H} \sum_{x=1}^{rW} \sum_{y=1}^{rH} \left(I^{HR}_{x,y} - G_{\theta_G}(I^{LR})_{x,y}\right)^2 $$
#
# The **VGG content loss** (eq. 5) compares the feature maps $\phi_{i,j}$ of the $j$-th convolution
# (after its ReLU) before the $i$-th max-pooling layer of the ImageNet-trained VGG-19:
#
# $$ l^{SR}_{VGG/i.j} = \frac{1}{W_{i,j} H_{i,j}} \sum_{x,y} \left(\phi_{i,j}(I^{HR})_{x,y} - \phi_{i,j}(G_{\theta_G}(I^{LR}))_{x,y}\right)^2 $$
#
# The **adversarial loss** (eq. 6) is the non-saturating generator loss:
#
# $$ l^{SR}_{Gen} = \sum_{n=1}^{N} -\log D_{\theta_D}\left(G_{\theta_G}(I^{LR}_n)\right) $$
#
# and the discriminator $D_{\theta_D}$ solves the usual GAN problem (eq. 2):
#
# $$ \min_{\theta_G} \max_{\theta_D}\; \mathbb{E}_{I^{HR}}\left[\log D(I^{HR})\right] + \mathbb{E}_{I^{LR}}\left[\log\left(1 - D(G(I^{LR}))\right)\right] .$$

# %% [markdown]
# ## Data: LR/HR pairs from the built-in photos
#
# Training pairs are random HR crops (96x96 in the paper) and their LR versions, made by **bicubic
# downsampling by 4** (the paper's Section 3.2 and every benchmark). The benchmark LR images were made
# with MATLAB's `imresize`, an antialiased bicubic; `tf.image.resize` computes something different and a
# mismatched kernel costs several dB on Set5, so the package ships a MATLAB-compatible resize
# (`gan_papers.common.imresize`). The LR image is in $[0, 1]$, the HR image in $[-1, 1]$ (Section 3.2).
#
# Without a dataset on disk, the notebook uses every colour photo that ships with scikit-image,
# scikit-learn and matplotlib, split once and for all into 7 training and 4 held-out photos.

# %%
train_photos = builtin_photos("train")
test_photos = builtin_photos("heldout")
print(f"{len(train_photos)} training photos, {len(test_photos)} held-out photos")
fig = image_grid(
    [uint8_to_signed(image) for _, image in train_photos + test_photos],
    titles=[
        f"{name}{' (held out)' if i >= len(train_photos) else ''}"
        for i, (name, _) in enumerate(train_photos + test_photos)
    ],
)
save_figure(fig, f"{RUN_DIR}/photos.png")
plt.show()

# %%
if DATA_DIR is None:
    train_data = sr_dataset(
        "train",
        crop_size=config.crop_size,
        scale=config.scale,
        batch_size=config.batch_size,
        degradation=config.degradation,
        seed=SEED,
    )
else:
    train_data = div2k_dataset(
        DATA_DIR,
        split="train",
        crop_size=config.crop_size,
        scale=config.scale,
        batch_size=config.batch_size,
        seed=SEED,
    )
lr_batch, hr_batch = next(iter(train_data))
print("LR batch:", lr_batch.shape, f"[{lr_batch.numpy().min():.2f}, {lr_batch.numpy().max():.2f}]")
print("HR batch:", hr_batch.shape, f"[{hr_batch.numpy().min():.2f}, {hr_batch.numpy().max():.2f}]")

# %% [markdown]
# The paper's Section 2 also describes the LR image as the HR image *blurred with a Gaussian filter* and
# then subsampled; every experiment uses bicubic. The package offers both (`degradation="bicubic"`, the
# default, or `"gaussian"`); all numbers below assume bicubic, like the paper's tables.

# %%
gaussian_data = sr_dataset(
    "train",
    crop_size=config.crop_size,
    scale=config.scale,
    batch_size=config.batch_size,
    degradation="gaussian",
    seed=SEED,
)
lr_gauss, _ = next(iter(gaussian_data))
i = int(np.argmax(np.std(hr_batch, axis=(1, 2, 3))))  # the most textured crop shows the most
fig = image_grid(
    [hr_batch[i], lr_batch[i] * 2 - 1, lr_gauss[i] * 2 - 1],
    nrows=1,
    titles=["HR crop", "LR: bicubic x1/4", "LR: Gaussian blur + subsample"],
)
save_figure(fig, f"{RUN_DIR}/degradations.png")
plt.show()

# %% [markdown]
# ## The generator: SRResNet
#
# Figure 4 of the paper: a 9x9 convolution, $B = 16$ residual blocks (conv-BN-PReLU-conv-BN plus a skip),
# a long skip connection around all of them, then two sub-pixel upsampling stages (x2 each) and a final
# 9x9 convolution. The paper draws no output activation; the package ends with `tanh` so the output lies
# in the HR range $[-1, 1]$ (`output_activation=None` gives the linear output).

# %%
gan_papers.show_source(srgan.build_generator)

# %%
paper_generator = srgan.build_generator()
print(
    f"paper's SRResNet (B=16, x4): {paper_generator.count_params():,} parameters "
    f"({sum(int(np.prod(w.shape)) for w in paper_generator.trainable_weights):,} trainable)"
)
del paper_generator
# Keras' default jit_compile="auto" turns XLA on for a GPU only. On a CPU, XLA runs these
# convolutions about 1.5 times slower than oneDNN (benchmarks/srgan_demo_step.py), so the notebook leaves
# it off; the package's tests run every step with jit_compile=True all the same.
srresnet = srgan.build_srresnet(config)
print(
    f"this profile's SRResNet (B={config.generator.num_blocks}, {config.generator.filters} filters): "
    f"{srresnet.count_params():,} parameters"
)
print("LR", lr_batch.shape[1:], "-> SR", srresnet(lr_batch[:1]).shape[1:])

# %% [markdown]
# ### The demo's one change to the architecture: a global bicubic skip
#
# A network that outputs the whole HR image must first learn to copy its input: the flat sky, the
# colour of the skin, everything bicubic interpolation already gets right. In a few minutes of CPU
# training the paper's SRResNet does not finish that. Trained exactly as this notebook trains, but
# without the skip, it beat bicubic by only +0.27 to +0.58 dB on the held-out photos (seeds 0, 1, 2).
# It lost to bicubic on one photo on every seed, and over the flat night sky its output was 0.8 to 4.1
# grey levels too bright (`benchmarks/README.md`, SRGAN). So `demo` sets `bicubic_skip=True`.
#
# The generator then adds its output to the bicubic upsampling of the LR input: the global residual
# learning of VDSR (Kim et al. 2016). Its last convolution starts at zero, so the untrained network
# *is* bicubic, and training learns only what bicubic misses. The skip layer is MATLAB's bicubic
# written as one fixed 5x5 convolution followed by a pixel shuffle. It is not in the paper: the
# `paper` profile has no skip, and it is in the table of deviations above.

# %%
if config.generator.bicubic_skip:
    gan_papers.show_source(srgan.BicubicUpsample)
    _, lr_photo, _ = heldout_pairs(scale=config.scale)[0]
    untrained = np.clip(np.asarray(srresnet(lr_photo[None], training=False))[0], -1, 1)
    gap = np.abs(untrained - srgan.bicubic_upscale(lr_photo, config.scale)).max()
    print(f"untrained SRResNet against bicubic, largest difference: {gap:.1e} (of a range of 2)")

# %% [markdown]
# **Sub-pixel convolution** (Shi et al. 2016) upsamples by rearranging channels into space: a convolution
# produces $4 \times 64 = 256$ channels at LR resolution, and `depth_to_space` turns each group of 4
# channels into a 2x2 block of pixels. Below, four constant channels become one image with a 2x2 pattern.

# %%
gan_papers.show_source(srgan.PixelShuffle)
channels = np.stack([np.full((3, 3), v, "float32") for v in (0.0, 0.33, 0.66, 1.0)], axis=-1)
shuffled = srgan.PixelShuffle(2)(channels[None])[0, ..., 0]
fig, axes = plt.subplots(1, 5, figsize=(10, 2))
for i, ax in enumerate(axes[:4]):
    ax.imshow(channels[..., i], cmap="gray", vmin=0, vmax=1)
    ax.set_title(f"channel {i}")
axes[4].imshow(shuffled, cmap="gray", vmin=0, vmax=1)
axes[4].set_title("pixel shuffle x2")
for ax in axes:
    ax.axis("off")
plt.show()

# %% [markdown]
# ## The discriminator
#
# Eight 3x3 convolutions from 64 to 512 filters (stride 2 halves the resolution whenever the number of
# filters stays the same), batch-norm and LeakyReLU(0.2), then Dense(1024) and a single output. The paper
# ends with a sigmoid; here the discriminator returns a **logit** and the sigmoid lives inside the loss,
# where it is numerically safe. The Dense layer fixes the input size to the training crop.

# %%
gan_papers.show_source(srgan.build_discriminator)
print(
    f"paper's discriminator (96x96 input): {srgan.build_discriminator().count_params():,} parameters"
)

# %% [markdown]
# ## The content loss and the VGG-19 weights
#
# The VGG loss needs the ImageNet weights of VGG-19, which Keras downloads once into `~/.keras/models/`.
# Without them (offline, or on CI) the notebook says so and trains the paper's **SRGAN-MSE** variant
# instead (content loss = pixel MSE, Table 1 of the paper), which keeps the adversarial part intact.

# %%
gan_papers.show_source(srgan.ContentLoss)
content_loss = config.content_loss
if content_loss != "mse":
    try:
        content_loss = srgan.ContentLoss(config.content_loss)
        print(f"VGG-19 loaded: SRGAN trains with content loss {config.content_loss}.")
    except srgan.VGGWeightsUnavailableError as error:
        print(f"No ImageNet VGG-19 weights: {error}\n")
        print("Fallback: SRGAN-MSE (the paper's Table 1 variant with the pixel MSE content loss).")
        content_loss = "mse"

# %% [markdown]
# ## Phase 1: SRResNet, trained with MSE
#
# The paper first trains SRResNet alone with the MSE loss (Adam, learning rate $10^{-4}$, $10^6$ updates).
# This is ordinary supervised learning: `compile(loss="mse")` and `fit` (`build_srresnet` compiled it
# above, with the profile's learning rate; the `demo` profile decays it along a cosine, because a short
# run gains most from its last low-rate steps). The grid below shows the network's output on fixed
# held-out crops as training goes.

# %%
heldout = heldout_pairs(scale=config.scale, max_size=config.eval_max_size)
preview_lr = np.stack(
    [
        lr[: config.crop_size // config.scale, : config.crop_size // config.scale]
        for _, lr, _ in heldout[:4]
    ]
)

epochs = max(config.pretrain_steps // config.steps_per_epoch, 1)
history_srresnet = srresnet.fit(
    train_data,
    steps_per_epoch=config.steps_per_epoch,
    epochs=epochs,
    callbacks=[
        keras.callbacks.TerminateOnNaN(),
        ImageGridCallback(
            sample_fn=lambda model: model(preview_lr, training=False),
            every=max(epochs // 4, 1),
            out_dir=f"{RUN_DIR}/srresnet_progress",
        ),
    ],
    verbose=2,
)
srresnet.save(f"{RUN_DIR}/srresnet.keras")
fig = plot_history(history_srresnet, keys=["loss"])
save_figure(fig, f"{RUN_DIR}/srresnet_loss.png")
plt.show()

# %% [markdown]
# ### SRResNet against bicubic on the held-out photos
#
# The paper's protocol: PSNR and SSIM on the **Y channel** (luminance, BT.601 as MATLAB's `rgb2ycbcr`),
# after removing a border of 4 pixels, averaged over images.

# %%
gan_papers.show_source(srgan.evaluate_sr)
scores = {
    "bicubic": srgan.evaluate_sr("bicubic", heldout, scale=config.scale),
    "SRResNet": srgan.evaluate_sr(srresnet, heldout, scale=config.scale),
}
margin = scores["SRResNet"]["mean_psnr"] - scores["bicubic"]["mean_psnr"]
print(f"{'photo':<16}{'bicubic':>10}{'SRResNet':>10}")
for i, name in enumerate(scores["bicubic"]["names"]):
    print(f"{name:<16}{scores['bicubic']['psnr'][i]:>10.2f}{scores['SRResNet']['psnr'][i]:>10.2f}")
print(
    f"{'mean':<16}{scores['bicubic']['mean_psnr']:>10.2f}{scores['SRResNet']['mean_psnr']:>10.2f}"
)
print(f"SRResNet - bicubic: {margin:+.2f} dB (Y-PSNR on the held-out photos)")

# %% [markdown]
# ## Phase 2: SRGAN, initialised from SRResNet
#
# The generator starts from the trained SRResNet (the paper: "to avoid undesired local optima") and is
# now trained against the discriminator with the perceptual loss. Each `train_step` runs the generator
# once and scores the real and the super-resolved crops with the discriminator. The paper alternates
# the two updates (Goodfellow et al.'s Algorithm 1): D takes its step, then G takes its step against the
# **updated** D (`update="alternating"`, the package's default). The `demo` profile uses
# `update="simultaneous"`, both updates from the same forward pass and the same D, one D evaluation
# fewer per step; it is listed in the table of deviations at the top, and this notebook's numbers were
# measured with it. `SRGAN` is an ordinary `keras.Model`, so `fit`, `train_on_batch`, `evaluate`,
# callbacks, `BackupAndRestore` and `.keras` saving work as usual.

# %%
gan_papers.show_source(srgan.SRGAN.train_step)

# %%
model = srgan.srgan_from_srresnet(srresnet, config, content_loss=content_loss)
gan_epochs = max(config.gan_steps // config.steps_per_epoch, 1)
history_srgan = model.fit(
    train_data,
    steps_per_epoch=config.steps_per_epoch,
    epochs=gan_epochs,
    callbacks=[
        keras.callbacks.TerminateOnNaN(),
        ImageGridCallback(
            sample_fn=lambda m: m.generator(preview_lr, training=False),
            every=max(gan_epochs // 2, 1),
            out_dir=f"{RUN_DIR}/srgan_progress",
        ),
    ],
    verbose=2,
)
model.save(f"{RUN_DIR}/srgan.keras")
fig = plot_history(history_srgan)
save_figure(fig, f"{RUN_DIR}/srgan_losses.png")
plt.show()

# %% [markdown]
# ## The experiment: the paper's Table 2 at this notebook's scale

# %%
scores["SRGAN"] = srgan.evaluate_sr(model.generator, heldout, scale=config.scale)
print(f"{'':<10}{'held-out photos (this run)':>28}", end="")
for bench in srgan.PAPER_TABLE_2:
    print(f"{bench + ' (paper)':>18}", end="")
print()
for method in ("bicubic", "SRResNet", "SRGAN"):
    ours = f"{scores[method]['mean_psnr']:.2f} / {scores[method]['mean_ssim']:.4f}"
    print(f"{method:<10}{ours:>28}", end="")
    for bench in srgan.PAPER_TABLE_2.values():
        psnr, ssim = bench[method]
        print(f"{f'{psnr:.2f} / {ssim:.4f}':>18}", end="")
    print()
print("\nPSNR [dB] / SSIM on the Y channel, 4-pixel border removed, x4.")
print(f"SRResNet - bicubic on the held-out photos: {margin:+.2f} dB.")
print(f"Training and evaluation took {(time.time() - started) / 60:.1f} minutes.")

# %% [markdown]
# PSNR rewards the average; what SRGAN claims to bring back is **fine detail**. A number for it:
# the mean absolute Laplacian of the Y channel (edges and texture) of the result, divided by the same
# number for the HR photo. 1 means as much detail as the photo; a blurry result scores below 1.

# %%
gan_papers.show_source(gan_papers.common.sharpness_ratio_y)
print(f"{'photo':<16}" + "".join(f"{method:>10}" for method in scores))
for i, name in enumerate(scores["bicubic"]["names"]):
    print(f"{name:<16}" + "".join(f"{scores[m]['sharpness'][i]:>10.3f}" for m in scores))
print(f"{'mean':<16}" + "".join(f"{scores[m]['mean_sharpness']:>10.3f}" for m in scores))
print("sharpness = mean |Laplacian| of Y, relative to the HR photo (1 = as much detail)")

# %% [markdown]
# The paper's pattern to look for: SRResNet has the best PSNR and SSIM; SRGAN gives some of it back,
# because its adversarial loss prefers plausible texture to the pixel-wise average. We ran `demo` on
# seeds 0, 1 and 2 (`python -m benchmarks.claims --papers srgan`) on an Intel Xeon with native
# bfloat16, which `precision="auto"` uses; a CPU without it trains in float32, where these numbers
# were not measured again. Scored like the paper on the whole held-out photos, SRResNet beat bicubic
# by +1.05, +1.09 and +1.11 dB on average, and on every photo on every seed: grace_hopper by +2.08
# to +2.18 dB, coffee by +1.25 to +1.37, chelsea by +0.61 to +0.64 and rocket by +0.26 to +0.29.
# Rocket gains least: most of it is smooth night sky, where bicubic is already almost exact (without
# the bicubic skip, the demo's SRResNet lost to bicubic there). SRGAN then gave back 0.31, 0.47 and
# 0.54 dB. The mean opinion scores that make the paper's case (BSD100: bicubic 1.47, SRResNet 2.29,
# SRGAN 3.56, HR 4.46) need human raters; the sharpness ratio above is what can be measured here.
# Bicubic keeps 0.12 of the photos' fine detail and SRResNet 0.20-0.21. SRGAN keeps 0.38, 0.41 and
# 0.39: closer to the photo on every seed, which is the texture the paper trades PSNR for. In the
# crops below, bicubic is blurry; SRResNet draws the lips' and the chin's edges that bicubic blurs,
# but leaves the skin smooth; SRGAN darkens the wrinkles and adds grain to the skin. That is closer
# to the photo's texture, but it is not the photo's own grain:

# %%
name, lr, hr = max(heldout, key=lambda pair: pair[2].shape[0] * pair[2].shape[1])
index = [n for n, _, _ in heldout].index(name)
fig = compare_with_zoom(
    {
        **{
            f"{method} {scores[method]['psnr'][index]:.2f} dB, "
            f"sharpness {scores[method]['sharpness'][index]:.2f}": scores[method]["images"][index]
            for method in ("bicubic", "SRResNet", "SRGAN")
        },
        "HR (original)": hr,
    },
)
save_figure(fig, f"{RUN_DIR}/zoomed_crops.png")
plt.show()

# %% [markdown]
# ## The reference SRResNet and SRGAN: no bicubic skip, eight times the training
#
# Everything above used the networks this notebook trained in a few minutes. The package also ships a
# **reference SRResNet** and a **reference SRGAN generator**, trained by this very notebook at
# `GAN_PAPERS_PROFILE=reference` (the command is `python -m benchmarks.reference_weights srgan`). They
# are the demo's networks **without the bicubic skip**, the paper's SRResNet at the demo's size, trained
# for 24,000 SRResNet steps instead of 3,000, then 1,200 SRGAN steps instead of 300.
# `gan_papers.reference.load` reads them offline, checks their SHA-256 and loads them in Keras' safe
# mode. **The columns and crops marked "reference" are the reference models', not this run's**, on the
# same held-out photos.

# %%
# At the reference profile this run trains the reference models: they are compared with themselves.
if PROFILE == "reference":
    ref_srresnet, ref_generator = srresnet, model.generator
else:
    ref_srresnet, ref_generator = reference.load("srresnet"), reference.load("srgan_generator")
    print(reference.describe("srresnet"))
    print(reference.describe("srgan_generator"))
ref_scores = {
    "bicubic": scores["bicubic"],
    "SRResNet": srgan.evaluate_sr(ref_srresnet, heldout, scale=config.scale),
    "SRGAN": srgan.evaluate_sr(ref_generator, heldout, scale=config.scale),
}
columns = {
    "bicubic": scores["bicubic"],
    "SRResNet": scores["SRResNet"],
    "ref SRResNet": ref_scores["SRResNet"],
    "SRGAN": scores["SRGAN"],
    "ref SRGAN": ref_scores["SRGAN"],
}
for key, label in (("psnr", "Y-PSNR [dB]"), ("sharpness", "sharpness (1 = as much detail as HR)")):
    print(f"\n{label}\n{'photo':<16}" + "".join(f"{column:>14}" for column in columns))
    for i, name in enumerate(scores["bicubic"]["names"]):
        print(f"{name:<16}" + "".join(f"{c[key][i]:>14.3f}" for c in columns.values()))
    print(f"{'mean':<16}" + "".join(f"{c[f'mean_{key}']:>14.3f}" for c in columns.values()))
fig = compare_with_zoom(
    {
        **{
            f"{label}\n{result['psnr'][index]:.2f} dB, "
            f"sharpness {result['sharpness'][index]:.2f}": result["images"][index]
            for label, result in (
                ("bicubic", ref_scores["bicubic"]),
                ("reference SRResNet", ref_scores["SRResNet"]),
                ("reference SRGAN", ref_scores["SRGAN"]),
            )
        },
        "HR (original)": hr,
    },
)
save_figure(fig, f"{RUN_DIR}/reference_zoomed_crops.png")
plt.show()

# %% [markdown]
# **What to look for.** The reference columns are the paper's SRResNet without the skip, after eight
# times the SRResNet training (69 minutes on 2 CPU cores). On the whole held-out photos it beats
# bicubic by 1.04 dB on average (29.72 against 28.68 dB): +1.94 dB on grace_hopper, +1.47 on coffee,
# +0.66 on chelsea and only +0.09 on rocket. The demo's SRResNet with the skip beat that after 3,000
# steps, on every photo and every seed: starting from bicubic is worth more than eight times the
# training. The reference SRGAN gives back 0.91 dB of its SRResNet's gain, the paper's trade, and
# keeps 0.61 of the photos' fine detail against SRResNet's 0.24 and bicubic's 0.12. Its 1,200
# adversarial steps show SRGAN's texture more strongly than the demo's 300. In the crops, the
# reference SRGAN adds skin texture; the texture is the network's own, not the photo's, and near
# strong edges (the collar) it leaves ringing artefacts.


# %%
# Every number above, in the run folder, for `benchmarks.claims` and for checking a run later.
def summary(result):
    """The JSON-ready part of an ``evaluate_sr`` result."""
    return {
        "mean_psnr": result["mean_psnr"],
        "mean_ssim": result["mean_ssim"],
        "mean_sharpness": result["mean_sharpness"],
        "psnr": dict(zip(result["names"], map(float, result["psnr"]), strict=True)),
        "sharpness": dict(zip(result["names"], map(float, result["sharpness"]), strict=True)),
    }


metrics = {
    "seed": SEED,
    "profile": PROFILE,
    "policy": policy,
    "minutes": (time.time() - started) / 60,
    "scores": {method: summary(result) for method, result in scores.items()},
    "reference": {"scores": {method: summary(result) for method, result in ref_scores.items()}},
}
with open(f"{RUN_DIR}/metrics.json", "w") as f:
    json.dump(metrics, f, indent=1)

# %% [markdown]
# ## Running it at the paper's scale
#
# * Get DIV2K (`python -m data_scripts.div2k --data-dir data/`) and the benchmarks
#   (`python -m data_scripts.sr_benchmarks --data-dir data/`), set `DATA_DIR = "data"` above, and run with
#   `GAN_PAPERS_PROFILE=paper` on a GPU: 96x96 crops, batch 16, B = 16, $10^6$ SRResNet updates, then
#   $10^5$ SRGAN updates at $10^{-4}$ and $10^5$ at $10^{-5}$, VGG54 content loss. (The paper trained on
#   350,000 ImageNet images; DIV2K's 800 images are today's usual choice.)
# * Evaluate on Set5, Set14 and BSD100 with `srgan.evaluate_sr(model.generator,
#   gan_papers.data.benchmark_pairs("data", "Set5"))` and compare with the table above.
# * Table 1's variants: `srgan.srgan_from_srresnet(srresnet, config, content_loss="mse" | "vgg22" | "vgg54")`.
# * Pixel shuffle's checkerboard: `OVERRIDES = {"generator": {"upsample_initializer": "icnr"}}` starts
#   both sub-pixel convolutions as nearest-neighbour upsampling (`srgan.ICNR`, Aitken et al. 2017, by
#   the SRGAN authors). On one demo seed, without the bicubic skip, it lowered the 4x4 pattern over
#   rocket's sky but not the mean PSNR, so it is not the default.
# * Without the bicubic skip: `OVERRIDES = {"generator": {"bicubic_skip": False}, "pretrain_steps":
#   6000}` trains the paper's SRResNet at the demo's size. On seeds 0, 1 and 2 it beat bicubic by
#   +0.48, +0.27 and +0.58 dB and lost on one photo on every seed.
# * Several GPUs: build and compile inside `tf.distribute.MirroredStrategy().scope()` with
#   `synchronized_bn=True` in the builders; mixed precision with
#   `keras.mixed_precision.set_global_policy("mixed_float16")`.
# * The trained models are in the run folder. `srresnet.keras` loads with `import gan_papers.srgan`
#   then `keras.saving.load_model(f"{RUN_DIR}/srresnet.keras")`: importing the paper's sub-package
#   registers its layers (`import gan_papers` alone does not).
