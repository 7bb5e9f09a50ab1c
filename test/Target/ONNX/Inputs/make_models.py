"""Builds the small ONNX models the importer's lit tests import.

    make_models.py OUTDIR NAME...   writes OUTDIR/NAME.onnx for each NAME

Models are built at test time with onnx.helper so that no binary .onnx file
is committed. Each builder returns a ModelProto (or raw bytes for the
deliberately broken files).
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto as T
from onnx import helper as h
from onnx import numpy_helper as nh

MODELS = {}


def model(fn):
    MODELS[fn.__name__] = fn
    return fn


def make(nodes, inputs, outputs, inits=(), opset=17, name="g"):
    graph = h.make_graph(nodes, name, inputs, outputs, list(inits))
    return h.make_model(graph, opset_imports=[h.make_opsetid("", opset)],
                        producer_name="heavymetal-tests")


def vi(name, shape, dtype=T.FLOAT):
    """A typed value; with shape None an untyped one (ONNX infers it)."""
    if shape is None:
        info = onnx.ValueInfoProto()
        info.name = name
        return info
    return h.make_tensor_value_info(name, dtype, shape)


def const(name, array):
    return nh.from_array(np.asarray(array), name)


def rand(*shape):
    return np.random.RandomState(0).rand(*shape).astype(np.float32)


# --- Element-wise ----------------------------------------------------------

@model
def add_bcast():
    return make([h.make_node("Add", ["x", "b"], ["y"], name="add")],
                [vi("x", [2, 3, 4]), vi("b", [3, 1])], [vi("y", None)])


@model
def activations():
    nodes = [h.make_node("Relu", ["x"], ["r"], name="relu"),
             h.make_node("Sigmoid", ["r"], ["s"], name="sigmoid"),
             h.make_node("LeakyRelu", ["s"], ["l"], name="leaky", alpha=0.2),
             h.make_node("HardSwish", ["l"], ["y"], name="hardswish")]
    return make(nodes, [vi("x", [8])], [vi("y", None)])


@model
def gelu_erf():
    # PyTorch's exact GELU: 0.5 * x * (1 + erf(x / sqrt(2)))
    nodes = [h.make_node("Div", ["x", "sqrt2"], ["d"], name="div"),
             h.make_node("Erf", ["d"], ["e"], name="erf"),
             h.make_node("Add", ["e", "one"], ["a"], name="add"),
             h.make_node("Mul", ["x", "a"], ["m"], name="mul"),
             h.make_node("Mul", ["m", "half"], ["y"], name="mul2")]
    inits = [const("sqrt2", np.float32(1.4142135)),
             const("one", np.float32(1)), const("half", np.float32(0.5))]
    return make(nodes, [vi("x", [4, 8])], [vi("y", None)], inits)


@model
def where_compare():
    nodes = [h.make_node("Less", ["x", "y"], ["c"], name="less"),
             h.make_node("Where", ["c", "x", "y"], ["z"], name="where")]
    return make(nodes, [vi("x", [4, 1]), vi("y", [1, 5])], [vi("z", None)])


@model
def clip_cast():
    nodes = [h.make_node("Clip", ["x", "lo", "hi"], ["c"], name="clip"),
             h.make_node("Cast", ["c"], ["y"], name="cast", to=T.INT32)]
    inits = [const("lo", np.float32(-1)), const("hi", np.float32(6))]
    return make(nodes, [vi("x", [16])], [vi("y", None)], inits)


@model
def pow_square():
    nodes = [h.make_node("Pow", ["x", "two"], ["y"], name="pow")]
    return make(nodes, [vi("x", [4])], [vi("y", None)],
                [const("two", np.float32(2))])


@model
def uint8_max():
    nodes = [h.make_node("Max", ["x", "y"], ["z"], name="max")]
    return make(nodes, [vi("x", [4], T.UINT8), vi("y", [4], T.UINT8)],
                [vi("z", None)])


# --- MatMul, Gemm, Einsum ----------------------------------------------------

@model
def matmul_2d():
    return make([h.make_node("MatMul", ["a", "b"], ["c"], name="mm")],
                [vi("a", [4, 8]), vi("b", [8, 16])], [vi("c", None)])


@model
def matmul_linear():
    # A transformer's Linear: [batch, seq, hidden] x [hidden, out].
    return make([h.make_node("MatMul", ["x", "w"], ["y"], name="linear")],
                [vi("x", [2, 8, 16])], [vi("y", None)],
                [const("w", rand(16, 32))])


@model
def matmul_batch_bcast():
    return make([h.make_node("MatMul", ["a", "b"], ["c"], name="bmm")],
                [vi("a", [2, 1, 4, 8]), vi("b", [3, 8, 5])], [vi("c", None)])


@model
def gemm_transb():
    node = h.make_node("Gemm", ["x", "w", "bias"], ["y"], name="fc",
                       transB=1)
    return make([node], [vi("x", [2, 8])], [vi("y", None)],
                [const("w", rand(4, 8)), const("bias", rand(4))])


@model
def gemm_alpha_beta():
    node = h.make_node("Gemm", ["a", "b", "c"], ["y"], name="gemm",
                       alpha=0.5, beta=2.0, transA=1)
    return make([node], [vi("a", [8, 4]), vi("b", [8, 3]), vi("c", [1, 3])],
                [vi("y", None)])


@model
def einsum_bmm():
    node = h.make_node("Einsum", ["a", "b"], ["c"], name="einsum",
                       equation="bij,bjk->bik")
    return make([node], [vi("a", [2, 3, 4]), vi("b", [2, 4, 5])],
                [vi("c", None)])


# --- Convolution and pooling ---------------------------------------------

@model
def conv_pads_strides():
    node = h.make_node("Conv", ["x", "w", "b"], ["y"], name="conv1",
                       pads=[1, 1, 1, 1], strides=[2, 2], dilations=[1, 1])
    return make([node], [vi("x", [1, 3, 16, 16])], [vi("y", None)],
                [const("w", rand(8, 3, 3, 3)), const("b", rand(8))])


@model
def conv_dilated_same():
    node = h.make_node("Conv", ["x", "w"], ["y"], name="conv_same",
                       auto_pad="SAME_UPPER", dilations=[2, 2])
    return make([node], [vi("x", [1, 4, 9, 9]), vi("w", [4, 4, 3, 3])],
                [vi("y", None)])


@model
def conv_grouped():
    node = h.make_node("Conv", ["x", "w"], ["y"], name="conv_g", group=2)
    return make([node], [vi("x", [1, 4, 8, 8]), vi("w", [6, 2, 3, 3])],
                [vi("y", None)])


@model
def conv_depthwise():
    node = h.make_node("Conv", ["x", "w"], ["y"], name="conv_dw", group=4,
                       pads=[1, 1, 1, 1])
    return make([node], [vi("x", [1, 4, 8, 8]), vi("w", [4, 1, 3, 3])],
                [vi("y", None)])


@model
def conv_1d():
    node = h.make_node("Conv", ["x", "w"], ["y"], name="conv1d")
    return make([node], [vi("x", [1, 2, 10]), vi("w", [3, 2, 3])],
                [vi("y", None)])


@model
def conv_transpose():
    node = h.make_node("ConvTranspose", ["x", "w"], ["y"], name="deconv",
                       strides=[2, 2], pads=[1, 1, 1, 1],
                       output_padding=[1, 1])
    return make([node], [vi("x", [1, 2, 4, 4]), vi("w", [2, 3, 3, 3])],
                [vi("y", None)])


@model
def maxpool():
    node = h.make_node("MaxPool", ["x"], ["y"], name="pool",
                       kernel_shape=[3, 3], strides=[2, 2],
                       pads=[1, 1, 1, 1])
    return make([node], [vi("x", [1, 2, 8, 8])], [vi("y", None)])


@model
def avgpool_exclude_pad():
    node = h.make_node("AveragePool", ["x"], ["y"], name="avg",
                       kernel_shape=[3, 3], pads=[1, 1, 1, 1])
    return make([node], [vi("x", [1, 1, 4, 4])], [vi("y", None)])


@model
def global_avgpool():
    return make([h.make_node("GlobalAveragePool", ["x"], ["y"], name="gap")],
                [vi("x", [1, 8, 7, 7])], [vi("y", None)])


# --- Normalization, softmax, reductions ------------------------------------

@model
def batchnorm():
    node = h.make_node("BatchNormalization", ["x", "s", "b", "m", "v"], ["y"],
                       name="bn", epsilon=1e-3)
    inits = [const(n, rand(4)) for n in ("s", "b", "m", "v")]
    return make([node], [vi("x", [2, 4, 3, 3])], [vi("y", None)], inits)


@model
def layernorm():
    node = h.make_node("LayerNormalization", ["x", "g", "b"], ["y"],
                       name="ln", axis=-1, epsilon=1e-5)
    return make([node], [vi("x", [2, 5, 16])], [vi("y", None)],
                [const("g", rand(16)), const("b", rand(16))])


@model
def softmax():
    return make([h.make_node("Softmax", ["x"], ["y"], name="sm", axis=-1)],
                [vi("x", [2, 10])], [vi("y", None)])


@model
def softmax_opset11():
    # Before opset 13, Softmax normalizes everything from `axis` on.
    return make([h.make_node("Softmax", ["x"], ["y"], name="sm", axis=1)],
                [vi("x", [2, 3, 4])], [vi("y", None)], opset=11)


@model
def reduce_mean():
    node = h.make_node("ReduceMean", ["x"], ["y"], name="mean", axes=[1],
                       keepdims=1)
    return make([node], [vi("x", [2, 6, 3])], [vi("y", None)])


@model
def argmax():
    node = h.make_node("ArgMax", ["x"], ["y"], name="argmax", axis=1,
                       keepdims=0)
    return make([node], [vi("x", [3, 7])], [vi("y", None)])


# --- Shapes and data movement ------------------------------------------------

@model
def shape_arith():
    # PyTorch's x.view(x.size(0), -1) as exported.
    nodes = [h.make_node("Shape", ["x"], ["s"], name="shape"),
             h.make_node("Gather", ["s", "zero"], ["n"], name="gather",
                         axis=0),
             h.make_node("Unsqueeze", ["n", "axes"], ["n1"], name="unsq"),
             h.make_node("Concat", ["n1", "minus1"], ["shape2"],
                         name="concat", axis=0),
             h.make_node("Reshape", ["x", "shape2"], ["y"], name="reshape")]
    inits = [const("zero", np.int64(0)), const("axes", np.array([0])),
             const("minus1", np.array([-1]))]
    return make(nodes, [vi("x", ["batch", 3, 4, 4])], [vi("y", None)], inits)


@model
def shape_chain():
    # The pattern of LayerNormalization's function body: the reduced shape
    # [N, 1, 1] built from Shape, Size, Sub, ConstantOfShape, Slice, Concat.
    nodes = [h.make_node("Shape", ["x"], ["s"], name="shape"),
             h.make_node("Size", ["s"], ["rank"], name="size"),
             h.make_node("Sub", ["rank", "one"], ["n"], name="sub"),
             h.make_node("ConstantOfShape", ["n"], ["ones"], name="cos",
                         value=h.make_tensor("v", T.INT64, [1], [1])),
             h.make_node("Slice", ["s", "zero", "one"], ["prefix"],
                         name="slice"),
             h.make_node("Concat", ["prefix", "ones"], ["shape2"],
                         name="concat", axis=0),
             h.make_node("ReduceSum", ["x", "axes"], ["r"], name="sum",
                         keepdims=0),
             h.make_node("Reshape", ["r", "shape2"], ["y"], name="reshape")]
    inits = [const("one", np.array([1])), const("zero", np.array([0])),
             const("axes", np.array([1, 2]))]
    return make(nodes, [vi("x", [2, 3, 4])], [vi("y", None)], inits)


@model
def reshapes():
    nodes = [h.make_node("Flatten", ["x"], ["f"], name="flatten", axis=1),
             h.make_node("Unsqueeze", ["f", "axes"], ["u"], name="unsqueeze"),
             h.make_node("Squeeze", ["u", "axes"], ["s"], name="squeeze"),
             h.make_node("Transpose", ["s"], ["y"], name="transpose",
                         perm=[1, 0])]
    return make(nodes, [vi("x", [2, 3, 4])], [vi("y", None)],
                [const("axes", np.array([1]))])


@model
def constant_of_shape():
    nodes = [h.make_node("Shape", ["x"], ["s"], name="shape"),
             h.make_node("ConstantOfShape", ["s"], ["c"], name="cos",
                         value=h.make_tensor("v", T.FLOAT, [1], [1.5])),
             h.make_node("Add", ["x", "c"], ["y"], name="add")]
    return make(nodes, [vi("x", [64, 64])], [vi("y", None)])


@model
def concat_split():
    nodes = [h.make_node("Concat", ["a", "b"], ["c"], name="concat", axis=1),
             h.make_node("Split", ["c", "sizes"], ["y0", "y1"], name="split",
                         axis=1)]
    return make(nodes, [vi("a", [2, 3]), vi("b", [2, 5])],
                [vi("y0", None), vi("y1", None)],
                [const("sizes", np.array([4, 4]))])


@model
def slices():
    nodes = [h.make_node("Slice", ["x", "s0", "e0", "a0", "st0"], ["p"],
                         name="slice_pos"),
             h.make_node("Slice", ["x", "s1", "e1", "a1", "st1"], ["n"],
                         name="slice_neg")]
    inits = [const("s0", np.array([1])), const("e0", np.array([7])),
             const("a0", np.array([1])), const("st0", np.array([2])),
             const("s1", np.array([-1])), const("e1", np.array([-9])),
             const("a1", np.array([1])), const("st1", np.array([-1]))]
    return make(nodes, [vi("x", [2, 8])], [vi("p", None), vi("n", None)],
                inits)


@model
def gathers():
    nodes = [h.make_node("Gather", ["x", "i0"], ["first"], name="pick",
                         axis=1),
             h.make_node("Gather", ["table", "ids"], ["emb"], name="embed",
                         axis=0)]
    return make(nodes, [vi("x", [2, 5, 3]), vi("ids", [2, 4], T.INT64)],
                [vi("first", None), vi("emb", None)],
                [const("i0", np.int64(0)), const("table", rand(10, 6))])


@model
def expand_tile():
    nodes = [h.make_node("Expand", ["x", "shape"], ["e"], name="expand"),
             h.make_node("Tile", ["e", "reps"], ["y"], name="tile")]
    inits = [const("shape", np.array([2, 3, 4])),
             const("reps", np.array([1, 2, 1]))]
    return make(nodes, [vi("x", [3, 1])], [vi("y", None)], inits)


@model
def pads():
    nodes = [h.make_node("Pad", ["x", "p"], ["c"], name="pad_const",
                         mode="constant"),
             h.make_node("Pad", ["x", "p"], ["r"], name="pad_reflect",
                         mode="reflect")]
    return make(nodes, [vi("x", [3, 4])], [vi("c", None), vi("r", None)],
                [const("p", np.array([0, 1, 0, 2]))])


@model
def resize_nearest():
    node = h.make_node("Resize", ["x", "", "scales"], ["y"], name="up",
                       mode="nearest")
    return make([node], [vi("x", [1, 2, 4, 4])], [vi("y", None)],
                [const("scales", np.array([1, 1, 2, 2], dtype=np.float32))])


# --- Control flow and recurrences -----------------------------------------

@model
def if_branch():
    then_graph = h.make_graph(
        [h.make_node("Add", ["x", "x"], ["t"], name="then_add")], "then", [],
        [vi("t", [4])])
    else_graph = h.make_graph(
        [h.make_node("Neg", ["x"], ["e"], name="else_neg")], "else", [],
        [vi("e", [4])])
    node = h.make_node("If", ["c"], ["y"], name="if", then_branch=then_graph,
                       else_branch=else_graph)
    return make([node], [vi("c", [], T.BOOL), vi("x", [4])], [vi("y", None)])


@model
def loop_scan_outputs():
    # for i in range(3): acc = acc + x; collect acc.
    body = h.make_graph(
        [h.make_node("Identity", ["cond_in"], ["cond_out"], name="keep"),
         h.make_node("Add", ["acc_in", "x"], ["acc_out"], name="body_add"),
         h.make_node("Identity", ["acc_out"], ["scan"], name="body_id")],
        "body",
        [vi("i", [], T.INT64), vi("cond_in", [], T.BOOL), vi("acc_in", [2])],
        [vi("cond_out", [], T.BOOL), vi("acc_out", [2]), vi("scan", [2])])
    node = h.make_node("Loop", ["M", "", "acc0"], ["acc", "all"], name="loop",
                       body=body)
    return make([node], [vi("x", [2]), vi("acc0", [2])],
                [vi("acc", None), vi("all", None)],
                [const("M", np.int64(3))])


@model
def scan_cumsum():
    body = h.make_graph(
        [h.make_node("Add", ["s_in", "e"], ["s_out"], name="body_add"),
         h.make_node("Identity", ["s_out"], ["y"], name="body_id")],
        "body", [vi("s_in", [3]), vi("e", [3])],
        [vi("s_out", [3]), vi("y", [3])])
    node = h.make_node("Scan", ["s0", "xs"], ["s", "ys"], name="scan",
                       body=body, num_scan_inputs=1)
    return make([node], [vi("s0", [3]), vi("xs", [5, 3])],
                [vi("s", None), vi("ys", None)])


@model
def lstm():
    hidden, inp = 4, 3
    node = h.make_node("LSTM", ["x", "w", "r", "b"], ["y", "yh", "yc"],
                       name="lstm", hidden_size=hidden)
    inits = [const("w", rand(1, 4 * hidden, inp)),
             const("r", rand(1, 4 * hidden, hidden)),
             const("b", rand(1, 8 * hidden))]
    return make([node], [vi("x", [5, 2, inp])],
                [vi("y", None), vi("yh", None), vi("yc", None)], inits)


@model
def gru_bidirectional():
    hidden, inp = 3, 2
    node = h.make_node("GRU", ["x", "w", "r"], ["y"], name="gru",
                       hidden_size=hidden, direction="bidirectional",
                       linear_before_reset=1)
    inits = [const("w", rand(2, 3 * hidden, inp)),
             const("r", rand(2, 3 * hidden, hidden))]
    return make([node], [vi("x", [4, 1, inp])], [vi("y", None)], inits)


# --- Weights, functions, small networks ------------------------------------

@model
def big_weights():
    return make([h.make_node("MatMul", ["x", "w"], ["y"], name="mm")],
                [vi("x", [1, 256])], [vi("y", None)],
                [const("w", rand(256, 256))])


@model
def function_expansion():
    # MeanVarianceNormalization has no converter: ONNX's function body
    # (ReduceMean, Sub, Pow, Sqrt, Div, ...) is imported instead.
    node = h.make_node("MeanVarianceNormalization", ["x"], ["y"], name="mvn")
    return make([node], [vi("x", [2, 3, 4, 4])], [vi("y", None)], opset=13)


@model
def small_cnn():
    nodes = [h.make_node("Conv", ["x", "w1", "b1"], ["c1"], name="conv1",
                         pads=[1, 1, 1, 1]),
             h.make_node("Relu", ["c1"], ["r1"], name="relu1"),
             h.make_node("MaxPool", ["r1"], ["p1"], name="pool1",
                         kernel_shape=[2, 2], strides=[2, 2]),
             h.make_node("GlobalAveragePool", ["p1"], ["g"], name="gap"),
             h.make_node("Flatten", ["g"], ["f"], name="flatten"),
             h.make_node("Gemm", ["f", "w2", "b2"], ["logits"], name="fc",
                         transB=1),
             h.make_node("Softmax", ["logits"], ["y"], name="softmax")]
    inits = [const("w1", rand(8, 3, 3, 3)), const("b1", rand(8)),
             const("w2", rand(10, 8)), const("b2", rand(10))]
    return make(nodes, [vi("x", [1, 3, 16, 16])], [vi("y", None)], inits)


@model
def small_transformer_block():
    d = 16
    nodes = [h.make_node("LayerNormalization", ["x", "g", "bt"], ["n"],
                         name="ln", axis=-1),
             h.make_node("MatMul", ["n", "wq"], ["q"], name="q_proj"),
             h.make_node("MatMul", ["n", "wk"], ["k"], name="k_proj"),
             h.make_node("Transpose", ["k"], ["kt"], name="kt",
                         perm=[0, 2, 1]),
             h.make_node("MatMul", ["q", "kt"], ["s"], name="scores"),
             h.make_node("Div", ["s", "scale"], ["ss"], name="scale"),
             h.make_node("Softmax", ["ss"], ["p"], name="softmax", axis=-1),
             h.make_node("MatMul", ["p", "n"], ["a"], name="attend"),
             h.make_node("Add", ["x", "a"], ["y"], name="residual")]
    inits = [const("g", rand(d)), const("bt", rand(d)),
             const("wq", rand(d, d)), const("wk", rand(d, d)),
             const("scale", np.float32(4.0))]
    return make(nodes, [vi("x", [1, 8, d])], [vi("y", None)], inits)


# --- Models that must be rejected ------------------------------------------

@model
def unsupported_op():
    return make([h.make_node("NonZero", ["x"], ["y"], name="nz")],
                [vi("x", [4])], [vi("y", None)])


@model
def unsupported_attr():
    node = h.make_node("Pad", ["x", "p"], ["y"], name="pad_wrap",
                       mode="wrap")
    # opset 17's checker knows no 'wrap'; build it for opset 11 where the
    # attribute is free text.
    return make([node], [vi("x", [4])], [vi("y", None)],
                [const("p", np.array([1, 1]))], opset=11)


@model
def unsupported_dtype():
    return make([h.make_node("Identity", ["x"], ["y"], name="id")],
                [vi("x", [2], T.STRING)], [vi("y", [2], T.STRING)])


@model
def unsupported_domain():
    node = h.make_node("FusedMatMul", ["a", "b"], ["c"], name="fused",
                       domain="com.microsoft")
    m = make([node], [vi("a", [2, 2]), vi("b", [2, 2])],
             [vi("c", [2, 2])])
    m.opset_import.append(h.make_opsetid("com.microsoft", 1))
    return m


@model
def symbolic_dim():
    return make([h.make_node("Relu", ["x"], ["y"], name="relu")],
                [vi("x", ["batch", "seq", 8])], [vi("y", None)])


@model
def unnamed_dim():
    x = vi("x", [None, 8])
    return make([h.make_node("Relu", ["x"], ["y"], name="relu")], [x],
                [vi("y", None)])


@model
def opset_too_new():
    m = make([h.make_node("Relu", ["x"], ["y"], name="relu")],
             [vi("x", [4])], [vi("y", None)])
    m.opset_import[0].version = 99
    return m


@model
def data_dependent():
    # Reshape to a shape only known at run time.
    return make([h.make_node("Reshape", ["x", "s"], ["y"], name="reshape")],
                [vi("x", [2, 6]), vi("s", [2], T.INT64)], [vi("y", [3, 4])])


@model
def maxpool_indices():
    node = h.make_node("MaxPool", ["x"], ["y", "idx"], name="pool_idx",
                       kernel_shape=[2, 2], strides=[2, 2])
    return make([node], [vi("x", [1, 1, 4, 4])],
                [vi("y", None), vi("idx", None)])


@model
def lstm_input_forget():
    node = h.make_node("LSTM", ["x", "w", "r"], ["y"], name="lstm_cifg",
                       hidden_size=2, input_forget=1)
    return make([node], [vi("x", [3, 1, 2])], [vi("y", None)],
                [const("w", rand(1, 8, 2)), const("r", rand(1, 8, 2))])


@model
def dropout_training():
    node = h.make_node("Dropout", ["x", "ratio", "training"], ["y"],
                       name="drop")
    return make([node], [vi("x", [4])], [vi("y", None)],
                [const("ratio", np.float32(0.5)),
                 const("training", np.bool_(True))])


def corrupt():
    return b"\x08\x07\x12\xff\xff\xff\xff this is not protobuf"


def truncated():
    full = small_cnn().SerializeToString()
    return full[: len(full) // 2]


def main(argv):
    out_dir = argv[1]
    os.makedirs(out_dir, exist_ok=True)
    raw = {"corrupt": corrupt, "truncated": truncated}
    for name in argv[2:]:
        path = os.path.join(out_dir, name + ".onnx")
        if name in raw:
            data = raw[name]()
        else:
            data = MODELS[name]().SerializeToString()
        with open(path, "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main(sys.argv)
