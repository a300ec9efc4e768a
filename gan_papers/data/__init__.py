"""Offline built-in data and loaders for real datasets (DESIGN.md, "Data").

Super-resolution (Ledig et al. 2017, SRGAN):

- ``photos``: the colour photos shipped with scikit-image, scikit-learn and matplotlib, a fixed
  train / held-out split (``builtin_photos``).
- ``sr_training``: ``tf.data`` pipelines of random (LR [0, 1], HR [-1, 1]) training crops from those
  photos (``sr_dataset``), a folder of images (``folder_sr_dataset``) or DIV2K (``div2k_dataset``).
- ``sr_pairs``: whole-image evaluation pairs: held-out photos (``heldout_pairs``), a folder
  (``sr_folder_pairs``), Set5 / Set14 / BSD100 (``benchmark_pairs``).
- ``image_folder``: reading image folders that may hold a corrupt file (skip, count, warn once).

Face papers (Yeh et al. 2017; Li et al. 2017):

- ``faces``: procedural frontal faces with exact 11-class Helen parsing labels (``render_faces``,
  ``face_dataset``), deterministic by index and seed.
- ``celeba``: CelebA as prepared by ``python -m data_scripts.celeba`` (``celeba_dataset``).

3-D shapes (Wu et al. 2016, 3D-GAN):

- ``shapes``: procedural furniture of eight classes as voxel grids in {0, 1} with labels
  (``make_shapes``, ``shape_dataset``) and shaded views of them (``render_views``), deterministic
  by index and seed.
- ``modelnet``: OFF meshes and their voxelisation (``read_off``, ``voxelize_mesh``), and ModelNet10/40
  as prepared by ``python -m data_scripts.modelnet`` (``modelnet_voxels``, ``modelnet_dataset``).

TensorFlow is imported only when a ``tf.data`` pipeline is built.
"""

from gan_papers.data.celeba import celeba_dataset, celeba_images
from gan_papers.data.faces import (
    FACE_CLASSES,
    FACE_SPLITS,
    MIRRORED_CLASSES,
    colorize_labels,
    face_dataset,
    label_colors,
    render_faces,
)
from gan_papers.data.helen import helen_dataset, helen_images
from gan_papers.data.modelnet import (
    MODELNET10_CLASSES,
    modelnet_classes,
    modelnet_dataset,
    modelnet_voxels,
    read_off,
    voxelize_mesh,
)
from gan_papers.data.photos import HELDOUT_PHOTOS, TRAIN_PHOTOS, builtin_photos
from gan_papers.data.shapes import (
    SHAPE_CLASSES,
    SHAPE_SPLITS,
    VOXEL_AXES,
    make_shapes,
    render_views,
    shape_dataset,
    upright_xyz,
)
from gan_papers.data.sr_pairs import benchmark_pairs, heldout_pairs, sr_folder_pairs
from gan_papers.data.sr_training import div2k_dataset, folder_sr_dataset, sr_dataset

__all__ = [
    "celeba_dataset",
    "celeba_images",
    "FACE_CLASSES",
    "FACE_SPLITS",
    "MIRRORED_CLASSES",
    "colorize_labels",
    "face_dataset",
    "label_colors",
    "render_faces",
    "helen_dataset",
    "helen_images",
    "MODELNET10_CLASSES",
    "modelnet_classes",
    "modelnet_dataset",
    "modelnet_voxels",
    "read_off",
    "voxelize_mesh",
    "HELDOUT_PHOTOS",
    "TRAIN_PHOTOS",
    "benchmark_pairs",
    "builtin_photos",
    "div2k_dataset",
    "folder_sr_dataset",
    "heldout_pairs",
    "sr_dataset",
    "sr_folder_pairs",
    "SHAPE_CLASSES",
    "SHAPE_SPLITS",
    "VOXEL_AXES",
    "make_shapes",
    "render_views",
    "shape_dataset",
    "upright_xyz",
]
