"""The TensorFlow side of ``benchmarks.peers``: each case through the package's public API, with the
defaults of the profile it names (float32, no XLA: Keras' ``jit_compile="auto"`` is off on a CPU).

Every ``build(case, spec)`` returns ``{"step", "items", "counts"}``: ``step()`` runs one unit of work
and blocks until its result is on the host, ``items`` is what it processes (images, shapes,
image-iterations), ``counts`` the parameter count of each network (Keras' ``count_params``: batch
norm's moving statistics included). ``spec`` is the case's table
(``benchmarks._peer_cases.CASES``); ``check`` makes sure the package's config agrees with it, so
that the PyTorch peer (built from the same table) is the same network at the same batch.
"""

import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402


def set_threads(threads):
    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(1)


def check(spec, **package):
    """Raise if a value the package's config gives differs from the case table's."""
    for key, value in package.items():
        expected = spec[key]
        if tuple(np.ravel(value)) != tuple(np.ravel(expected)):
            raise AssertionError(f"{key}: the package says {value!r}, CASES says {expected!r}")


def _uniform(shape, low=-1.0, high=1.0):
    rng = np.random.default_rng(0)
    return tf.constant(rng.uniform(low, high, shape).astype("float32"))


def _graph_step(model, *data):
    """The model's ``train_step`` in one ``tf.function`` (as ``benchmarks.srgan_step`` times it)."""
    step = tf.function(lambda *d: model.train_step(d if len(d) > 1 else d[0]), jit_compile=False)

    def run():
        logs = step(*data)
        next(iter(logs.values())).numpy()

    return run


def _srresnet(spec):
    from gan_papers import srgan

    config = srgan.get_config(spec.get("profile", "paper"))
    check(spec, hr=config.crop_size, batch=config.batch_size)
    model = srgan.build_srresnet(config)
    lr = _uniform((spec["batch"], spec["hr"] // 4, spec["hr"] // 4, 3), 0.0, 1.0)
    hr = _uniform((spec["batch"], spec["hr"], spec["hr"], 3))
    return {
        "step": lambda: model.train_on_batch(lr, hr),
        "items": spec["batch"],
        "counts": {"srresnet": model.count_params()},
    }


def _srgan(spec):
    from gan_papers import srgan

    config = srgan.get_config("paper")
    check(spec, hr=config.crop_size, batch=config.batch_size)
    model = srgan.SRGAN(srgan.build_generator(), srgan.build_discriminator(), update=config.update)
    # Random VGG weights: the same cost, and no download (this machine is offline).
    loss = srgan.ContentLoss("vgg54", weights=None)
    model.compile(content_loss=loss)
    lr = _uniform((spec["batch"], spec["hr"] // 4, spec["hr"] // 4, 3), 0.0, 1.0)
    hr = _uniform((spec["batch"], spec["hr"], spec["hr"], 3))
    counts = {
        "generator": model.generator.count_params(),
        "discriminator": model.discriminator.count_params(),
        "vgg19_54": loss.extractor.count_params(),
    }
    return {"step": _graph_step(model, lr, hr), "items": spec["batch"], "counts": counts}


def _inpainting_config(spec):
    from gan_papers import inpainting

    config = inpainting.get_config(spec["profile"])
    check(
        spec,
        image_size=config.image_size,
        latent_dim=config.latent_dim,
        g_filters=config.generator.base_filters,
        d_filters=config.discriminator.base_filters,
    )
    return config


def _dcgan(spec):
    from gan_papers import inpainting

    config = _inpainting_config(spec)
    check(spec, batch=config.batch_size)
    model = inpainting.build_dcgan(config, seed=0)
    images = _uniform((spec["batch"], spec["image_size"], spec["image_size"], 3))
    counts = {
        "generator": model.generator.count_params(),
        "discriminator": model.discriminator.count_params(),
    }
    return {"step": _graph_step(model, images), "items": spec["batch"], "counts": counts}


def _gan3d(spec):
    from gan_papers import gan3d
    from gan_papers.gan3d.networks import default_filters

    config = gan3d.get_config(spec["profile"])
    r = spec["resolution"]
    g_filters, d_filters = config.generator.filters, config.discriminator.filters
    if (
        r != config.resolution
    ):  # the paper's networks at 32^3: one stage fewer, same widths per side
        g_filters, d_filters = default_filters(r)
    check(spec, g_filters=g_filters, d_filters=d_filters, latent_dim=config.latent_dim)
    # The profile's implementation of the 3-D convolutions, unless the case table names one.
    conv = spec.get("conv") or config.generator.implementation
    generator = gan3d.build_generator(r, filters=g_filters, implementation=conv)
    discriminator = gan3d.build_discriminator(r, filters=d_filters, implementation=conv)
    # Threshold 1: D is updated at every step, as in the PyTorch peer (benchmarks/gan3d.py).
    model = gan3d.GAN3D(generator, discriminator, accuracy_threshold=1.0, seed=0)
    model.compile()
    rng = np.random.default_rng(0)
    voxels = tf.constant(rng.uniform(size=(spec["batch"], r, r, r, 1)) > 0.7, "float32")
    counts = {"generator": generator.count_params(), "discriminator": discriminator.count_params()}
    return {
        "step": _graph_step(model, voxels),
        "items": spec["batch"],
        "counts": counts,
        "info": {"conv": conv},
    }


def _latent_search(spec):
    from gan_papers import inpainting
    from gan_papers.common.masks import center_mask

    config = _inpainting_config(spec)
    generator, discriminator = inpainting.build_networks(config)
    # The public API with its defaults (window 7, lambda 0.003, Adam 0.01, D's batch norm
    # recalibrated on samples G(z), once, here); blend=False: Poisson blending is not the search.
    inpainter = inpainting.SemanticInpainter(generator, discriminator)
    check(spec, window=inpainter.window)
    n, s = spec["images"], spec["image_size"]
    images = np.asarray(_uniform((n, s, s, 3)))
    masks = center_mask(s, batch=n)

    def run(iterations):
        inpainter.inpaint(images, masks, iterations=iterations, blend=False, progress=False)

    counts = {"generator": generator.count_params(), "discriminator": discriminator.count_params()}
    return {
        "step": lambda: run(spec["iterations"]),
        "items": n * spec["iterations"],
        "counts": counts,
        # A call's fixed cost (the search is traced by the warm-up call): one iteration's call.
        "extra": lambda: {"one_iteration_call_s": _seconds(lambda: run(1))},
    }


def _face_completion(spec):
    from gan_papers import face_completion as fc

    config = fc.get_config(spec["profile"])
    check(
        spec,
        image_size=config.image_size,
        hole_size=config.hole_size,
        g_widths=config.generator.widths,
        fc_units=config.generator.fc_units,
        local_widths=config.local_discriminator.widths,
        global_widths=config.global_discriminator.widths,
        parser_widths=config.parser.widths,
        batch=config.batch_size,
        lambdas=(config.lambda_local, config.lambda_global, config.lambda_parsing),
        g_lr=config.g_learning_rate,
        d_lr=config.d_learning_rate,
    )
    model = fc.build_face_completion(config, seed=0)
    model.set_stage(3)
    faces = _uniform((spec["batch"], spec["image_size"], spec["image_size"], 3))
    names = ("generator", "local_discriminator", "global_discriminator", "parser")
    counts = {name: getattr(model, name).count_params() for name in names}
    return {"step": _graph_step(model, faces), "items": spec["batch"], "counts": counts}


def _pipeline(spec):
    """The notebooks' built-in data pipeline at the demo profile: batches/s as ``fit`` pulls them."""
    from gan_papers import data

    kind, b = spec["pipeline"], spec["batch"]
    if kind == "faces":
        dataset = data.face_dataset(batch_size=b, size=spec["size"], seed=0, split="train")
    elif kind == "shapes":
        dataset = data.shape_dataset(batch_size=b, resolution=spec["size"], seed=0, split="train")
    else:
        dataset = data.sr_dataset("train", crop_size=spec["size"], scale=4, batch_size=b, seed=0)
    batches = iter(dataset)

    def step():
        batch = next(batches)
        (batch[0] if isinstance(batch, tuple) else batch).numpy()

    return {"step": step, "items": b, "counts": {}}


def _seconds(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


_BUILDERS = {
    "srresnet_mse": _srresnet,
    "srgan_vgg54": _srgan,
    "dcgan64": _dcgan,
    "dcgan_demo": _dcgan,
    "gan3d_paper32": _gan3d,
    "gan3d_paper64": _gan3d,
    "gan3d_demo32": _gan3d,
    "latent_search": _latent_search,
    "face_completion": _face_completion,
}


def build(case, spec, side="tf"):
    """The TensorFlow half of ``case``; for a pipeline case, ``side`` ``"supply"`` is the pipeline
    and ``"need"`` the train step that consumes it (``spec["consumer"]``, its table merged in)."""
    keras.utils.set_random_seed(0)
    if case.startswith("pipeline"):
        if side == "supply":
            return _pipeline(spec)
        return _BUILDERS[spec["consumer"]](spec["consumer_spec"])
    return _BUILDERS[case](spec)


def count_params(case, spec):
    """``{network: parameters}`` of ``case`` (what the tests compare with the PyTorch peer)."""
    return build(case, spec)["counts"]
