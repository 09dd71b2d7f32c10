"""A thin wrapper over onnx.helper that names values predictably.

Names are derived from a running counter and a caller-supplied hint, so the same sequence of
calls always yields byte-identical models (the committed files are compared byte for byte).
"""
import numpy as np
from onnx import TensorProto, helper, numpy_helper

FLOAT = TensorProto.FLOAT
INT32 = TensorProto.INT32
INT64 = TensorProto.INT64
BOOL = TensorProto.BOOL


class Graph:
    def __init__(self, name):
        self.name = name
        self.nodes = []
        self.inputs = []
        self.outputs = []
        self.initializers = []
        self._constants = {}
        self._counter = 0

    def _fresh(self, hint):
        self._counter += 1
        return f"/{hint}/{self._counter}"

    def input(self, name, elem_type, shape):
        self.inputs.append(helper.make_tensor_value_info(name, elem_type, shape))
        return name

    def output(self, name, elem_type, shape):
        self.outputs.append(helper.make_tensor_value_info(name, elem_type, shape))
        return name

    def weight(self, name, array):
        """Adds a named initializer (a learnt parameter)."""
        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def const(self, value, dtype):
        """A small constant, shared between all uses of the same value and type."""
        array = np.array(value, dtype=dtype)
        key = (array.dtype.str, array.shape, array.tobytes())
        if key not in self._constants:
            name = f"/const/{array.dtype.name}/{len(self._constants)}"
            self.initializers.append(numpy_helper.from_array(array, name))
            self._constants[key] = name
        return self._constants[key]

    def i64(self, value):
        return self.const(value, np.int64)

    def f32(self, value):
        return self.const(value, np.float32)

    def op(self, op_type, inputs, hint=None, outputs=None, n_out=1, domain="", **attrs):
        """Adds a node; returns its output name (or the list of names when n_out > 1)."""
        hint = hint or op_type
        if outputs is None:
            outputs = [self._fresh(hint) for _ in range(n_out)]
        node_name = f"/{hint}/node{self._counter}_{len(self.nodes)}"
        self.nodes.append(
            helper.make_node(op_type, list(inputs), list(outputs), name=node_name, domain=domain, **attrs)
        )
        return outputs[0] if len(outputs) == 1 else outputs

    def model(self, opsets):
        graph = helper.make_graph(self.nodes, self.name, self.inputs, self.outputs, self.initializers)
        model = helper.make_model(
            graph,
            opset_imports=[helper.make_opsetid(domain, version) for domain, version in opsets],
            producer_name="inferencecluster-test-model",
            producer_version="1",
        )
        # Pinned so that a newer onnx package writes the same header bytes.
        model.ir_version = 8
        return model
