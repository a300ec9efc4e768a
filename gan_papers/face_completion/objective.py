"""The generator's objective of Li et al. 2017 (Section 3.4, eq. 3), assembled from its terms:

    L = L_r + lambda_1 L_a1 + lambda_2 L_a2 + lambda_3 L_p          (eq. 3)

``generator_terms`` computes the four terms on G's completion of a batch (each adversarial and the
parsing term only from its stage, see ``stages``), ``total_loss`` weights them. The authors' lambdas
(``gradstack.m``: 300, 300, 0.05) go with L_r and L_p summed over each face's pixels (see
``losses``); ``loss_weights`` rescales them when either is a per-element mean instead.
"""

from gan_papers.common.losses import generator_loss
from gan_papers.face_completion.completion import global_input
from gan_papers.face_completion.losses import parsing_labels, parsing_loss, reconstruction_loss
from gan_papers.face_completion.stages import from_stage

# gradstack.m, with L_r and L_p summed over each face's pixels (see ``losses``).
PAPER_LAMBDAS = (300.0, 300.0, 0.05)


def loss_weights(lambdas, image_size, reconstruction_reduction, parsing_reduction):
    """lambda_1..3 in the conventions of the two pixel-summed losses (see ``losses``).

    The paper's lambdas go with L_r and L_p both summed over the pixels. A per-element mean L_r is
    that sum over D_r = H*W*3 and a per-pixel mean L_p that sum over D_p = H*W; dividing the whole
    objective by D_r (a constant: the same minimiser) gives
    L_r/D_r + (l1/D_r) L_a1 + (l2/D_r) L_a2 + (l3 D_p/D_r) (L_p/D_p), hence the rescaled lambdas.
    With both means that is l1/(H*W*3), l2/(H*W*3), l3/3.
    """
    pixels = float(image_size * image_size)
    d_r = pixels * 3.0 if reconstruction_reduction == "mean" else 1.0
    d_p = pixels if parsing_reduction == "mean" else 1.0
    lambda_local, lambda_global, lambda_parsing = lambdas
    return lambda_local / d_r, lambda_global / d_r, lambda_parsing * d_p / d_r


def total_loss(terms, weights):
    """L of eq. 3 from ``terms`` (a dict of the four terms, by their log names) and ``weights``
    (lambda_1..3, from ``loss_weights``)."""
    lambda_local, lambda_global, lambda_parsing = weights
    return (
        terms["reconstruction_loss"]
        + lambda_local * terms["local_adversarial_loss"]
        + lambda_global * terms["global_adversarial_loss"]
        + lambda_parsing * terms["parsing_loss"]
    )


def generator_terms(model, faces, c, training):
    """The four terms of eq. 3 on G's ``Completion`` ``c`` of ``faces``, each 0 before its stage:
    a dict by the names the model logs. ``model``: the ``FaceCompletionGAN`` (its networks, stage
    and loss options); ``training``: the discriminators' mode (the frozen parser is always in
    inference mode)."""
    return {
        # L_r: G's whole output against the face (Section 3.4)
        "reconstruction_loss": reconstruction_loss(
            c.output, faces, model.reconstruction, model.reconstruction_reduction
        ),
        # L_a1: -log D_local of the completed patch (G's side of eq. 1), from stage 2
        "local_adversarial_loss": from_stage(
            model.stage,
            2,
            lambda: generator_loss(model.local_discriminator(c.fake_patches, training=training)),
        ),
        # L_a2: -log D_global of the composite (G's side of eq. 1), from stage 3
        "global_adversarial_loss": from_stage(
            model.stage,
            3,
            lambda: generator_loss(
                model.global_discriminator(
                    global_input(c.output, c.completed, model.global_gradient),
                    training=training,
                )
            ),
        ),
        # L_p: the parse of the completion against the parser's labels of the face, from stage 3
        "parsing_loss": from_stage(
            model.stage,
            3,
            lambda: parsing_loss(
                model.parser(c.completed, training=False),
                parsing_labels(model.parser(faces, training=False)),
                model.parsing_reduction,
            ),
        ),
    }
