"""The materials of the face painter: what it writes per pixel, the parsing class of each, and how
each is shaded and textured.
"""

import numpy as np

# Materials: what the painter writes per pixel. Several materials can share a class (the iris is
# part of the eye); left/right pairs are adjacent so that `left + is_right` picks the side.
(
    BG,
    CLOTH,
    HAIR_BACK,
    NECK,
    EAR,
    SKIN,
    HAIR,
    BROW_L,
    BROW_R,
    SCLERA_L,
    SCLERA_R,
    IRIS_L,
    IRIS_R,
    PUPIL_L,
    PUPIL_R,
    LASH_L,
    LASH_R,
    NOSE,
    NOSTRIL,
    UPPER_LIP,
    MOUTH,
    TEETH,
    LOWER_LIP,
) = range(23)
N_MATERIALS = 23

MATERIAL_CLASS = np.array(
    [0, 0, 10, 1, 1, 1, 10, 2, 3, 4, 5, 4, 5, 4, 5, 4, 5, 6, 6, 7, 8, 8, 9], dtype=np.int32
)
# Materials lit by the head's shading (the background and clothes have their own gradient).
LIT = np.ones(N_MATERIALS, dtype=np.float32)
LIT[[BG, CLOTH]] = 0.0
# Strength of the smooth texture per material; hair uses its own streaky field.
TEXTURE = np.full(N_MATERIALS, 0.03, dtype=np.float32)
TEXTURE[[BG, CLOTH]] = 0.06
TEXTURE[[HAIR, HAIR_BACK, BROW_L, BROW_R]] = 0.18
TEXTURE[[SCLERA_L, SCLERA_R, PUPIL_L, PUPIL_R, LASH_L, LASH_R, TEETH]] = 0.0
IS_HAIR = np.zeros(N_MATERIALS, dtype=bool)
IS_HAIR[[HAIR, HAIR_BACK, BROW_L, BROW_R]] = True
