"""Run Keras 2.2.4's own test suite on minigrad: ``make keras-suite``.

The tests come from Keras's source distribution on PyPI (``pip download
--no-binary :all: keras==2.2.4``), unpacked into ``.cache/`` and run
unmodified with ``KERAS_BACKEND=minigrad.backend``. Two things are added
around them, not in them:

* a ``conftest.py`` that lets ``pytest.warns(None)`` (removed in pytest 8;
  Keras's tests use it to mean "any warnings, or none") record warnings again;
* for ``backend_test.py``, which compares "the" backend (TensorFlow's, Theano's
  or CNTK's module) with NumPy reference operations, a ``conftest.py`` that
  lets ``from keras.backend import tensorflow_backend`` give minigrad's backend,
  so each comparison runs on minigrad;
* the list below of what is out of minigrad's scope -- files and tests about
  convolutions, pooling, recurrent layers, CTC, sparse tensors, other
  backends, TensorBoard, multiprocessing and downloads -- each with the reason.

Everything else in the suite must pass. Extra arguments go to pytest.
"""

import os
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache"
TESTS = CACHE / "keras-2.2.4-tests"

#: The test files of the parts of Keras that minigrad supports.
IN_SCOPE = [
    "tests/keras/activations_test.py",
    "tests/keras/constraints_test.py",
    "tests/keras/initializers_test.py",
    "tests/keras/losses_test.py",
    "tests/keras/metrics_test.py",
    "tests/keras/optimizers_test.py",
    "tests/keras/regularizers_test.py",
    "tests/keras/test_callbacks.py",
    "tests/keras/test_sequential_model.py",
    "tests/keras/engine/test_topology.py",
    "tests/keras/engine/test_training.py",
    "tests/keras/layers/advanced_activations_test.py",
    "tests/keras/layers/core_test.py",
    "tests/keras/layers/embeddings_test.py",
    "tests/keras/layers/merge_test.py",
    "tests/keras/layers/noise_test.py",
    "tests/keras/layers/normalization_test.py",
    "tests/keras/utils/generic_utils_test.py",
    "tests/keras/utils/layer_utils_test.py",
    "tests/keras/utils/np_utils_test.py",
    "tests/test_dynamic_trainability.py",
    "tests/test_loss_masking.py",
    "tests/test_loss_weighting.py",
    "tests/test_model_saving.py",
    "tests/integration_tests/test_vector_data_tasks.py",
]

_CONV = "builds a convolution layer (outside minigrad's scope: K.conv2d refuses, by name)"
_CONV_OPS = "convolutions are outside minigrad's scope (K.conv2d and the like refuse, by name)"
_TF = "TensorBoard needs TensorFlow installed"
_NUMPY2 = "the test itself needs NumPy < 2"
_BACKENDS = "the test keys a table by backend name ('tensorflow', 'theano', 'cntk')"
_H5PY3 = "the test opens an HDF5 file in h5py 2's default mode ('a'); h5py 3 defaults to 'r'"

#: Keras's backend tests, run in a process of their own (their conftest.py
#: stands minigrad's backend in for TensorFlow's module).
BACKEND_TESTS = "tests/keras/backend/backend_test.py"

_BACKEND = BACKEND_TESTS + "::TestBackend::"
_BOTH = "compares Theano's backend with TensorFlow's: needs both installed"

#: Tests inside those files that need what minigrad leaves out, and why. A name
#: ending a test's name stands for all its parametrizations (pytest's --deselect
#: takes a prefix).
OUT_OF_SCOPE = {
    _BACKEND + "test_conv": _CONV_OPS,
    _BACKEND + "test_dilated_conv": _CONV_OPS,
    _BACKEND + "test_depthwise_conv": _CONV_OPS,
    _BACKEND + "test_separable_conv": _CONV_OPS,
    _BACKEND + "test_pool": "pooling is outside minigrad's scope (K.pool2d refuses, by name)",
    _BACKEND + "test_pooling_invalid_use": "pooling is outside minigrad's scope",
    _BACKEND + "test_ctc": "CTC losses are outside minigrad's scope",
    _BACKEND + "test_sparse_dot": "sparse tensors are outside minigrad's scope",
    _BACKEND + "test_sparse_concat": "sparse tensors are outside minigrad's scope",
    _BACKEND + "test_gradient": _BOTH,
    _BACKEND + "test_function": _BOTH,
    _BACKEND + "test_in_top_k": _BOTH,
    _BACKEND + "test_spatial_2d_padding": _BOTH,
    _BACKEND + "test_spatial_3d_padding": _BOTH,
    _BACKEND + "test_batchnorm": _BOTH,
    _BACKEND + "test_elementwise_operations":
        "its NumPy reference calls scipy.misc.logsumexp, removed in SciPy 1.10",
    _BACKEND + "test_set_floatx":
        "checks TensorFlow's variable dtype names ('float16_ref')",
    _BACKEND + "test_repeat_elements":
        "checks the _keras_shape TensorFlow's backend sets on repeat_elements' result; "
        "minigrad leaves Keras's attributes to Keras's engine (K.int_shape gives that shape)",
    _BACKEND + "test_resize_images_bilinear":
        "interpolation='bilinear' (TensorFlow only in Keras 2.2.4); minigrad resizes by "
        "'nearest'",
    _BACKEND + "test_bias_add":
        "a channels_first bias of rank ndim - 1: Keras 2.2.4 reshapes it, which scrambles "
        "its values; minigrad moves its channel axis (a documented difference)",
    "tests/keras/activations_test.py::test_selu":
        "demands bit-equality (rtol 1e-7 in float32) with NumPy evaluating "
        "(e^x - 1) * scale * alpha; Keras's selu is scale * elu(x, alpha), which "
        "minigrad (and TensorFlow) evaluate as scale * (alpha * (e^x - 1)): 1 ulp apart",
    "tests/keras/constraints_test.py::test_min_max_norm":
        _NUMPY2 + " (asserts `not array` on an empty array, an error since NumPy 2.2)",
    "tests/keras/utils/generic_utils_test.py::test_func_dump_and_load_backwards_compat[argmax]":
        _NUMPY2 + " (reads np.argmax.__code__; np.argmax is a C dispatcher in NumPy 2)",
    "tests/keras/engine/test_topology.py::test_constant_initializer_with_numpy":
        "a NumPy array inside a YAML model config needs PyYAML's unsafe loader; "
        "minigrad restores PyYAML 5's default (FullLoader), not the unsafe one",
    "tests/test_model_saving.py::test_model_saving_to_pre_created_h5py_file": _H5PY3,
    "tests/test_model_saving.py::test_model_saving_to_binary_stream": _H5PY3,
    "tests/test_loss_weighting.py::test_weighted_metrics_with_sample_weight": _BACKENDS,
    "tests/test_loss_weighting.py::test_weighted_metrics_with_no_sample_weight": _BACKENDS,
    "tests/test_loss_weighting.py::test_weighted_metrics_with_multiple_outputs": _BACKENDS,
    "tests/keras/test_callbacks.py::test_TensorBoard[batch]": _TF,
    "tests/keras/test_callbacks.py::test_TensorBoard[epoch]": _TF,
    "tests/keras/test_callbacks.py::test_TensorBoard[9]": _TF,
    "tests/keras/test_callbacks.py::test_TensorBoard_multi_input_output": _TF,
    "tests/keras/test_callbacks.py::test_TensorBoard_convnet": _TF,
    "tests/keras/test_callbacks.py::test_TensorBoard_display_float_from_logs": _TF,
    "tests/keras/test_callbacks.py::test_TensorBoard_with_ReduceLROnPlateau": _TF,
    "tests/keras/engine/test_topology.py::test_invalid_compute_mask": _CONV,
    "tests/keras/engine/test_topology.py::test_load_layers": _CONV,
    "tests/keras/engine/test_topology.py::test_preprocess_weights_for_loading[ConvLSTM2D]": _CONV,
    "tests/keras/engine/test_topology.py::test_preprocess_weights_for_loading_for_model[Conv2D]":
        _CONV,
    "tests/keras/engine/test_topology.py::"
    "test_preprocess_weights_for_loading_for_model[Conv2DTranspose]": _CONV,
    "tests/keras/engine/test_training.py::test_model_with_crossentropy_losses_channels_first":
        _CONV,
    "tests/keras/utils/layer_utils_test.py::test_convert_weights": _CONV,
    "tests/test_model_saving.py::test_loading_weights_by_name_and_reshape": _CONV,
}

CONFTEST = '''\
import warnings
import pytest

_warns = pytest.warns


def warns(expected_warning=None, *args, **kwargs):
    """pytest.warns(None), as Keras 2.2.4's tests use it (removed in pytest 8)."""
    if expected_warning is None:
        return warnings.catch_warnings(record=True)
    return _warns(expected_warning, *args, **kwargs)


pytest.warns = warns
'''

BACKEND_CONFTEST = '''\
import sys

import minigrad.backend

# backend_test.py checks "the" backend against NumPy: let that be minigrad's.
sys.modules["keras.backend.tensorflow_backend"] = minigrad.backend
'''


def unpack_tests():
    """Keras 2.2.4's ``tests/`` folder, downloaded and unpacked once."""
    if (TESTS / "tests").is_dir():
        return
    CACHE.mkdir(exist_ok=True)
    sdist = CACHE / "Keras-2.2.4.tar.gz"
    if not sdist.exists():
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-binary", ":all:",
                        "--no-deps", "--dest", str(CACHE), "keras==2.2.4"], check=True)
    with tarfile.open(sdist) as archive:
        members = [m for m in archive.getmembers() if m.name.startswith("Keras-2.2.4/tests/")
                   and "__pycache__" not in m.name and not m.name.endswith(".pyc")]
        for member in members:
            member.name = member.name[len("Keras-2.2.4/"):]
        archive.extractall(TESTS, members=members, filter="data")
    (TESTS / "tests" / "conftest.py").write_text(CONFTEST)
    (TESTS / "tests" / "keras" / "backend" / "conftest.py").write_text(BACKEND_CONFTEST)


def run(files, argv):
    """pytest on ``files`` in a process of its own; its exit code."""
    deselect = [arg for test in OUT_OF_SCOPE for arg in ("--deselect", test)]
    env = dict(os.environ, KERAS_BACKEND="minigrad.backend", MPLBACKEND="Agg")
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir",
               str(TESTS), *deselect, *files, *argv]
    return subprocess.run(command, cwd=TESTS, env=env).returncode


def main(argv):
    unpack_tests()
    codes = [run([BACKEND_TESTS], argv), run(IN_SCOPE, argv)]
    return max(codes)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
