"""minigrad/backend.py itself: the whole Keras 2.2 backend is present or refused
with NotImplementedError, every public function has an example, and the
module-level state (backend(), get_uid, clear_session)."""

import inspect

import pytest

from minigrad import backend as K


KERAS_22_BACKEND = """
epsilon set_epsilon floatx set_floatx cast_to_floatx image_data_format set_image_data_format
backend get_uid reset_uids clear_session manual_variable_initialization learning_phase
set_learning_phase get_session set_session is_sparse to_dense variable constant is_keras_tensor
is_tensor placeholder is_placeholder shape int_shape ndim dtype eval zeros ones eye zeros_like
ones_like identity random_uniform_variable random_normal_variable count_params cast get_value
batch_get_value set_value batch_set_value get_variable_shape print_tensor update update_add
update_sub moving_average_update function gradients stop_gradient dot batch_dot transpose gather
max min sum prod cumsum cumprod var std mean any all argmax argmin logsumexp square abs sqrt exp
log round sign pow clip equal not_equal greater greater_equal less less_equal maximum minimum sin
cos concatenate reshape permute_dimensions repeat_elements repeat arange tile flatten
batch_flatten expand_dims squeeze stack one_hot reverse slice rnn switch in_train_phase
in_test_phase map_fn foldl foldr relu elu softmax softplus softsign categorical_crossentropy
sparse_categorical_crossentropy binary_crossentropy sigmoid hard_sigmoid tanh dropout l2_normalize
in_top_k bias_add normalize_batch_in_training batch_normalization random_normal random_uniform
random_binomial truncated_normal conv1d conv2d conv2d_transpose separable_conv1d separable_conv2d
depthwise_conv2d conv3d conv3d_transpose pool2d pool3d local_conv1d local_conv2d resize_images
resize_volumes temporal_padding spatial_2d_padding spatial_3d_padding ctc_label_dense_to_sparse
ctc_batch_cost ctc_decode
""".split()


@pytest.mark.parametrize("name", KERAS_22_BACKEND)
def test_every_keras_backend_name_exists_or_is_refused(name):
    function = getattr(K, name)          # never an AttributeError
    assert callable(function)
    if name in K.UNSUPPORTED:
        assert name in vars(K)           # Keras copies the backend's __dict__
        with pytest.raises(NotImplementedError, match=rf"K\.{name}\b"):
            function(None, None)
    else:
        doc = inspect.getdoc(function) or ""
        assert doc, f"K.{name} has no docstring"


def test_unsupported_list_is_explicit():
    for name in ("conv2d", "pool2d", "ctc_batch_cost", "depthwise_conv2d", "local_conv2d"):
        assert name in K.UNSUPPORTED and K.UNSUPPORTED[name]
    assert hasattr(K, "conv2d")
    with pytest.raises(AttributeError):
        K.no_such_function
    assert not hasattr(K, "no_such_function")


def test_refused_names_are_module_entries_keras_can_copy():
    for name in K.UNSUPPORTED:
        with pytest.raises(NotImplementedError, match=rf"K\.{name} is not supported"):
            vars(K)[name]()


def test_public_backend_functions_have_examples():
    missing = [name for name, value in vars(K).items()
               if not name.startswith("_") and inspect.isfunction(value)
               and ">>>" not in (value.__doc__ or "")]
    assert missing == []


def test_config_helpers():
    assert K.backend() == "minigrad"
    assert K.image_data_format() == "channels_last"
    K.set_image_data_format("channels_first")
    assert K.image_data_format() == "channels_first"
    K.set_image_data_format("channels_last")
    with pytest.raises(ValueError):
        K.set_image_data_format("nchw")
    K.reset_uids()
    assert [K.get_uid("a"), K.get_uid("a"), K.get_uid("b")] == [1, 2, 1]
    K.set_learning_phase(1)
    K.clear_session()
    assert K.get_uid("a") == 1 and K.get_value(K.learning_phase()) == 0
