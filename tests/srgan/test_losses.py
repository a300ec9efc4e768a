"""Content losses (Ledig et al. 2017, eq. 4-5): MSE, VGG22/VGG54 with preprocessing and 1/12.75 rescale."""

import keras
import numpy as np
import pytest

from gan_papers.srgan import ContentLoss, VGGWeightsUnavailableError, build_vgg_feature_extractor
from gan_papers.srgan.losses import VGG19_WEIGHTS_FILE, total_variation


def _images(seed, shape=(2, 32, 32, 3)):
    return np.random.default_rng(seed).uniform(-1, 1, size=shape).astype("float32")


def test_mse_is_the_pixel_mean_of_squared_errors():
    hr, sr = _images(0), _images(1)
    loss = ContentLoss("mse")
    per_image = np.asarray(loss.call(hr, sr))
    np.testing.assert_allclose(per_image, ((hr - sr) ** 2).mean(axis=(1, 2, 3)), rtol=1e-5)
    np.testing.assert_allclose(float(loss(hr, sr)), ((hr - sr) ** 2).mean(), rtol=1e-5)


@pytest.mark.parametrize(
    "kind, layer, down, channels",
    [("vgg22", "block2_conv2", 2, 128), ("vgg54", "block5_conv4", 16, 512)],
)
def test_vgg_layers_are_the_papers(kind, layer, down, channels):
    extractor = build_vgg_feature_extractor(layer, weights=None)
    out = extractor(_images(0), training=False)
    assert tuple(out.shape) == (2, 32 // down, 32 // down, channels)
    # phi is taken after the ReLU: no negative activations.
    assert float(np.min(out)) >= 0.0


def test_preprocessing_matches_keras_vgg19_preprocess_input():
    extractor = build_vgg_feature_extractor("block1_conv1", weights=None)
    images = _images(3)
    ours = np.asarray(extractor.get_layer("vgg_preprocess")(images))
    expected = keras.applications.vgg19.preprocess_input((images + 1.0) * 127.5)
    np.testing.assert_allclose(ours, np.asarray(expected), atol=1e-4)


def test_vgg_loss_is_rescaled_feature_mse():
    loss = ContentLoss("vgg22", weights=None)
    hr, sr = _images(4), _images(5)
    phi_hr = np.asarray(loss.extractor(hr)) / 12.75
    phi_sr = np.asarray(loss.extractor(sr)) / 12.75
    expected = ((phi_hr - phi_sr) ** 2).mean(axis=(1, 2, 3))
    np.testing.assert_allclose(np.asarray(loss.call(hr, sr)), expected, rtol=1e-4)


def test_vgg_network_is_frozen():
    loss = ContentLoss("vgg22", weights=None)
    assert loss.extractor.trainable_weights == []


def test_total_variation_by_hand():
    image = np.zeros((1, 3, 3, 1), "float32")
    image[0, 1, 1, 0] = 1.0  # one bright pixel: 4 neighbour differences of 1
    assert float(total_variation(image)[0]) == pytest.approx(4.0)
    loss = ContentLoss("mse", total_variation_weight=0.5)
    assert float(loss.call(image, image)[0]) == pytest.approx(2.0)


def test_config_round_trip():
    loss = ContentLoss("vgg54", weights=None, total_variation_weight=2e-8)
    clone = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(loss))
    assert (clone.kind, clone.weights, clone.total_variation_weight) == ("vgg54", None, 2e-8)


def test_missing_imagenet_weights_name_the_file_and_folder(tmp_path, monkeypatch):
    # An empty Keras home and no network: the error must say what to put where.
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))

    def offline(*args, **kwargs):
        raise Exception("URL fetch failure: no network")

    monkeypatch.setattr(keras.applications, "VGG19", offline)
    with pytest.raises(VGGWeightsUnavailableError) as error:
        ContentLoss("vgg54")
    assert VGG19_WEIGHTS_FILE in str(error.value)
    assert str(tmp_path / "models") in str(error.value)
    assert isinstance(error.value, FileNotFoundError)


def test_unknown_kind_raises():
    with pytest.raises(ValueError, match="`kind` must be one of"):
        ContentLoss("vgg33")
