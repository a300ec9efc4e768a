"""Spread of the mirrored-vs-single-device update difference (tests/srgan/test_distributed.py).

Runs the test's SRGAN step (tiny SRGAN, SGD(0.5), synchronised batch norm, a global batch of 8 on
two logical CPUs) in ``--runs`` child processes. The same CPU and TensorFlow give bit-identical
numbers run after run, so each child runs under another numeric configuration, as another machine
would: oneDNN on or off (``TF_ENABLE_ONEDNN_OPTS``), oneDNN's widest instruction set
(``ONEDNN_MAX_CPU_ISA``: its kernels block and accumulate differently per ISA) and the intra-op
thread count (``TF_NUM_INTRAOP_THREADS``, ``OMP_NUM_THREADS``). Each child also runs the single
device's step in float64, the reference that shows how far float32 itself is from exact.

Prints, per run and as min / median / max:

- ``max_rel``: the old metric, max |dW_mirrored - dW_single| / max |dW_single| (one worst weight);
- ``norm_rel``: the tests' metric, ||dW_mirrored - dW_single|| / ||dW_single|| over all weights;
- ``single32_vs_64``, ``mirrored32_vs_64``: ||dW_float32 - dW_float64|| / ||dW_float64||.

    python -m benchmarks.mirrored_spread [--runs 20] [--workers 1]
"""

import argparse
import itertools
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from tests.distributed import run_with_two_cpus

BODY = """
from tests.srgan.helpers import batch, tiny_srgan, weights_of

lr, hr = batch(n=8)
data = tf.data.Dataset.from_tensor_slices((lr, hr)).batch(8)
sgd = lambda: keras.optimizers.SGD(0.5)

keras.utils.set_random_seed(0)
single = tiny_srgan(optimizer=sgd, synchronized_bn=True)
initial = single.get_weights()
single.fit(data, epochs=1, verbose=0)
single_after = weights_of(single)
with strategy.scope():
    mirrored = tiny_srgan(optimizer=sgd, synchronized_bn=True)
mirrored.set_weights(initial)
mirrored.fit(data, epochs=1, verbose=0)
mirrored_after = weights_of(mirrored)

before = [np.asarray(w, "float64") for w in initial]
single_updates = [s - b for b, s in zip(before, single_after)]
max_rel = max(
    float(np.abs(m - s).max()) for m, s in zip(mirrored_after, single_after)
) / max(float(np.abs(u).max()) for u in single_updates)

keras.config.set_floatx("float64")
keras.mixed_precision.set_global_policy("float64")
exact = tiny_srgan(optimizer=sgd, synchronized_bn=True)
exact.set_weights([w.astype("float64") for w in initial])
exact.fit(
    tf.data.Dataset.from_tensor_slices((lr.astype("float64"), hr.astype("float64"))).batch(8),
    epochs=1,
    verbose=0,
)
exact_after = weights_of(exact)
report(
    max_rel=max_rel,
    norm_rel=update_difference(initial, single_after, mirrored_after),
    single32_vs_64=update_difference(initial, exact_after, single_after),
    mirrored32_vs_64=update_difference(initial, exact_after, mirrored_after),
)
"""

# oneDNN's kernels for each instruction set it may pick on x86 (``ALL``: the widest this CPU has),
# and plain Eigen kernels (oneDNN off); intra-op threads as on 1- to 8-core machines.
ISAS = ("ALL", "AVX512_CORE", "AVX2", "SSE41", "oneDNN off")
THREADS = ("1", "2", "4", "8")


def configurations(runs):
    for isa, threads in itertools.islice(itertools.cycle(itertools.product(ISAS, THREADS)), runs):
        env = {"TF_NUM_INTRAOP_THREADS": threads, "OMP_NUM_THREADS": threads}
        if isa == "oneDNN off":
            env["TF_ENABLE_ONEDNN_OPTS"] = "0"
        else:
            env.update(TF_ENABLE_ONEDNN_OPTS="1", ONEDNN_MAX_CPU_ISA=isa)
        yield f"{isa}, {threads} threads", env


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--workers", type=int, default=1, help="child processes at a time")
    args = parser.parse_args(argv)
    configs = list(configurations(args.runs))
    with ThreadPoolExecutor(args.workers) as pool:
        results = list(pool.map(lambda c: run_with_two_cpus(BODY, env=c[1]), configs))
    keys = ("max_rel", "norm_rel", "single32_vs_64", "mirrored32_vs_64")
    print("configuration".ljust(28) + "".join(k.rjust(18) for k in keys))
    for (label, _), result in zip(configs, results, strict=True):
        print(label.ljust(28) + "".join(f"{result[k]:18.3e}" for k in keys))
    for name, reduce in (("min", np.min), ("median", np.median), ("max", np.max)):
        print(name.ljust(28) + "".join(f"{reduce([r[k] for r in results]):18.3e}" for k in keys))


if __name__ == "__main__":
    main()
