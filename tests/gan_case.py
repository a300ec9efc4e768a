"""The checks every paper's GAN tests make the same way; a new paper's tests call these.

A paper's tests keep their own tiny models and data (``tests/<paper>/helpers.py``) and call the
helpers below in a few lines each; every helper returns what it built (model, logs, loaded model,
child-process result), so a test adds the paper's own asserts after it. In a new paper's tests:

- XLA: ``model = tiny(jit_compile=True)``, then ``logs = assert_xla_step(model, data,
  networks=("generator", "discriminator"), names=LOG_NAMES, iterations={"g_optimizer": 2})``: one
  ``fit`` (extra keywords go to it) with finite logs that updates each network (``frozen=``: the
  networks whose trainable weights must not move). (Not "the same numbers as
  without XLA": XLA's random kernels draw other codes than TensorFlow's, so a step that samples
  noise differs; a paper that can compare, e.g. with the codes drawn by hand, does so itself.)
- Mixed precision: ``model, logs = assert_mixed_precision_step(tiny, data, float16_layers=
  {"generator": "conv1"}, networks=("generator",))``: LossScaleOptimizers, float16 compute,
  float32 outputs and variables, finite losses, the networks trained.
- Saving: ``loaded = assert_safe_mode_round_trip(model, tmp_path, inputs)``: ``.keras`` file,
  ``load_model(safe_mode=True)``, the same class, weights, outputs, optimizer steps and seed state.
- Resuming: ``run = assert_resumes_exactly(tiny, data, epochs=4, at_epoch=2, tmp_path=tmp_path)``:
  ``BackupAndRestore`` interrupted as an epoch begins (``interrupted_fit``), a fresh model resumed
  from the backup ends with the weights, optimizer steps and seed state of an uninterrupted fit.
- MirroredStrategy: ``result = assert_mirrored_matches_single(BODY)``, where ``BODY`` (run in a
  child process with two logical CPUs, ``tests/distributed.py``) ends with
  ``report(**mirrored_vs_single(initial, single, mirrored, single_history, mirrored_history), ...)``.
- Bad inputs: ``@pytest.mark.parametrize("call, kwargs, match", raising_cases({...}))`` with
  ``assert_raises(call, kwargs, match)`` (one test per row), or ``assert_raises_table(rows)``
  inside one test; ``match`` names the argument, e.g. ``"`stage`"``.
"""

import warnings
from types import SimpleNamespace

import keras
import numpy as np
import pytest

from tests.distributed import run_with_two_cpus

# --- weights -----------------------------------------------------------------------------------


def weights_of(model):
    """Every variable of ``model`` (weights, optimizer-free) as NumPy arrays."""
    return [np.array(w) for w in model.weights]


def changed(before, after):
    """Per tensor, whether it differs between two ``weights_of`` lists."""
    return [not np.array_equal(a, b) for a, b in zip(before, after, strict=True)]


def assert_same_weights(model, other, rtol=1e-5, atol=1e-6):
    """``model`` and ``other`` hold the same weights (up to float round-off)."""
    for a, b in zip(weights_of(model), weights_of(other), strict=True):
        np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)


def last_logs(history):
    """The last value of every log of a ``fit``'s ``History`` (or its ``.history`` dict)."""
    history = getattr(history, "history", history)
    return {name: values[-1] for name, values in history.items()}


def _seed_state(model):
    generator = getattr(model, "seed_generator", None)
    return None if generator is None else np.array(generator.state)


# --- one training step ------------------------------------------------------------------------


def _networks(model, networks):
    return [getattr(model, n) if isinstance(n, str) else n for n in networks]


def assert_step_trains(
    model, data, *, networks=(), frozen=(), names=None, iterations=None, **fit_kwargs
):
    """One epoch of ``model.fit(data, **fit_kwargs)``: every log finite (exactly ``names`` if
    given), each of ``networks`` (sub-models, or names of the model's attributes) changed, each of
    ``frozen`` kept its trainable weights (e.g. a D whose update was skipped: its batch-norm moving
    statistics may move), and each optimizer named in ``iterations`` at its step count. Returns the
    last logs."""
    networks, frozen = _networks(model, networks), _networks(model, frozen)
    before = [weights_of(n) for n in networks]
    frozen_before = [[np.array(w) for w in n.trainable_weights] for n in frozen]
    logs = last_logs(model.fit(data, epochs=1, verbose=0, **fit_kwargs))
    if names is not None:
        assert set(logs) == set(names)
    assert all(np.isfinite(v) for v in logs.values()), logs
    for network, weights in zip(networks, before, strict=True):
        assert any(changed(weights, weights_of(network))), network.name
    for network, weights in zip(frozen, frozen_before, strict=True):
        after = [np.array(w) for w in network.trainable_weights]
        assert not any(changed(weights, after)), network.name
    for name, count in (iterations or {}).items():
        assert int(getattr(model, name).iterations) == count, name
    return logs


def assert_xla_step(model, data, **checks):
    """``assert_step_trains`` for a model compiled with ``jit_compile=True`` (checked here)."""
    assert model.jit_compile is True
    return assert_step_trains(model, data, **checks)


def assert_mixed_precision_step(
    make_model,
    data,
    *,
    policy="mixed_float16",
    optimizers=("g_optimizer", "d_optimizer"),
    float16_layers=None,
    outputs=(),
    **checks,
):
    """Build ``make_model()`` under ``policy`` and take one step with it.

    Checks: each of ``optimizers`` is a ``LossScaleOptimizer`` (under ``mixed_float16``), each
    ``{network: layer}`` of ``float16_layers`` computes in the policy's compute dtype, every output
    of each of ``outputs`` (networks or attribute names) is float32, every floating variable stays
    float32, then ``assert_step_trains(model, data, **checks)``. The global policy is float32 again
    afterwards. Returns ``(model, logs)``."""
    keras.mixed_precision.set_global_policy(policy)
    try:
        model = make_model()
        compute = keras.mixed_precision.global_policy().compute_dtype
        if policy == "mixed_float16":
            for name in optimizers:
                assert isinstance(getattr(model, name), keras.optimizers.LossScaleOptimizer), name
        for network, layer in (float16_layers or {}).items():
            assert getattr(model, network).get_layer(layer).compute_dtype == compute, layer
        for network in outputs:
            network = getattr(model, network) if isinstance(network, str) else network
            assert [o.dtype for o in network.outputs] == ["float32"] * len(network.outputs)
        logs = assert_step_trains(model, data, **checks)
        floating = [w for w in model.weights if "float" in str(w.dtype)]
        assert floating and all(w.dtype == "float32" for w in floating)
    finally:
        keras.mixed_precision.set_global_policy("float32")
    return model, logs


# --- saving and resuming ----------------------------------------------------------------------


def assert_safe_mode_round_trip(
    model,
    tmp_path,
    inputs=None,
    *,
    call=None,
    atol=None,
    optimizers=("g_optimizer", "d_optimizer"),
    name="model.keras",
    no_warnings=False,
):
    """Save ``model`` to a ``.keras`` file and load it with ``safe_mode=True``.

    Checks: the same class, the same weights (exactly), the same output on ``inputs``
    (``call(m, inputs)``, default ``m(inputs)``; exactly, or to ``atol``), each of ``optimizers``
    at the same step count and learning rate, and the same seed-generator state. ``no_warnings``
    turns a warning while loading (e.g. "Skipping variable loading for optimizer") into an error.
    Returns the loaded model."""
    path = tmp_path / name
    model.save(path)
    with warnings.catch_warnings():
        if no_warnings:
            warnings.simplefilter("error")
        loaded = keras.saving.load_model(path, safe_mode=True)
    assert type(loaded) is type(model)
    assert len(loaded.weights) == len(model.weights)
    for a, b in zip(weights_of(loaded), weights_of(model), strict=True):
        np.testing.assert_array_equal(a, b)
    if inputs is not None:
        call = call or (lambda m, x: m(x))
        got, expected = np.asarray(call(loaded, inputs)), np.asarray(call(model, inputs))
        if atol is None:
            np.testing.assert_array_equal(got, expected)
        else:
            np.testing.assert_allclose(got, expected, atol=atol)
    for optimizer in optimizers:
        a, b = getattr(loaded, optimizer), getattr(model, optimizer)
        assert int(a.iterations) == int(b.iterations), optimizer
        assert float(a.learning_rate) == pytest.approx(float(b.learning_rate)), optimizer
    if _seed_state(model) is not None:
        np.testing.assert_array_equal(_seed_state(loaded), _seed_state(model))
    return loaded


class Interrupt(keras.callbacks.Callback):
    """Raises ``KeyboardInterrupt`` as epoch ``at_epoch`` begins."""

    def __init__(self, at_epoch):
        super().__init__()
        self.at_epoch = at_epoch

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.at_epoch:
            raise KeyboardInterrupt


def interrupted_fit(model, data, *, epochs, at_epoch, backup_dir):
    """Fit ``model`` on ``data`` with a backup in ``backup_dir``, interrupted as epoch ``at_epoch``
    begins; returns the ``BackupAndRestore`` callback that a resuming ``fit`` passes on."""
    backup = keras.callbacks.BackupAndRestore(str(backup_dir))
    with pytest.raises(KeyboardInterrupt):
        model.fit(data, epochs=epochs, verbose=0, callbacks=[backup, Interrupt(at_epoch)])
    return backup


def assert_resumes_exactly(
    make_model,
    data,
    *,
    epochs,
    at_epoch,
    tmp_path,
    make_resumed=None,
    optimizers=("g_optimizer", "d_optimizer"),
    iterations=None,
    reference_callbacks=(),
    resumed_callbacks=(),
):
    """An interrupted-and-resumed ``fit`` ends where an uninterrupted one does.

    ``make_model()`` builds the reference (fitted ``epochs`` epochs) and the model interrupted as
    epoch ``at_epoch`` begins (given the reference's initial weights); ``make_resumed()`` (default
    ``make_model``) builds the model of "a new session" that resumes from the backup alone. Checks:
    each of ``optimizers`` at the reference's step count (and at ``iterations`` if given), the same
    seed-generator state, the same weights (``assert_same_weights``). Returns the reference, the
    resumed model and both histories (``.reference``, ``.resumed``, ``.reference_history``,
    ``.resumed_history``)."""
    reference = make_model()
    initial = reference.get_weights()
    reference_history = reference.fit(
        data, epochs=epochs, verbose=0, callbacks=list(reference_callbacks)
    )
    interrupted = make_model()
    interrupted.set_weights(initial)
    backup = interrupted_fit(
        interrupted, data, epochs=epochs, at_epoch=at_epoch, backup_dir=tmp_path / "backup"
    )
    resumed = (make_resumed or make_model)()
    resumed_history = resumed.fit(
        data, epochs=epochs, verbose=0, callbacks=[backup, *resumed_callbacks]
    )
    for name in optimizers:
        count = int(getattr(reference, name).iterations)
        assert int(getattr(resumed, name).iterations) == count, name
        if iterations is not None:
            assert count == iterations, name
    if _seed_state(reference) is not None:
        np.testing.assert_array_equal(_seed_state(resumed), _seed_state(reference))
    assert_same_weights(resumed, reference)
    return SimpleNamespace(
        reference=reference,
        resumed=resumed,
        reference_history=reference_history.history,
        resumed_history=resumed_history.history,
    )


# --- MirroredStrategy ---------------------------------------------------------------------------


def assert_mirrored_step_matches(result, *, rel=1e-4, abs=None, label=None):
    """``result`` (``mirrored_vs_single`` in a ``tests/distributed.py`` body) shows the same step:
    an update difference < 1e-2 (float32 round-off is ~1e-3; a missing ``1 / replicas`` gives ~1)
    and every logged value equal to ``rel`` (and ``abs``, for values that are pure round-off)."""
    assert result["update_difference"] < 1e-2, label
    for name, value in result["single"].items():
        assert result["mirrored"][name] == pytest.approx(value, rel=rel, abs=abs), (label, name)


def assert_mirrored_matches_single(body, *, rel=1e-4, abs=None, env=None):
    """Run ``body`` with a two-replica ``strategy`` in a child process (``run_with_two_cpus``) and
    ``assert_mirrored_step_matches`` what it reported; returns the report for further asserts."""
    result = run_with_two_cpus(body, env=env)
    assert_mirrored_step_matches(result, rel=rel, abs=abs)
    return result


# --- bad inputs -------------------------------------------------------------------------------


def raising_cases(table):
    """``{id: (callable, kwargs, match)}`` as ``pytest.param`` rows for
    ``@pytest.mark.parametrize("call, kwargs, match", ...)``."""
    return [pytest.param(*row, id=case) for case, row in table.items()]


def assert_raises(call, kwargs, match):
    """``call(**kwargs)`` raises a ``ValueError`` whose message matches ``match`` (the argument's
    name, e.g. ``"`stage`"``)."""
    with pytest.raises(ValueError, match=match):
        call(**kwargs)


def assert_raises_table(rows):
    """``assert_raises`` for each ``(callable, kwargs, match)`` row, in order."""
    for call, kwargs, match in rows:
        assert_raises(call, kwargs, match)
