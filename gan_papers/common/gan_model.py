"""The plumbing every GAN model of the package shares, so each paper's class holds only its paper.

``GANModel`` is a ``keras.Model`` holding a generator and a discriminator with one optimizer each:
- ``compile`` drops Keras' unused default optimizer, wraps both optimizers for mixed precision and
  builds their variables at once (so ``BackupAndRestore`` and ``load_model`` can restore their state);
- ``get_config``/``from_config`` serialise the sub-models, so ``.keras`` files load in safe mode;
- ``get_compile_config``/``compile_from_config`` save what ``compile`` was given (see
  ``_compile_arguments``), so a loaded model comes back compiled with its optimizer state.
"""

import keras

from gan_papers.common.training import loss_scale_wrap

_SEED_STATE = "seed_generator_state"


class GANModel(keras.Model):
    """Base of the papers' GAN models. Subclasses set ``self.generator``/``self.discriminator`` in
    ``__init__`` (then call ``super().__init__`` first) and implement ``train_step``.

    A model with more networks lists them in ``SUBMODELS`` (what ``get_config`` serialises) and
    compiles with ``compile_networks``. A ``seed_generator`` attribute has its state saved with the
    weights.
    """

    SUBMODELS = ("generator", "discriminator")

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
        self._compile_arguments = {
            **{attribute: getattr(self, attribute) for attribute in optimizers},
            **(compile_arguments or {}),
        }

    # Keras saves a layer's weights but not its seed generators' states: without these two methods
    # a run resumed by BackupAndRestore would draw other random numbers than an uninterrupted one.
    def save_own_variables(self, store):
        super().save_own_variables(store)
        if hasattr(self, "seed_generator"):
            store[_SEED_STATE] = self.seed_generator.state

    def load_own_variables(self, store):
        # Not super(): Keras refuses a store with more entries (the seed state) than variables.
        for i, variable in enumerate(self._trainable_variables + self._non_trainable_variables):
            variable.assign(store[f"{i}"])
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
