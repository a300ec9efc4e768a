"""Run a test body in a child Python process that sees two logical CPU devices.

MirroredStrategy needs the devices configured before TensorFlow runs any op, which a pytest
process that already used TensorFlow can no longer do; a child process starts clean.

The body can call ``update_difference(before, single_after, mirrored_after)``, the metric every
mirrored-vs-single-device test bounds: ``||dW_mirrored - dW_single|| / ||dW_single||``, the 2-norm
of the difference of the two updates over all weights together, relative to the 2-norm of the
single device's update. A missing ``1 / replicas`` doubles every gradient and gives ~1; float32
reduction order gives ~1e-3 on these tiny GAN steps (``python -m benchmarks.mirrored_spread``
measures it, with a float64 reference). The norm-relative form is well conditioned: a per-tensor or
per-weight relative difference divides by updates that are ~0 (conv biases before a batch norm have
a zero gradient in exact arithmetic, so their "updates" are pure round-off), and a max over weights
picks the one worst-rounded entry, which moves with the CPU's instruction set and thread count.

``mirrored_vs_single(initial, single, mirrored, single_history, mirrored_history)`` reports that
difference with both fits' last logs, as ``tests.gan_case.assert_mirrored_step_matches`` reads them;
``weights_of``, ``last_logs``, ``updated_tensors(before, after)`` (how many tensors moved more than
round-off) and ``finite_fit(model, data)`` are there for the body too.
"""

import json
import os
import subprocess
import sys
import textwrap

PRELUDE = """
import os
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import tensorflow as tf
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
import json, keras, numpy as np
strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
assert strategy.num_replicas_in_sync == 2
def report(**values):
    print("RESULT " + json.dumps(values))
def update_difference(before, single_after, mirrored_after):
    before = [np.asarray(b, "float64") for b in before]
    single = [np.asarray(s, "float64") - b for s, b in zip(single_after, before, strict=True)]
    mirrored = [np.asarray(m, "float64") - b for m, b in zip(mirrored_after, before, strict=True)]
    difference = sum(float(np.sum((m - s) ** 2)) for m, s in zip(mirrored, single))
    return float(np.sqrt(difference / sum(float(np.sum(s ** 2)) for s in single)))
def last_logs(history):
    return {k: v[-1] for k, v in getattr(history, "history", history).items()}
def weights_of(model):
    return [np.array(w) for w in model.weights]
def mirrored_vs_single(initial, single, mirrored, single_history, mirrored_history):
    # What tests.gan_case.assert_mirrored_step_matches checks: the two updates and the last logs.
    return dict(
        update_difference=update_difference(initial, weights_of(single), weights_of(mirrored)),
        single=last_logs(single_history),
        mirrored=last_logs(mirrored_history),
    )
def updated_tensors(before, after):
    # How many tensors moved by more than 1e-6 of the largest move (more than round-off).
    updates = [np.asarray(a) - np.asarray(b) for b, a in zip(before, after, strict=True)]
    largest = max(float(np.abs(u).max()) for u in updates)
    return sum(float(np.abs(u).max()) > 1e-6 * largest for u in updates)
def finite_fit(model, data):
    # One epoch of model.fit(data): whether every logged value is finite.
    return all(bool(np.isfinite(v)) for v in last_logs(model.fit(data, verbose=0)).values())
"""


def run_with_two_cpus(body, timeout=900, env=None):
    """Execute ``body`` after ``PRELUDE`` in a child process; return what it passed to ``report``.

    ``timeout`` only stops a hung child: it is far above the ~1 min a body takes on a loaded
    2-core machine, so no verdict depends on load. ``env``: extra environment variables for the
    child (e.g. ``TF_ENABLE_ONEDNN_OPTS``).
    """
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = {
        **os.environ,
        **(env or {}),
        "PYTHONPATH": root + os.pathsep + os.environ.get("PYTHONPATH", ""),
    }
    code = PRELUDE + textwrap.dedent(body)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout, env=env
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode != 0 or not lines:
        raise AssertionError(
            f"child process failed (exit {done.returncode}):\n{done.stdout[-3000:]}\n"
            f"{done.stderr[-5000:]}"
        )
    return json.loads(lines[-1][len("RESULT ") :])
