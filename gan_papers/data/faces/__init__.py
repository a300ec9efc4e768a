"""Procedural frontal faces with exact 11-class parsing labels: offline stand-ins for CelebA and Helen.

Both face papers of the course need faces: Yeh et al. 2017 (*Semantic Image Inpainting*) train
their DCGAN prior on CelebA, and Li et al. 2017 (*Generative Face Completion*) add a semantic
parsing loss from a network trained on Helen's 11-class face-parsing labels. This package draws
faces that serve both, with no download: each face is a stack of analytic shapes (ellipses,
parabolas, bands) painted back to front on a grid of pixel centres, so its label map is exact by
construction: the label of a pixel is the class of the topmost shape covering its centre.

Modules: ``labels`` (the classes, pictures of label maps), ``materials`` (what the painter writes
per pixel), ``parameters`` (each face's draws, geometry and colours), ``render`` (painting,
``render_faces``), ``pipeline`` (``face_dataset``, the splits).
"""

from gan_papers.data.faces.labels import (
    FACE_CLASSES,
    MIRRORED_CLASSES,
    colorize_labels,
    label_colors,
)
from gan_papers.data.faces.pipeline import FACE_SPLITS, face_dataset
from gan_papers.data.faces.render import MIN_SIZE, render_faces

__all__ = [
    "FACE_CLASSES",
    "FACE_SPLITS",
    "MIN_SIZE",
    "MIRRORED_CLASSES",
    "colorize_labels",
    "face_dataset",
    "label_colors",
    "render_faces",
]
