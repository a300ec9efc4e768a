"""The plumbing every model of the package with its own ``train_step`` shares, so that each paper's
class holds only its paper and each ``train_step`` reads as the paper's equations.

``StepModel`` (any such model, e.g. the inpainting latent search):
- ``TRACKERS`` declares, once, the names of the values its steps log: each gets a
  ``keras.metrics.Mean``, ``metrics`` returns them (so Keras resets them every epoch, and logs no
  unused compile-time ``loss``), and ``record(name=value, ...)`` adds a step's values and returns
  the logs;
- it is built from the start: its networks are built when they are given, and ``save_weights`` (so
  ``BackupAndRestore``) refuses a model that is not built.

``GANModel`` holds a generator and a discriminator with one optimizer each (or more networks, see
``SUBMODELS``) and adds what a GAN's step needs beyond its paper:
- ``objective(optimizer, loss)``: what to differentiate for a loss averaged over this replica's batch;
- ``draw(fn, batch_size)``: random numbers for this replica's batch, different on every replica;
- ``descend`` / ``descend_if``: one optimizer step down the objective's gradient (if a condition holds);
- ``compile`` drops Keras' unused default optimizer, wraps each optimizer for mixed precision and
  builds their variables at once (so ``BackupAndRestore`` and ``load_model`` can restore their state);
- ``fit`` ends, like Keras', by writing an optimizer's weight averages into its network when the
  optimizer keeps them (``use_ema=True``);
- ``get_config``/``from_config`` serialise the sub-models, so ``.keras`` files load in safe mode;
- ``get_compile_config``/``compile_from_config`` save what ``compile`` was given (see
  ``_compile_arguments``), so a loaded model comes back compiled with its optimizer state;
- the state of a ``seed_generator`` attribute is saved with the weights.
"""

import keras
import tensorflow as tf

from gan_papers.common.training import (
    apply_if,
    draw_per_replica,
    loss_scale_wrap,
    replicas_in_sync,
    scale_loss,
)

_SEED_STATE = "seed_generator_state"


class StepModel(keras.Model):
    """A ``keras.Model`` trained by its own ``train_step``, logging the running means of the values
    named in ``TRACKERS`` (a class attribute, in the order Keras shows them)."""

    TRACKERS = ()

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.trackers = {name: keras.metrics.Mean(name=name) for name in self.TRACKERS}
        # Nothing to build: the networks a subclass holds are built when given (a model that is not
        # built cannot save_weights, so BackupAndRestore could not resume it).
        self.built = True

    @property
    def metrics(self):
        return list(self.trackers.values())

    def record(self, **values):
        """Add this step's ``values`` (one per tracker name) to the trackers; return the logs
        (``train_step``'s and ``test_step``'s result): every tracker's mean so far this epoch."""
        for name, value in values.items():
            self.trackers[name].update_state(value)
        return {name: tracker.result() for name, tracker in self.trackers.items()}


class GANModel(StepModel):
    """Base of the papers' GAN models. Subclasses call ``super().__init__`` first, then set
    ``self.generator``/``self.discriminator``, and implement ``train_step``.

    A model with more networks lists them in ``SUBMODELS`` (what ``get_config`` serialises) and
    compiles with ``compile_networks``. A ``seed_generator`` attribute has its state saved with the
    weights.
    """

    SUBMODELS = ("generator", "discriminator")

    # ------------------------------------------------------------------ a train_step's helpers
    def objective(self, optimizer, loss):
        """What ``optimizer``'s network descends for ``loss``, a mean over this replica's batch.

        Under ``tf.distribute`` the replicas' gradients are summed, so a per-replica mean is divided
        by the number of replicas: the sum is then the gradient of the global batch's mean. Under a
        ``LossScaleOptimizer`` (float16) the result is scaled up, so that small gradients do not
        round to 0; its ``apply`` scales them back (and skips a step whose gradients overflowed).
        Compute it inside the ``GradientTape`` that differentiates it.
        """
        return scale_loss(optimizer, loss / replicas_in_sync())

    def draw(self, draw, batch_size):
        """``draw(n)`` (random numbers for ``n`` items) for this replica's ``batch_size`` items.

        Every replica holds the same seed-generator state; each takes its slice of what one device
        would draw for the global batch, so the replicas draw different numbers and a mirrored run
        draws what a single-device run does (``draw_per_replica``).
        """
        return draw_per_replica(draw, batch_size)

    def descend(self, optimizer, tape, objective, network):
        """One step of ``optimizer`` on ``network``'s trainable weights down the gradient of
        ``objective`` (recorded on ``tape``)."""
        variables = network.trainable_variables
        optimizer.apply(tape.gradient(objective, variables), variables)

    def descend_if(self, condition, optimizer, tape, objective, network):
        """``descend`` if ``condition`` (a scalar bool tensor, the same on every replica) holds;
        otherwise nothing at all: the weights and the optimizer's state, ``iterations`` included,
        stay as they are (``apply_if``). On one device the backward pass, too, runs only then."""
        variables = network.trainable_variables
        if tf.distribute.has_strategy():
            # The backward pass may synchronise the replicas (synchronized batch norm), which a
            # tf.cond in a replica context must not contain: compute it, and skip only the step.
            grads = tape.gradient(objective, variables)
        else:
            grads = tf.cond(
                condition,
                lambda: tape.gradient(objective, variables),
                lambda: [tf.zeros_like(v) for v in variables],
            )
        apply_if(condition, optimizer, grads, variables)

    # ------------------------------------------------------------------ compile
    def compile_gan(self, g_optimizer, d_optimizer, compile_arguments=None, **kwargs):
        """Call from a subclass's ``compile``.

        ``compile_arguments``: the subclass's other serialisable ``compile`` arguments (e.g. a
        content loss), restored by ``compile_from_config``.
        """
        self.compile_networks(
            {
                "g_optimizer": (g_optimizer, self.generator),
                "d_optimizer": (d_optimizer, self.discriminator),
            },
            compile_arguments,
            **kwargs,
        )

    def compile_networks(self, optimizers, compile_arguments=None, **kwargs):
        """``optimizers``: {attribute name: (optimizer, the network it trains)}."""
        super().compile(**kwargs)
        # keras.Model.compile creates a default optimizer that a GAN never uses; fit() would build
        # it with slots for every weight.
        self.optimizer = None
        for attribute, (optimizer, network) in optimizers.items():
            optimizer = loss_scale_wrap(optimizer)
            setattr(self, attribute, optimizer)
            # Create the optimizer variables now, so that load_weights / BackupAndRestore /
            # load_model can restore their saved state before the first step.
            optimizer.build(network.trainable_variables)
        self._networks_of = {attribute: network for attribute, (_, network) in optimizers.items()}
        self._compile_arguments = {
            **{attribute: getattr(self, attribute) for attribute in optimizers},
            **(compile_arguments or {}),
        }

    # ------------------------------------------------------------------ training
    def fit(self, *args, **kwargs):
        """``keras.Model.fit``; then, as Keras does for a model's one optimizer, each optimizer
        built with ``use_ema=True`` writes its moving averages into its network's weights (Keras
        itself finalises only ``self.optimizer``, which a GAN does not use)."""
        history = super().fit(*args, **kwargs)
        for attribute, network in self._networks_of.items():
            getattr(self, attribute).finalize_variable_values(network.trainable_variables)
        return history

    # ------------------------------------------------------------------ saving
    # Keras saves a layer's weights but not its seed generators' states: without these two methods
    # a run resumed by BackupAndRestore would draw other random numbers than an uninterrupted one.
    def save_own_variables(self, store):
        super().save_own_variables(store)
        if hasattr(self, "seed_generator"):
            store[_SEED_STATE] = self.seed_generator.state

    def load_own_variables(self, store):
        # Keras refuses a store with more entries than variables: hand it the store without the
        # seed state.
        super().load_own_variables({key: store[key] for key in store.keys() if key != _SEED_STATE})
        # Files written without the state (e.g. by another version) keep the current one.
        if hasattr(self, "seed_generator") and _SEED_STATE in store:
            self.seed_generator.state.assign(store[_SEED_STATE])

    def get_config(self):
        return {
            **super().get_config(),
            **{
                name: keras.saving.serialize_keras_object(getattr(self, name))
                for name in self.SUBMODELS
            },
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for name in cls.SUBMODELS:
            config[name] = keras.saving.deserialize_keras_object(config[name])
        return cls(**config)

    def get_compile_config(self):
        if not getattr(self, "compiled", False) or not hasattr(self, "_compile_arguments"):
            return {}
        return {
            name: keras.saving.serialize_keras_object(value)
            for name, value in self._compile_arguments.items()
        }

    def compile_from_config(self, config):
        if config:
            self.compile(
                **{name: keras.saving.deserialize_keras_object(v) for name, v in config.items()}
            )
