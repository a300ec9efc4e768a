"""ModelNet (Wu et al., CVPR 2015) as voxel grids: OFF meshes, their voxelisation, and the loaders of what
``python -m data_scripts.modelnet`` writes.

Wu et al. 2016 (*3D-GAN*, Section 4.3) classify ModelNet10 and ModelNet40 shapes with a linear SVM on
their discriminator's features (ModelNet10: 91.0 %, ModelNet40: 83.3 %). ModelNet ships triangle
meshes in the OFF format; ``python -m data_scripts.modelnet --data-dir <data_dir> [--resolution 32]``
voxelises them with ``voxelize_mesh`` and writes::

    <data_dir>/modelnet10/prepared_<R>/train.npz, test.npz, manifest.json

which ``modelnet_voxels`` and ``modelnet_dataset`` read, in the formats of the procedural shapes
(``gan_papers.data.shapes``): float32 (N, R, R, R, 1) in {0, 1} and int32 labels.

Modules: ``off`` (reading OFF meshes), ``voxelize`` (meshes to grids), ``prepared`` (the prepared
splits and their loaders).
"""

from gan_papers.data.modelnet.off import parse_off, read_off
from gan_papers.data.modelnet.prepared import (
    MODELNET10_CLASSES,
    MODELNET_SPLITS,
    MODELNET_VARIANTS,
    load_prepared,
    modelnet_classes,
    modelnet_dataset,
    modelnet_folder,
    modelnet_voxels,
    unpack_voxels,
)
from gan_papers.data.modelnet.voxelize import fit_to_grid, voxelize_mesh

__all__ = [
    "MODELNET10_CLASSES",
    "MODELNET_SPLITS",
    "MODELNET_VARIANTS",
    "fit_to_grid",
    "load_prepared",
    "modelnet_classes",
    "modelnet_dataset",
    "modelnet_folder",
    "modelnet_voxels",
    "parse_off",
    "read_off",
    "unpack_voxels",
    "voxelize_mesh",
]
