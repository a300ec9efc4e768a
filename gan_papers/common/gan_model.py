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


class GANModel(keras.Model):
    """Base of the papers' GAN models. Subclasses set ``self.generator``/``self.discriminator`` in
    ``__init__`` (then call ``super().__init__`` first) and implement ``train_step``."""

    def compile_gan(self, g_optimizer, d_optimizer, compile_arguments=None, **kwargs):
        """Call from a subclass's ``compile``.

        ``compile_arguments``: the subclass's other serialisable ``compile`` arguments (e.g. a
        content loss), restored by ``compile_from_config``.
        """
        super().compile(**kwargs)
        # keras.Model.compile creates a default optimizer that a GAN never uses; fit() would build
        # it with slots for every weight.
        self.optimizer = None
        self.g_optimizer = loss_scale_wrap(g_optimizer)
        self.d_optimizer = loss_scale_wrap(d_optimizer)
        # Create the optimizer variables now, so that load_weights / BackupAndRestore /
        # load_model can restore their saved state before the first step.
        self.g_optimizer.build(self.generator.trainable_variables)
        self.d_optimizer.build(self.discriminator.trainable_variables)
        self._compile_arguments = {
            "g_optimizer": self.g_optimizer,
            "d_optimizer": self.d_optimizer,
            **(compile_arguments or {}),
        }

    def get_config(self):
        return {
            **super().get_config(),
            "generator": keras.saving.serialize_keras_object(self.generator),
            "discriminator": keras.saving.serialize_keras_object(self.discriminator),
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for name in ("generator", "discriminator"):
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
