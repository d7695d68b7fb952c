"""Keras 2's image helpers that are plain rearrangements: zero padding
(``temporal_padding``, ``spatial_2d_padding``, ``spatial_3d_padding``) and
nearest-neighbour upsampling by whole factors (``resize_images``,
``resize_volumes``, which repeat each pixel). Convolutions and pooling are
not part of minigrad.

``data_format`` is ``'channels_last'`` (``(batch, rows, cols, channels)``)
or ``'channels_first'`` (``(batch, channels, rows, cols)``); ``None`` means
``K.image_data_format()``.
"""

from ..config import normalize_data_format
from ..graph import as_node, count_argument, format_shape
from .indexing import pad
from .shape import repeat_elements


def _spatial_axes(x, rank, data_format, what):
    x = as_node(x)
    if x.ndim != rank:
        raise ValueError(f"{what}: needs a tensor of rank {rank}, got shape {format_shape(x.shape)}")
    first = 2 if normalize_data_format(data_format, what) == "channels_first" else 1
    return x, list(range(first, first + rank - 2))


def _pad_axes(x, axes, padding, what):
    """Zero-pad ``axes`` of ``x`` by ``padding``, one ``(before, after)`` pair an axis."""
    pairs = list(padding) if isinstance(padding, (list, tuple)) else None
    if (pairs is None or len(pairs) != len(axes)
            or not all(isinstance(pair, (list, tuple)) and len(pair) == 2 for pair in pairs)):
        raise ValueError(f"{what}: `padding` needs {len(axes)} (before, after) pair(s), "
                         f"got {padding!r}")
    widths = [(0, 0)] * x.ndim
    for axis, pair in zip(axes, pairs):
        widths[axis] = tuple(count_argument(width, "padding", what) for width in pair)
    return pad(x, widths)


def temporal_padding(x, padding=(1, 1)):
    """Zeros before and after axis 1 of a 3-D tensor ``(batch, steps, features)``.

    >>> from minigrad import backend as K
    >>> K.int_shape(K.temporal_padding(K.placeholder(shape=(None, 5, 3)), (1, 2)))
    (None, 8, 3)
    """
    x, axes = _spatial_axes(x, 3, "channels_last", "temporal_padding")
    return _pad_axes(x, axes, [padding], "temporal_padding")


def spatial_2d_padding(x, padding=((1, 1), (1, 1)), data_format=None):
    """Zeros around the rows and columns of a 4-D image batch:
    ``padding = ((top, bottom), (left, right))``.

    >>> from minigrad import backend as K
    >>> K.int_shape(K.spatial_2d_padding(K.placeholder(shape=(None, 4, 4, 3))))
    (None, 6, 6, 3)
    """
    x, axes = _spatial_axes(x, 4, data_format, "spatial_2d_padding")
    return _pad_axes(x, axes, padding, "spatial_2d_padding")


def spatial_3d_padding(x, padding=((1, 1), (1, 1), (1, 1)), data_format=None):
    """Zeros around the three spatial axes of a 5-D volume batch.

    >>> from minigrad import backend as K
    >>> K.int_shape(K.spatial_3d_padding(K.placeholder(shape=(2, 3, 2, 2, 1)), data_format='channels_last'))
    (2, 5, 4, 4, 1)
    """
    x, axes = _spatial_axes(x, 5, data_format, "spatial_3d_padding")
    return _pad_axes(x, axes, padding, "spatial_3d_padding")


def resize_images(x, height_factor, width_factor, data_format=None, interpolation="nearest"):
    """Upsample a 4-D image batch by whole factors, nearest neighbour: each
    pixel repeated ``height_factor`` times down and ``width_factor`` across.
    (``interpolation='bilinear'`` is not supported.)

    >>> from minigrad import backend as K
    >>> K.eval(K.resize_images(K.constant([[[[1.], [2.]]]]), 2, 2, 'channels_last'))[0, :, :, 0]
    array([[1., 1., 2., 2.],
           [1., 1., 2., 2.]], dtype=float32)
    """
    if interpolation != "nearest":
        if interpolation == "bilinear":
            raise NotImplementedError("K.resize_images: minigrad supports interpolation='nearest' only")
        raise ValueError(f"resize_images: interpolation should be 'nearest' or 'bilinear', "
                         f"got {interpolation!r}")
    x, (rows, cols) = _spatial_axes(x, 4, data_format, "resize_images")
    return repeat_elements(repeat_elements(x, height_factor, rows), width_factor, cols)


def resize_volumes(x, depth_factor, height_factor, width_factor, data_format=None):
    """Upsample a 5-D volume batch by whole factors, each voxel repeated.

    >>> from minigrad import backend as K
    >>> K.int_shape(K.resize_volumes(K.placeholder(shape=(None, 1, 2, 3, 4)), 2, 2, 2, 'channels_last'))
    (None, 2, 4, 6, 4)
    """
    x, axes = _spatial_axes(x, 5, data_format, "resize_volumes")
    for axis, factor in zip(axes, (depth_factor, height_factor, width_factor)):
        x = repeat_elements(x, factor, axis)
    return x
