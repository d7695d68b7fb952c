"""minigrad/viz/labels.py: how nodes and ops are described on a drawing."""


def test_a_zero_parameter_such_as_axis_0_is_shown():
    from minigrad import backend as K
    from minigrad.viz.labels import describe_op
    assert describe_op(K.softmax(K.placeholder(shape=(2, 3)), axis=0)) == "softmax axis=0"
