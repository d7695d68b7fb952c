import numpy as np
from minigrad import backend as K

# 1. Build a graph: nothing is computed yet, every node knows its shape.
x = K.placeholder(shape=(None, 2), name="x")
y = K.placeholder(shape=(None, 1), name="y")
w = K.variable(np.array([[0.5], [-0.5]]), name="w")
b = K.variable(0.0, name="b")
pred = K.tanh(K.dot(x, w) + b)
loss = K.mean(K.square(pred - y))

# 2. Gradients: more graph, built from the same ops.
grad_w, grad_b = K.gradients(loss, [w, b])

# 3. Update list: what one training step assigns (plain SGD, rate 0.1).
updates = [K.update_sub(w, 0.1 * grad_w), K.update_sub(b, 0.1 * grad_b)]

# 4. Executor: compile once, call many times.
step = K.function([x, y], [loss], updates=updates, name="sgd_step")
X_data = np.array([[1.0, 2.0], [3.0, -1.0]], dtype="float32")
y_data = np.array([[1.0], [0.0]], dtype="float32")
trace = step.trace([X_data, y_data])   # one step, recording every value
print(trace.outputs, K.get_value(w).ravel(), K.get_value(b))
