"""3D-GAN's discriminator as an unsupervised feature extractor (Wu et al. 2016, Section 4.2).

The paper trains a 3D-GAN without labels, then takes the responses of the discriminator's second,
third and fourth convolution layers to each shape, max-pools them (kernels 8, 4 and 2, an
assumption listed in ``gan_papers.gan3d``), concatenates them and trains a linear SVM on these
features to classify ModelNet10/40 shapes (91.0 % / 83.3 %, widely cited).

At 64^3 the three layers are 16^3 x 128, 8^3 x 256 and 4^3 x 512; pooling each to 2^3 gives
1024 + 2048 + 4096 = 7168 features. Here the responses are taken after batch norm and LeakyReLU
(``lrelu2``..``lrelu4``, D in inference mode), and by default each map is pooled to 2^3 at any
resolution, which at 64^3 is the paper's 8, 4, 2. A discriminator with k < 3 stages gives its k.

The classifier is scikit-learn's ``LinearSVC`` after a ``StandardScaler`` (the paper does not say
how it scales features; an SVM needs comparable scales). ``voxel_features`` is the baseline the
features should beat: the raw shapes, averaged down to a small grid.
"""

import keras
import numpy as np
from sklearn.metrics import accuracy_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC

from gan_papers.common.validation import check_positive_int
from gan_papers.gan3d.voxels import check_voxels, to_numpy

FEATURE_LAYERS_AT_64 = ("lrelu2", "lrelu3", "lrelu4")
PAPER_POOL_SIZES = (8, 4, 2)


def _stage_count(discriminator):
    k = 0
    while True:
        try:
            discriminator.get_layer(f"lrelu{k + 1}")
        except ValueError:
            return k
        k += 1


def default_feature_layers(discriminator):
    """The paper's layers: the last three of D's k stages (``lrelu2``..``lrelu4`` at 64^3)."""
    k = _stage_count(discriminator)
    if k == 0:
        raise ValueError(
            "`discriminator` must be a build_discriminator model (layers named lrelu1, lrelu2, ...); "
            f"{discriminator.name!r} has none."
        )
    return tuple(f"lrelu{i}" for i in range(max(1, k - 2), k + 1))


def feature_extractor(discriminator, layers=None, pool_sizes=None):
    """A ``keras.Model`` from voxels to D's max-pooled, concatenated responses (B, F), float32.

    Args:
        discriminator: a ``build_discriminator`` model (trained).
        layers: names of the layers whose responses to use; default ``default_feature_layers``.
        pool_sizes: one max-pool kernel (= stride) per layer; default: each map pooled to 2^3
            (8, 4, 2 at 64^3, the paper's).
    """
    layers = tuple(layers) if layers is not None else default_feature_layers(discriminator)
    outputs = []
    for name in layers:
        try:
            outputs.append(discriminator.get_layer(name).output)
        except ValueError:
            raise ValueError(
                f"`layers` names a layer {name!r} that `discriminator` does not have."
            ) from None
    sides = [int(o.shape[1]) for o in outputs]
    if pool_sizes is None:
        pool_sizes = tuple(max(side // 2, 1) for side in sides)
    pool_sizes = tuple(pool_sizes)
    if len(pool_sizes) != len(layers):
        raise ValueError(
            f"`pool_sizes` must give one kernel per layer ({len(layers)}: {list(layers)}); "
            f"received {pool_sizes!r}."
        )
    pooled = []
    for name, output, side, size in zip(layers, outputs, sides, pool_sizes, strict=True):
        size = check_positive_int(size, "pool_sizes")
        if side % size:
            raise ValueError(
                f"`pool_sizes` must divide each map's side: {name} is {side}^3, pool size {size}."
            )
        x = keras.layers.MaxPooling3D(size, name=f"pool_{name}")(output)
        x = keras.layers.Flatten(name=f"flatten_{name}")(x)
        pooled.append(keras.layers.Activation("linear", dtype="float32", name=f"f_{name}")(x))
    features = pooled[0] if len(pooled) == 1 else keras.layers.Concatenate(name="features")(pooled)
    return keras.Model(discriminator.input, features, name="gan3d_features")


def discriminator_features(discriminator, voxels, layers=None, pool_sizes=None, batch_size=32):
    """D's features of ``voxels``: a NumPy array (N, F), float32 (7168 features at 64^3).

    Args:
        discriminator: a trained ``build_discriminator`` model.
        voxels: shapes (N, R, R, R, 1) in {0, 1}, R = D's resolution (D learnt on binary shapes).
        layers, pool_sizes: see ``feature_extractor``.
        batch_size: shapes per forward pass.
    """
    resolution = int(discriminator.input_shape[1])
    voxels = check_voxels(voxels, "voxels", resolution=resolution, binary=True)
    batch_size = check_positive_int(batch_size, "batch_size")
    extractor = feature_extractor(discriminator, layers, pool_sizes)
    chunks = [
        to_numpy(extractor(voxels[i : i + batch_size], training=False))
        for i in range(0, len(voxels), batch_size)
    ]
    return np.concatenate(chunks).astype("float32")


def voxel_features(voxels, size=8):
    """The baseline: shapes averaged down to ``size``^3 (the fraction occupied per block), flattened.

    Args:
        voxels: (N, R, R, R, 1) in {0, 1}, R divisible by ``size``.
        size: side of the coarse grid (8 -> 512 features).
    """
    voxels = check_voxels(voxels, "voxels", binary=True)
    size = check_positive_int(size, "size")
    n, r = voxels.shape[0], voxels.shape[1]
    if r % size:
        raise ValueError(f"`size` must divide the voxels' side {r}; received {size}.")
    b = r // size
    blocks = voxels[..., 0].reshape(n, size, b, size, b, size, b)
    return blocks.mean(axis=(2, 4, 6)).reshape(n, -1).astype("float32")


def _check_features(features, labels):
    features = np.asarray(features)
    labels = np.asarray(labels)
    if features.ndim != 2 or features.shape[0] == 0 or features.shape[1] == 0:
        raise ValueError(
            f"`features` must be a non-empty 2-D array (samples, features); received shape "
            f"{features.shape}."
        )
    if not np.issubdtype(features.dtype, np.number) or not np.all(np.isfinite(features)):
        raise ValueError("`features` must be finite numbers.")
    if labels.ndim != 1 or labels.shape[0] != features.shape[0]:
        raise ValueError(
            f"`labels` must be a 1-D array with one label per row of `features` "
            f"({features.shape[0]}); received shape {labels.shape}."
        )
    return features, labels


def train_feature_classifier(features, labels, C=1.0, max_iter=10_000, seed=0):
    """Fit the paper's linear SVM (``StandardScaler`` then ``LinearSVC``) on ``features``.

    Args:
        features: (N, F), e.g. ``discriminator_features`` or ``voxel_features``.
        labels: (N,) class labels.
        C: the SVM's regularisation (the paper does not give it; scikit-learn's default 1).
        max_iter, seed: passed to ``LinearSVC`` (``seed`` as ``random_state``).

    Returns:
        The fitted scikit-learn pipeline (``predict(features)`` gives labels).
    """
    features, labels = _check_features(features, labels)
    if len(np.unique(labels)) < 2:
        raise ValueError(
            f"`labels` must hold at least 2 classes to train a classifier; received "
            f"{np.unique(labels).tolist()}."
        )
    classifier = make_pipeline(
        StandardScaler(), LinearSVC(C=C, max_iter=max_iter, random_state=seed)
    )
    return classifier.fit(features, labels)


def evaluate_feature_classifier(classifier, features, labels):
    """The fraction of ``labels`` that ``classifier`` predicts right from ``features`` (a float)."""
    features, labels = _check_features(features, labels)
    return float(accuracy_score(labels, classifier.predict(features)))


def _features(discriminator, voxels, baseline_size, pool_sizes):
    return {
        "discriminator": discriminator_features(discriminator, voxels, pool_sizes=pool_sizes),
        "raw_voxels": voxel_features(voxels, baseline_size),
    }


def _accuracies(train, train_labels, test, test_labels, C):
    return {
        name: evaluate_feature_classifier(
            train_feature_classifier(train[name], train_labels, C=C), test[name], test_labels
        )
        for name in train
    }


def classification_experiment(
    discriminator,
    train_voxels,
    train_labels,
    test_voxels,
    test_labels,
    C=1.0,
    baseline_size=8,
    pool_sizes=None,
):
    """Section 4.2 at any scale: test accuracy of a linear SVM on D's features and on raw voxels.

    Returns a dict: ``discriminator`` and ``raw_voxels`` (accuracies), ``feature_dims`` of each.
    """
    train = _features(discriminator, train_voxels, baseline_size, pool_sizes)
    test = _features(discriminator, test_voxels, baseline_size, pool_sizes)
    result = _accuracies(train, train_labels, test, test_labels, C)
    result["feature_dims"] = {name: features.shape[1] for name, features in train.items()}
    return result


def few_label_experiment(
    discriminator,
    train_voxels,
    train_labels,
    test_voxels,
    test_labels,
    labels_per_class=(5, 10, 40),
    C=1.0,
    baseline_size=8,
    pool_sizes=None,
):
    """The same linear SVMs trained on only ``n`` labelled shapes per class, for each ``n``.

    The paper's argument for unsupervised features (Section 4.2) is that they need few labels: a
    classifier on D's features should beat one on raw voxels most clearly when labels are scarce.
    For each ``n`` the first ``n`` training shapes of every class (in the order given) train both
    SVMs; every test shape scores them.

    Returns:
        A list with one dict per ``n``: ``labels_per_class``, ``train_shapes``, and the test
        accuracies ``discriminator`` and ``raw_voxels``.
    """
    train_labels = np.asarray(train_labels)
    classes, counts = np.unique(train_labels, return_counts=True)
    for n in labels_per_class:
        check_positive_int(n, "labels_per_class")
        if n > counts.min():
            raise ValueError(
                f"`labels_per_class` must not exceed the smallest class's {counts.min()} training "
                f"shapes (class {classes[counts.argmin()]}); received {n}."
            )
    train = _features(discriminator, train_voxels, baseline_size, pool_sizes)
    test = _features(discriminator, test_voxels, baseline_size, pool_sizes)
    rows = []
    for n in labels_per_class:
        keep = np.concatenate([np.flatnonzero(train_labels == c)[:n] for c in classes])
        subset = {name: features[keep] for name, features in train.items()}
        accuracies = _accuracies(subset, train_labels[keep], test, test_labels, C)
        rows.append({"labels_per_class": int(n), "train_shapes": len(keep), **accuracies})
    return rows
