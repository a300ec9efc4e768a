"""Procedural 3-D objects as voxel grids, with class labels and rendered 2-D views: the offline data of
Wu et al. 2016 (*3D-GAN*).

The paper trains on ShapeNet objects voxelised at 64^3 (Section 4), classifies ModelNet10/40 shapes
with the discriminator's features (Section 4.3) and reconstructs objects from single images with the
3D-VAE-GAN (Section 4.4). This package builds objects of eight furniture classes (``SHAPE_CLASSES``)
from boxes, cylinders, cones and ellipsoids, so that every notebook runs with no download:

- ``make_shapes``: occupancy grids in {0, 1} with their class labels;
- ``render_views``: a shaded image of each grid from a chosen direction, the input of the 3D-VAE-GAN's
  image encoder;
- ``shape_dataset``: both as a ``tf.data`` pipeline.

**Variation.** Within a class: proportions, leg count, shape and placement, back height and style,
arm rests, shelf count, books, lamp base and shade shape, bunk beds, L-shaped sofas, CRT monitors,
claw-foot tubs...; asymmetric objects are mirrored at random. The class is ``index % 8``, so
consecutive indices cycle through the classes and every range of indices is balanced.

Modules: ``grid`` (axes, placement, resolution), ``parts`` (the solids objects are made of),
``furniture`` and ``fixtures`` (the builders of the eight classes), ``raster`` (parts to voxels),
``render`` (shaded views), ``pipeline`` (``make_shapes``, ``shape_dataset``).
"""

from gan_papers.data.shapes.grid import (
    MIN_RESOLUTION,
    PADDING,
    VOXEL_AXES,
    check_resolution,
    upright_xyz,
)
from gan_papers.data.shapes.pipeline import SHAPE_CLASSES, SHAPE_SPLITS, make_shapes, shape_dataset
from gan_papers.data.shapes.render import render_views

__all__ = [
    "MIN_RESOLUTION",
    "PADDING",
    "SHAPE_CLASSES",
    "SHAPE_SPLITS",
    "VOXEL_AXES",
    "check_resolution",
    "make_shapes",
    "render_views",
    "shape_dataset",
    "upright_xyz",
]
