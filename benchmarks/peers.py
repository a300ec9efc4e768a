"""The package's train steps next to the same networks written in PyTorch: is TensorFlow the cost?

Each case times one unit of work in the package (TensorFlow, through the public API with the
defaults of the profile it names) and in a PyTorch peer of the same architecture, batch and update
(written from the papers: ``benchmarks/_torch_peers*.py``), float32 against float32, random weights
and random data, ``--threads`` threads each (TensorFlow: that many intra-op threads and 1 inter-op;
PyTorch: ``torch.set_num_threads``, 1 inter-op). Each peer network must hold exactly as many
parameters as its Keras twin (batch norm's running statistics counted, as Keras counts them): the
PyTorch worker asserts it against the counts of the first TensorFlow run.

Cases (items per second; ``tf/peer`` = TensorFlow's rate over the peer's, > 1 when TF is faster):
- ``srresnet_mse``: SRResNet-MSE (Ledig et al. 2017, Sec. 2.2), ``train_on_batch``, batch 16,
  LR 24x24 -> HR 96x96. The whole of SRGAN's first phase is this step.
- ``srgan_vgg54``: the SRGAN step (alternating D and G updates) with the VGG54 content loss,
  random VGG-19 weights, batch 16: the second phase, dominated by VGG-19 at 96x96.
- ``dcgan64`` / ``dcgan_demo``: the DCGAN prior of Yeh et al. 2017 (Radford et al. 2016) at the
  ``paper`` profile (64x64, batch 64) and at the ``demo`` profile notebook 01 trains (32x32, batch 32).
- ``gan3d_paper32`` / ``gan3d_paper64`` / ``gan3d_demo32``: the 3D-GAN step (Wu et al. 2016,
  Sec. 3.1) with the paper's widths at 32^3 and 64^3 (batch ``--gan3d-batch``, default 8, a CPU's
  size; the paper's is 100) and with the demo's (G 64/32/16, D 16/32/64, batch 16, 32^3), each with
  its profile's ``implementation`` of the 3-D convolutions (the row's ``conv``); D's accuracy gate is
  set to 1, so both sides update D at every step.
- ``latent_search``: ``SemanticInpainter.inpaint`` (Yeh et al., eq. 4; ``blend=False``) on 64 images at
  the demo prior's size, ``--search-iterations`` iterations (image-iterations/s; the warm-up call
  traces the search and later calls reuse it, as a user's calls on batch after batch do; the row
  reports one later call of one iteration as ``one_iteration_call_s``), against PyTorch
  searching (a) one image at a time (``torch_loop``) and (b) all 64 at once (``torch_batched``).
- ``face_completion``: the face-completion stage-3 step (Li et al. 2017: G, local and global D,
  frozen parser) at the demo profile, batch 16.
- ``pipeline_*``: the built-in data pipelines as the demo notebooks use them (``supply``: batches
  pulled from the ``tf.data`` pipeline) next to the TF train step that consumes them (``need``);
  ``supply/need`` < 1 means the step waits for data. No PyTorch side.

Method: every measurement is a fresh process (``--worker``), TensorFlow and PyTorch alternating (the
order flips every repeat), ``--repeats`` processes per side; each process takes ``--warmup`` steps,
times ``--steps`` steps and reports their median. The table gives the median over processes and their
min-max. Without ``torch`` the TensorFlow half runs alone (ratios null). Writes JSON.

Run it on an otherwise idle machine; each row records the 1-minute load average before and after
(``load_avg``). PyTorch runs with its out-of-the-box OpenMP settings; ``--torch-omp-wait passive``
sets ``OMP_WAIT_POLICY=PASSIVE`` for a machine shared with other work: with OpenMP's default its
threads spin while they wait for each other at every kernel, and when another job holds one of the
cores each wait lasts a scheduler time slice, so a step can take many times as long (TensorFlow's
thread pool, which blocks after a short spin, slows down in proportion). ``--tf-precision
mixed_bfloat16`` times the TensorFlow side under that dtype policy (the PyTorch side stays float32).

    python -m benchmarks.peers [--cases srresnet_mse gan3d ...] [--repeats 3] [--quick]
                               [--gan3d-batch 8] [--search-iterations 50] [--out FILE.json]
                               [--torch-omp-wait default|passive|active]
                               [--tf-precision float32|mixed_bfloat16] [--tf-only]
"""

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time

from benchmarks._peer_cases import CASES, GROUPS, case_spec

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
__all__ = ["CASES", "GROUPS", "case_spec", "main"]


def torch_available():
    return importlib.util.find_spec("torch") is not None


def worker(case, side, spec, warmup, steps, threads, expect_counts=None, precision="float32"):
    """One side of one case, in this process: prints a JSON row."""
    if side in ("tf", "supply", "need"):
        import keras

        from benchmarks import _tf_peers as peers

        keras.mixed_precision.set_global_policy(precision)
    else:
        from benchmarks import _torch_peers as peers
    load_before = os.getloadavg()[0]
    peers.set_threads(threads)
    bench = peers.build(case, spec, side)
    if expect_counts and bench["counts"] != expect_counts:
        raise AssertionError(f"{case}: parameters {bench['counts']} != Keras' {expect_counts}")
    start = time.perf_counter()
    for _ in range(warmup):
        bench["step"]()
    warmup_s = time.perf_counter() - start
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        bench["step"]()
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    row = {
        "case": case,
        "side": side,
        "step_s": round(median, 4),
        "items_per_s": round(bench["items"] / median, 2),
        "items_per_step": bench["items"],
        "warmup_s": round(warmup_s, 2),
        "counts": bench["counts"],
        "precision": precision if side in ("tf", "supply", "need") else "float32",
        # Other work on the machine: PyTorch's OpenMP threads suffer most from it (see the docstring).
        "load_avg": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        **bench.get("info", {}),
    }
    if "extra" in bench:
        row |= {k: round(v, 3) for k, v in bench["extra"]().items()}
    print("ROW " + json.dumps(row), flush=True)


def step_counts(spec, args):
    """(warm-up, timed) steps per process: the command line's, else --quick's 1 and 2, else the
    case's own (``CASES``), else 3 and 10."""
    quick = (1, 2) if args.quick else (None, None)
    warmup = next(v for v in (args.warmup, quick[0], spec.get("warmup"), 3) if v is not None)
    steps = next(v for v in (args.steps, quick[1], spec.get("steps"), 10) if v is not None)
    return warmup, steps


def _run(case, side, spec, args, expect_counts):
    warmup, steps = step_counts(spec, args)
    command = [sys.executable, "-m", "benchmarks.peers", "--worker", case, side]
    command += ["--spec", json.dumps(spec), "--warmup", str(warmup), "--steps", str(steps)]
    command += ["--threads", str(args.threads), "--tf-precision", args.tf_precision]
    if expect_counts:
        command += ["--expect-counts", json.dumps(expect_counts)]
    env = dict(os.environ)
    if args.torch_omp_wait != "default" and side.startswith("torch"):
        env["OMP_WAIT_POLICY"] = args.torch_omp_wait.upper()
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=args.timeout, env=env
        )
    except subprocess.TimeoutExpired:
        return {"error": f"not done in {args.timeout} s"}
    lines = [line for line in done.stdout.splitlines() if line.startswith("ROW ")]
    if done.returncode != 0 or not lines:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(lines[-1][4:])


def _summarise(case, spec, runs):
    sides = {}
    for side, rows in runs.items():
        good = [r for r in rows if "error" not in r]
        rates = [r["items_per_s"] for r in good]
        sides[side] = {
            "items_per_s": round(statistics.median(rates), 2) if rates else None,
            "min": min(rates, default=None),
            "max": max(rates, default=None),
            "counts": good[0]["counts"] if good else None,
            "processes": rows,
        }
    first, *others = spec["sides"]
    ratio = {}
    for side in others:
        a, b = sides.get(first, {}).get("items_per_s"), sides.get(side, {}).get("items_per_s")
        ratio[f"{first}/{side}"] = round(a / b, 3) if a and b else None
    return {"unit": spec["unit"], "spec": spec, "sides": sides, "ratio": ratio}


def _print_tables(results):
    """The rates (``ratio``: the case's first side's rate over this side's), then the parameter
    counts of each network on either side."""
    from benchmarks._common import print_table

    rows, params = [], []
    for case, result in results.items():
        first = result["spec"]["sides"][0]
        for side, s in result["sides"].items():
            rate, ratio = s["items_per_s"], result["ratio"].get(f"{first}/{side}")
            error = next((p["error"] for p in s["processes"] if "error" in p), "")
            rows.append(
                {
                    "case": case,
                    "side": side,
                    "unit": result["unit"],
                    "median": "failed" if rate is None else rate,
                    "min-max": f"{s['min']}-{s['max']}" if rate is not None else "",
                    "n": len(s["processes"]),
                    "ratio": "" if ratio is None else f"{first}/{side} {ratio}",
                    "error": str(error)[:60],
                }
            )
        counts = {side: s["counts"] or {} for side, s in result["sides"].items()}
        peer = next((counts[side] for side in counts if side.startswith("torch")), {})
        for network, n in counts.get("tf", {}).items():
            torch_n = peer.get(network, "")
            same = "" if torch_n == "" else ("yes" if torch_n == n else "NO")
            params.append(
                {"case": case, "network": network, "keras": n, "torch": torch_n, "equal": same}
            )
    print_table(rows, list(rows[0]))
    if params:
        print()
        print_table(params, list(params[0]))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", nargs="+", default=list(CASES), help="cases or groups")
    parser.add_argument("--repeats", type=int, help="processes per side (3; --quick: 1)")
    parser.add_argument("--quick", action="store_true", help="1 warm-up and 2 timed steps")
    parser.add_argument("--warmup", type=int, help="untimed steps per process (3, or the case's)")
    parser.add_argument("--steps", type=int, help="timed steps per process (10, or the case's)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--gan3d-batch", type=int, default=8, help="batch of the paper widths")
    parser.add_argument("--search-iterations", type=int, help="latent search (50; --quick: 5)")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds per process")
    parser.add_argument(
        "--torch-omp-wait",
        default="default",
        choices=["passive", "active", "default"],
        help="OMP_WAIT_POLICY of the PyTorch workers (see the docstring)",
    )
    parser.add_argument(
        "--tf-precision",
        default="float32",
        choices=["float32", "mixed_bfloat16"],
        help="the TensorFlow side's dtype policy (PyTorch stays float32)",
    )
    parser.add_argument("--tf-only", action="store_true", help="skip the PyTorch sides")
    parser.add_argument("--out", default="benchmarks/results/peers.json")
    parser.add_argument("--worker", nargs=2, metavar=("CASE", "SIDE"), help=argparse.SUPPRESS)
    parser.add_argument("--spec", help=argparse.SUPPRESS)
    parser.add_argument("--expect-counts", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.repeats = args.repeats or (1 if args.quick else 3)
    iterations = args.search_iterations or (5 if args.quick else 50)
    if args.worker:
        expect = json.loads(args.expect_counts) if args.expect_counts else None
        spec = json.loads(args.spec)
        worker(
            *args.worker, spec, *step_counts(spec, args), args.threads, expect, args.tf_precision
        )
        return

    cases = [c for name in args.cases for c in GROUPS.get(name, (name,))]
    unknown = [c for c in cases if c not in CASES]
    if unknown:
        parser.error(f"unknown cases {unknown}; choose from {list(CASES)} or {list(GROUPS)}")
    if os.getloadavg()[0] > 0.5 * (os.cpu_count() or 1):
        print(f"warning: load average {os.getloadavg()[0]:.1f}: other work shares the CPUs.")
    has_torch = torch_available() and not args.tf_only
    if args.tf_only:
        print("--tf-only: timing the TensorFlow half only.")
    elif not has_torch:
        print(
            "PyTorch is not installed (pip install -e '.[bench]'): timing the TensorFlow half only."
        )
    runs = {
        c: {s: [] for s in CASES[c]["sides"] if has_torch or not s.startswith("torch")}
        for c in cases
    }
    specs = {c: case_spec(c, args.gan3d_batch, iterations) for c in cases}
    for repeat in range(args.repeats):
        for case in cases:
            sides = list(runs[case])
            for side in sides if repeat % 2 == 0 else sides[::-1]:
                tf_rows = [r for r in runs[case].get("tf", []) if "counts" in r]
                expect = tf_rows[0]["counts"] if side.startswith("torch") and tf_rows else None
                row = _run(case, side, specs[case], args, expect)
                runs[case][side].append(row)
                print(f"[{repeat + 1}/{args.repeats}] {case} {side}: {json.dumps(row)}", flush=True)
    results = {c: _summarise(c, specs[c], runs[c]) for c in cases}
    for case, result in results.items():
        result["warmup"], result["steps"] = step_counts(specs[case], args)
    print()
    _print_tables(results)
    from benchmarks._common import machine, write_json

    settings = ("repeats", "threads", "quick", "gan3d_batch", "torch_omp_wait", "tf_precision")
    settings = {k: getattr(args, k) for k in settings}
    write_json(
        {"machine": machine(), "settings": settings, "torch": has_torch, "cases": results}, args.out
    )


if __name__ == "__main__":
    main()
