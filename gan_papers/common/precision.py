"""Which float precision to train in: a profile field, resolved to a Keras dtype policy.

The papers trained in float32. On a CPU with native bfloat16 instructions (Intel's AVX512_BF16 or
AMX), oneDNN runs convolutions faster in ``mixed_bfloat16`` than in float32 (measured on the SRGAN
demo's steps: ``benchmarks/README.md``, "Claims at the demo profile", SRGAN). Without those
instructions bfloat16 is emulated and slower than float32, so ``"auto"`` picks it only where it is
native. Variables and the models' last activations stay float32 under either mixed policy.
"""

import functools

import keras

from gan_papers.common.validation import check_choice

PRECISIONS = ("float32", "mixed_bfloat16", "mixed_float16", "auto")
_NATIVE_BF16_FLAGS = ("avx512_bf16", "amx_bf16")


@functools.cache
def cpu_has_native_bf16(cpuinfo="/proc/cpuinfo"):
    """Whether the CPU advertises a bfloat16 instruction set (Linux ``/proc/cpuinfo`` flags).

    False where the file cannot be read (macOS, Windows): ``"auto"`` then keeps float32.
    """
    try:
        with open(cpuinfo, encoding="utf-8") as f:
            flags = next((line for line in f if line.startswith("flags")), "").split()
    except OSError:
        return False
    return any(flag in flags for flag in _NATIVE_BF16_FLAGS)


def resolve_precision(precision):
    """The dtype policy name for ``precision``: itself, or for ``"auto"`` ``"mixed_bfloat16"`` on
    a CPU-only machine with native bfloat16 and ``"float32"`` everywhere else (a GPU user picks a
    mixed policy explicitly, since which one is native depends on the GPU)."""
    check_choice(precision, "precision", PRECISIONS)
    if precision != "auto":
        return precision
    import tensorflow as tf

    if not tf.config.list_physical_devices("GPU") and cpu_has_native_bf16():
        return "mixed_bfloat16"
    return "float32"


def use_precision(precision):
    """Set Keras's global dtype policy from ``precision`` (see ``resolve_precision``); returns
    the policy name. Call it before building the models."""
    policy = resolve_precision(precision)
    keras.mixed_precision.set_global_policy(policy)
    return policy
