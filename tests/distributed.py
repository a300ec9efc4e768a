"""Run a test body in a child Python process that sees two logical CPU devices.

MirroredStrategy needs the devices configured before TensorFlow runs any op, which a pytest
process that already used TensorFlow can no longer do; a child process starts clean.
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
"""


def run_with_two_cpus(body, timeout=300):
    """Execute ``body`` after ``PRELUDE`` in a child process; return what it passed to ``report``."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = {**os.environ, "PYTHONPATH": root + os.pathsep + os.environ.get("PYTHONPATH", "")}
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
