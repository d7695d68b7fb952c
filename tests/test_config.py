"""minigrad/config.py: floatx and epsilon (the leaves follow floatx, bad
values are refused), and the settings shared with Keras's own common module."""

import numpy as np
import pytest

from minigrad import backend as K


def test_set_floatx_rejects_others_and_keeps_the_setting():
    K.set_floatx("float64")
    for bad in ("int32", "float128", "bfloat16", None):
        with pytest.raises(ValueError):
            K.set_floatx(bad)
    assert K.floatx() == "float64"


def test_settings_can_live_in_keras_common_module():
    import types
    from minigrad import config
    own = config.SETTINGS
    keras_common = types.SimpleNamespace(_FLOATX="float64", _EPSILON=1e-4,
                                         _IMAGE_DATA_FORMAT="channels_first")
    try:
        config.share_settings_with(keras_common)
        assert (K.floatx(), K.epsilon(), K.image_data_format()) == ("float64", 1e-4, "channels_first")
        assert K.variable(1.0).dtype == np.float64
        K.set_floatx("float16")
        assert keras_common._FLOATX == "float16"
    finally:
        config.share_settings_with(own)
    assert K.floatx() == "float32"


def test_floatx_and_epsilon():
    assert K.floatx() == "float32" and K.epsilon() == 1e-7
    K.set_floatx("float64")
    assert K.variable(1.0).dtype == np.float64 and K.placeholder(shape=()).dtype == np.float64
    assert K.constant(1.0).dtype == np.float64
    with pytest.raises(ValueError, match="unknown float type 'int8'"):
        K.set_floatx("int8")
    assert K.floatx() == "float64"
    K.set_epsilon(1e-4)
    assert K.epsilon() == 1e-4
    with pytest.raises(ValueError):
        K.set_epsilon(-1.0)
    assert K.epsilon() == 1e-4
