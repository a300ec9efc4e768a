"""The precision field: "auto" picks bfloat16 only where the CPU has it natively; bad names raise."""

import keras
import pytest

from gan_papers.common import precision


def _cpuinfo(tmp_path, flags):
    path = tmp_path / "cpuinfo"
    path.write_text(f"processor\t: 0\nflags\t\t: fpu sse2 {flags}\n\nprocessor\t: 1\n")
    return str(path)


@pytest.mark.parametrize(
    "flags, native", [("avx2 avx512f", False), ("avx512f avx512_bf16", True), ("amx_bf16", True)]
)
def test_native_bf16_is_read_from_the_cpu_flags(tmp_path, flags, native):
    assert precision.cpu_has_native_bf16(_cpuinfo(tmp_path, flags)) is native


def test_unreadable_cpuinfo_means_no_native_bf16(tmp_path):
    assert precision.cpu_has_native_bf16(str(tmp_path / "missing")) is False


@pytest.mark.parametrize("native, expected", [(True, "mixed_bfloat16"), (False, "float32")])
def test_auto_follows_the_cpu(monkeypatch, native, expected):
    monkeypatch.setattr(precision, "cpu_has_native_bf16", lambda: native)
    assert precision.resolve_precision("auto") == expected


def test_explicit_precisions_pass_through_and_set_the_policy():
    try:
        for name in ("float32", "mixed_bfloat16", "mixed_float16"):
            assert precision.resolve_precision(name) == name
            assert precision.use_precision(name) == name
            assert keras.mixed_precision.global_policy().name == name
    finally:
        keras.mixed_precision.set_global_policy("float32")


@pytest.mark.parametrize("bad", ["bfloat16", "fp32", None, 32])
def test_bad_precision_raises(bad):
    with pytest.raises(ValueError, match="`precision` must be one of"):
        precision.resolve_precision(bad)
