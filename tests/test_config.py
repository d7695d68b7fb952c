"""minigrad/config.py: floatx checks, and the settings shared with Keras's own
common module."""

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
