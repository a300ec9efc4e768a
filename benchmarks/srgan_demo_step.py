"""How fast notebook 03's steps run at the demo profile, by XLA on/off and dtype policy.

Times the demo's SRResNet step (``train_on_batch`` of the compiled MSE model) and its SRGAN step
on one fixed batch, each in a fresh process so that the global dtype policy of one run cannot leak
into the next. Prints milliseconds per step; writes JSON. The notebook picks the fastest setting
that changes nothing but speed: XLA off on a CPU, ``precision="auto"``.

    python -m benchmarks.srgan_demo_step [--steps 30] [--out FILE.json]
"""

import argparse
import json
import os
import subprocess
import sys

from benchmarks._common import machine, print_table, write_json

_CHILD = """
import os, json, sys
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import keras, numpy as np
from benchmarks._common import time_call
from gan_papers import srgan
jit, policy, steps = sys.argv[1] == "1", sys.argv[2], int(sys.argv[3])
keras.mixed_precision.set_global_policy(policy)
config = srgan.get_config("demo")
rng = np.random.default_rng(0)
side = config.crop_size // config.scale
lr = rng.uniform(0, 1, (config.batch_size, side, side, 3)).astype("float32")
hr = rng.uniform(-1, 1, (config.batch_size, config.crop_size, config.crop_size, 3)).astype("float32")
srresnet = srgan.build_srresnet(config, jit_compile=jit)
_, pre = time_call(lambda: srresnet.train_on_batch(lr, hr), warmup=3, repeats=steps)
model = srgan.srgan_from_srresnet(srresnet, config, content_loss="mse", jit_compile=jit)
_, gan = time_call(lambda: model.train_on_batch(lr, hr), warmup=3, repeats=max(steps // 3, 3))
print(json.dumps({"srresnet_ms": 1e3 * pre, "srgan_ms": 1e3 * gan}))
"""


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=30, help="timed SRResNet steps per setting")
    parser.add_argument("--out", default="benchmarks/results/srgan_demo_step.json")
    args = parser.parse_args(argv)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    rows = []
    for policy in ("float32", "mixed_bfloat16"):
        for jit in (False, True):
            out = subprocess.run(
                [sys.executable, "-c", _CHILD, str(int(jit)), policy, str(args.steps)],
                cwd=root,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            times = json.loads(out.strip().splitlines()[-1])
            rows.append(
                {
                    "policy": policy,
                    "xla": jit,
                    "srresnet_ms": round(times["srresnet_ms"], 1),
                    "srgan_ms": round(times["srgan_ms"], 1),
                }
            )
    print_table(rows, list(rows[0]))
    write_json({"machine": machine(), "rows": rows}, args.out)


if __name__ == "__main__":
    main()
