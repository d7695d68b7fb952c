"""What the unmodified Keras 2.2.4 package needs around it to run on minigrad.

Keras 2.2.4 (October 2018) loads a backend by module name: with
``KERAS_BACKEND=minigrad.backend`` its ``keras/backend/__init__.py`` imports
``minigrad.backend`` and copies every name of it into ``keras.backend``, as it
did for Theano and CNTK. Nothing of Keras is changed or copied into minigrad.
Three things it reads have since been removed from the libraries under it;
``restore_removed_names`` puts back exactly these, each as an alias of what
replaced it, and changes nothing else:

* ``collections.Iterable`` and the other container ABCs, moved to
  ``collections.abc`` in Python 3.10 (``keras/callbacks.py`` imports one);
* ``np.Inf`` and ``np.string_``, removed in NumPy 2.0 (the callbacks start
  their "best so far" at ``np.Inf``; HDF5 loading compares with ``np.string_``);
* ``yaml.load(text)`` without a ``Loader``, an error since PyYAML 6
  (``keras.models.model_from_yaml`` calls it so): the ``Loader`` defaults to
  ``yaml.FullLoader``, PyYAML 5's default, again;
* HDF5 string attributes read as ``bytes``, as h5py 2 read them (h5py 3
  gives ``str``, and Keras's ``load_weights`` and ``load_model`` call
  ``.decode('utf8')`` on them): a ``str`` attribute, or a list of them, is
  handed back encoded, and an empty list as an empty list of names (Keras
  asks ``if weight_names:`` of it, an error for an empty array in NumPy 2).

The last two wrap one function of PyYAML and of h5py, for the whole process;
they change only calls that would otherwise fail (a missing ``Loader``) or
that Keras makes (h5py string attributes), and only once Keras is loaded on
minigrad. Each is marked, so restoring twice wraps once.

When Keras imports ``minigrad.backend``, the backend calls ``attach`` (see
the end of ``minigrad/backend.py``): the version is checked and the settings
(``floatx``, ``epsilon``, ``image_data_format``) become one with Keras's own.
``minigrad.keras2`` is the one-line way in.
"""

import collections
import collections.abc
import functools
import importlib.metadata
import sys

import numpy as np

from . import config

#: The one Keras release minigrad is a backend for.
KERAS_VERSION = "2.2.4"

_MOVED_ABCS = ("Callable", "Container", "Hashable", "Iterable", "Iterator", "Mapping",
               "MutableMapping", "MutableSequence", "MutableSet", "Sequence", "Set", "Sized")


def restore_removed_names():
    """Put back the names Keras 2.2.4 reads that Python 3.10, NumPy 2 and
    PyYAML 6 removed (see the module's docstring). Safe to call twice.

    >>> restore_removed_names()
    >>> import collections, numpy as np
    >>> collections.Iterable is collections.abc.Iterable, np.Inf == np.inf
    (True, True)
    """
    for name in _MOVED_ABCS:
        if not hasattr(collections, name):
            setattr(collections, name, getattr(collections.abc, name))
    for old, new in (("Inf", np.inf), ("string_", np.bytes_)):
        if old not in vars(np):
            setattr(np, old, new)
    _restore_yaml_default_loader()
    _restore_h5py_bytes_attributes()


def _restore_yaml_default_loader():
    try:
        import yaml   # a dependency of Keras, not of minigrad
    except ImportError:
        return
    load = yaml.load

    def load_with_default_loader(stream, Loader=None):
        return load(stream, Loader=Loader or yaml.FullLoader)

    _wrap(yaml, "load", load_with_default_loader)


def _restore_h5py_bytes_attributes():
    try:
        from h5py import AttributeManager   # a dependency of Keras, not of minigrad
    except ImportError:
        return
    getitem = AttributeManager.__getitem__

    def getitem_as_bytes(self, name):
        value = getitem(self, name)
        if isinstance(value, np.ndarray) and (value.dtype == object or value.size == 0):
            items = [_as_bytes(item) for item in value.ravel()]      # a list of names
            dtype = np.bytes_ if all(isinstance(item, bytes) for item in items) else object
            return np.array(items, dtype=dtype).reshape(value.shape)
        return _as_bytes(value)

    _wrap(AttributeManager, "__getitem__", getitem_as_bytes)


def _as_bytes(value):
    return value.encode("utf8") if isinstance(value, str) else value


def _wrap(owner, name, replacement):
    """``owner.name = replacement``, once (a second call finds the mark)."""
    original = getattr(owner, name)
    if getattr(original, "_restored_by_minigrad", False):
        return
    functools.update_wrapper(replacement, original)
    replacement._restored_by_minigrad = True
    setattr(owner, name, replacement)


def installed_keras_version():
    """The version of the installed ``keras`` package, or ``None``.

    >>> installed_keras_version() in (None, KERAS_VERSION) or 'another'
    True
    """
    try:
        return importlib.metadata.version("keras")
    except importlib.metadata.PackageNotFoundError:
        return None


def check_keras_version():
    """``RuntimeError`` with one clear message unless Keras 2.2.4 is installed.

    (A ``RuntimeError``, not an ``ImportError``: Keras turns an ``ImportError``
    from its backend into "Unable to import backend" and drops the reason.)
    """
    found = installed_keras_version()
    if found != KERAS_VERSION:
        what = "no keras package" if found is None else f"Keras {found}"
        raise RuntimeError(
            f"minigrad.backend is a backend for Keras {KERAS_VERSION}, and found {what}. "
            f"Install it with: pip install 'keras=={KERAS_VERSION}' "
            "(or pip install -e '.[keras]' in a minigrad checkout).")


def keras_is_loading(backend_name):
    """True while ``keras.backend`` is importing the module ``backend_name``
    as its backend (Keras has set ``keras.backend._BACKEND`` by then)."""
    keras_backend = sys.modules.get("keras.backend")
    return getattr(keras_backend, "_BACKEND", None) == backend_name


def attach():
    """Make minigrad Keras's backend: check the version, restore the removed
    names, and keep minigrad's settings in Keras's ``keras.backend.common``."""
    check_keras_version()
    restore_removed_names()
    config.share_settings_with(sys.modules["keras.backend.common"])
