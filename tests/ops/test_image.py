"""minigrad/ops/image.py: Keras 2's image helpers -- temporal and spatial
padding, nearest-neighbour resize_images and resize_volumes."""

import numpy as np
import pytest

from minigrad import backend as K
from helpers import check, var64, refusal_test


def test_padding_functions():
    value = np.random.default_rng(5).normal(size=(2, 3, 4, 5))
    x = var64(value)
    t = var64(value[0])
    check(K.temporal_padding(t, (2, 1)), np.pad(value[0], [(0, 0), (2, 1), (0, 0)]), [t])
    check(K.spatial_2d_padding(x, ((1, 0), (2, 3))), np.pad(value, [(0, 0), (1, 0), (2, 3), (0, 0)]), [x])
    check(K.spatial_2d_padding(x, ((1, 0), (2, 3)), "channels_first"),
          np.pad(value, [(0, 0), (0, 0), (1, 0), (2, 3)]), [x])
    v5 = value[..., None]
    x5 = var64(v5)
    check(K.spatial_3d_padding(x5), np.pad(v5, [(0, 0), (1, 1), (1, 1), (1, 1), (0, 0)]), [x5])
    assert K.int_shape(K.spatial_2d_padding(K.placeholder(shape=(None, None, 4, 3)))) == (None, None, 6, 3)
    with pytest.raises(ValueError, match=r"rank 4.*\(2, 3\)"):
        K.spatial_2d_padding(K.placeholder(shape=(2, 3)))


def test_resize_images_and_volumes():
    value = np.random.default_rng(6).normal(size=(2, 3, 4, 2))
    x = var64(value)
    expected = value.repeat(2, axis=1).repeat(3, axis=2)
    check(K.resize_images(x, 2, 3, "channels_last"), expected, [x])
    check(K.resize_images(x, 2, 3, "channels_first"), value.repeat(2, axis=2).repeat(3, axis=3), [x])
    v5 = value[:, None]
    x5 = var64(v5)
    check(K.resize_volumes(x5, 2, 1, 2, "channels_last"), v5.repeat(2, 1).repeat(2, 3), [x5])
    assert K.int_shape(K.resize_images(K.placeholder(shape=(None, 3, None, 1)), 2, 2, "channels_last")) == (None, 6, None, 1)
    with pytest.raises(NotImplementedError, match="nearest"):
        K.resize_images(x, 2, 2, "channels_last", interpolation="bilinear")
    with pytest.raises(ValueError, match="data_format"):
        K.resize_images(x, 2, 2, "nhwc")


def test_padding_needs_one_pair_per_spatial_axis():
    from minigrad import backend as K
    with pytest.raises(ValueError, match=r"spatial_2d_padding: `padding` needs 2 \(before, after\) pair"):
        K.spatial_2d_padding(K.placeholder(shape=(1, 4, 4, 3)), ((1, 1),))
    with pytest.raises(ValueError, match=r"spatial_3d_padding: `padding` needs 3"):
        K.spatial_3d_padding(K.placeholder(shape=(1, 2, 2, 2, 1)), ((1, 1), (1, 1)))
    with pytest.raises(ValueError, match=r"temporal_padding: `padding` needs 1"):
        K.temporal_padding(K.placeholder(shape=(1, 5, 3)), (1, 2, 3))


test_bad_arguments_are_refused = refusal_test({
    "interpolation": (ValueError, "resize_images: interpolation should be 'nearest' or 'bilinear', "
                      "got 'cubic'", lambda: K.resize_images(K.placeholder(shape=(1, 2, 2, 1)), 2, 2,
                                                             "channels_last", interpolation="cubic")),
})
