"""The cases of ``benchmarks.peers``: what the TensorFlow and the PyTorch side of each build.

The TF side (``_tf_peers``) checks each table against the package's configs, so the PyTorch peer,
built from the same table, is the same network at the same batch. ``warmup`` / ``steps``: a case's
own warm-up and timed steps per process, where the defaults (3 and 10) would take minutes.
"""

_PEER = ("tf", "torch")


def _case(unit, sides=_PEER, **spec):
    return {"unit": unit, "sides": sides, **spec}


_DEMO_DCGAN = {"profile": "demo", "image_size": 32, "latent_dim": 100}
_DEMO_DCGAN |= {"g_filters": 128, "d_filters": 32}
_PAPER_3D = {"profile": "paper", "latent_dim": 200, "batch": 8}
# fmt: off
CASES = {
    "srresnet_mse": _case("img/s", batch=16, hr=96),
    "srgan_vgg54": _case("img/s", batch=16, hr=96, warmup=2, steps=5),
    "dcgan64": _case(
        "img/s", profile="paper", image_size=64, latent_dim=100, g_filters=512, d_filters=64, batch=64
    ),
    "dcgan_demo": _case("img/s", **_DEMO_DCGAN, batch=32),
    "gan3d_paper32": _case(
        "shapes/s", **_PAPER_3D, resolution=32, g_filters=(512, 256, 128), d_filters=(128, 256, 512)
    ),
    "gan3d_paper64": _case(
        "shapes/s", **_PAPER_3D, resolution=64, g_filters=(512, 256, 128, 64),
        d_filters=(64, 128, 256, 512), warmup=2, steps=5,
    ),
    "gan3d_demo32": _case(
        "shapes/s", profile="demo", latent_dim=200, batch=16, resolution=32,
        g_filters=(64, 32, 16), d_filters=(16, 32, 64),
    ),
    # A step is a whole search of the 64 images (seconds): 1 + 3 of them keep it near a minute.
    "latent_search": _case(
        "image-iterations/s", ("tf", "torch_loop", "torch_batched"), **_DEMO_DCGAN,
        images=64, iterations=50, window=7, warmup=1, steps=3,
    ),
    "face_completion": _case(
        "img/s", profile="demo", image_size=64, hole_size=32, patch_size=32, batch=16,
        g_widths=(8, 16, 32, 64), fc_units=256, local_widths=(16, 32, 64),
        global_widths=(8, 16, 32, 64), parser_widths=(8, 16, 32, 32),
        lambdas=(75.0, 15.0, 0.05), g_lr=1e-3, d_lr=2e-4,
    ),
    # The built-in pipelines at the demo profiles, and the TF train step that consumes each.
    "pipeline_faces32": _case(
        "img/s", ("supply", "need"), pipeline="faces", size=32, batch=32, consumer="dcgan_demo"
    ),
    "pipeline_faces64": _case(
        "img/s", ("supply", "need"), pipeline="faces", size=64, batch=16, consumer="face_completion"
    ),
    "pipeline_shapes32": _case(
        "shapes/s", ("supply", "need"), pipeline="shapes", size=32, batch=16, consumer="gan3d_demo32"
    ),
    # The demo's SRResNet (4 blocks of 32) in float32 (notebook 03 uses bfloat16 where it can).
    "pipeline_sr48": _case(
        "crops/s", ("supply", "need"), pipeline="sr", size=48, batch=16, consumer="srresnet_mse",
        consumer_spec={"profile": "demo", "batch": 16, "hr": 48},
    ),
}
# fmt: on
GROUPS = {
    "srgan": ("srresnet_mse", "srgan_vgg54"),
    "dcgan": ("dcgan64", "dcgan_demo"),
    "gan3d": ("gan3d_paper32", "gan3d_paper64", "gan3d_demo32"),
    "pipelines": tuple(c for c in CASES if c.startswith("pipeline")),
}


def case_spec(case, gan3d_batch=8, search_iterations=50):
    """The case's table with the command line's batch and iteration count applied."""
    spec = dict(CASES[case])
    if case in ("gan3d_paper32", "gan3d_paper64"):
        spec["batch"] = gan3d_batch
    if case == "latent_search":
        spec["iterations"] = search_iterations
    if "consumer" in spec and "consumer_spec" not in spec:
        spec["consumer_spec"] = dict(CASES[spec["consumer"]])
    return spec
