"""Keras 2.2.4 on minigrad, in one line.

In a script or notebook, before anything imports ``keras``::

    from minigrad import keras2          # Keras 2.2.4 now runs on minigrad
    from keras.models import Sequential  # ... and the rest of Keras, unmodified

or, for a script written for Keras 2 that you do not want to touch::

    python -m minigrad.keras2 train.py [its arguments]

Either way, minigrad restores the few names Keras 2.2.4 reads that newer
Python, NumPy and PyYAML removed (``minigrad.keras_setup``), selects
``KERAS_BACKEND=minigrad.backend`` and imports ``keras``. Setting the
variable yourself (``KERAS_BACKEND=minigrad.backend python train.py``) works
as well: the backend restores the names when Keras loads it.
"""

import os
import runpy
import sys

from . import keras_setup

BACKEND = "minigrad.backend"


def load_keras():
    """Import ``keras`` on minigrad's backend and return it.

    ``RuntimeError`` if Keras is not version 2.2.4, or if it was already
    imported on another backend (Keras picks its backend once, at import).
    """
    keras_setup.check_keras_version()
    keras_setup.restore_removed_names()
    if "keras" not in sys.modules:
        os.environ["KERAS_BACKEND"] = BACKEND
    import keras
    if keras.backend.backend() != BACKEND:
        raise RuntimeError(f"keras was imported before minigrad.keras2, on the "
                           f"{keras.backend.backend()!r} backend; import minigrad.keras2 first "
                           f"(or set KERAS_BACKEND={BACKEND})")
    keras_setup.attach()   # again, in case minigrad.backend was imported before Keras
    return keras


keras = load_keras()


def main(argv=None):
    """``python -m minigrad.keras2 script.py [args]``: run a script on Keras over minigrad."""
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        print(__doc__)
        return 2
    sys.argv = list(argv)
    runpy.run_path(argv[0], run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main())
