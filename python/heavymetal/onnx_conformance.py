"""ONNX backend-suite conformance of HeavyMetal's importer and runtimes.

Takes each test of the ONNX backend test suite (Debian's libonnx-testdata:
``model.onnx`` with ``test_data_set_*/input_*.pb`` and ``output_*.pb``)
through ``hm-translate --import-onnx`` and ``hm-run`` on each device, and
compares the outputs with the expected ones. Prints, and writes as Markdown
and JSON, a table per directory: passed / failed / unsupported (with the
importer's reason) / crashed / timed out.

    python3 -m heavymetal.onnx_conformance --build-dir build \\
        [--suite node --suite simple ...] [--device cpu --device emu] \\
        [--filter REGEX] [--jobs N] [--out DIR]

Every tool runs under a timeout; a crash (a signal) or a hang is reported as
such and never stops the run. Exit status: 0, or 1 when any test crashed or
hung, or when --min-passed is given and fewer tests passed.
"""

import argparse
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

DEFAULT_DATA = "/usr/share/libonnx-testdata/data"
SUITES = ("node", "pytorch-converted", "pytorch-operator", "simple")

# Issue 4, point 2: the operators the benchmark models need. A test is "in
# scope" when all of its operators are in this list.
SCOPE_OPS = frozenset("""
Conv ConvTranspose Gemm MatMul BatchNormalization Relu LeakyRelu PRelu Sigmoid
Tanh Gelu Erf Elu Selu Softplus HardSigmoid HardSwish Clip Add Sub Mul Div Pow
Sqrt Exp Log Neg Abs Reciprocal Min Max Equal Less Greater Not And Or Where
Softmax LogSoftmax LayerNormalization ReduceMean ReduceSum ReduceMax ReduceMin
ReduceProd ReduceL1 ReduceL2 ReduceLogSum ReduceLogSumExp ReduceSumSquare
MaxPool AveragePool GlobalAveragePool Pad Transpose Reshape Flatten Squeeze
Unsqueeze Concat Split Slice Gather Expand Tile Cast Constant ConstantOfShape
Identity Dropout Shape Range Einsum LSTM GRU RNN If Loop Scan
""".split())

# Inputs that decide output shapes. HeavyMetal compiles static shapes, so
# when a test feeds one of these as a graph input, the runner freezes it to
# the test's value (an initializer) and says so in the report ("frozen").
SHAPE_INPUTS = {
    "Resize": (1, 2, 3), "Upsample": (1,), "Slice": (1, 2, 3, 4),
    "Reshape": (1,), "Expand": (1,), "Tile": (1,), "Pad": (1, 2, 3),
    "Squeeze": (1,), "Unsqueeze": (1,), "Split": (1,), "CumSum": (1,),
    "OneHot": (1,), "Dropout": (1, 2), "TopK": (1,), "ConstantOfShape": (0,),
    "Range": (0, 1, 2), "ReduceSum": (1,), "ReduceMean": (1,),
    "ReduceMax": (1,), "ReduceMin": (1,), "ReduceProd": (1,),
    "ReduceL1": (1,), "ReduceL2": (1,), "ReduceLogSum": (1,),
    "ReduceLogSumExp": (1,), "ReduceSumSquare": (1,),
}

IMPORT_TIMEOUT = 60
RUN_TIMEOUT = 120


def _tolerances(elem_type):
    """(rtol, atol) for comparing outputs of ONNX element type `elem_type`:
    f16 and bf16 looser than f32/f64."""
    if elem_type == 10:
        return 1e-2, 1e-3
    if elem_type == 16:
        return 2e-2, 1e-2
    return 1e-3, 1e-5


def _load_tensor(path):
    import onnx
    from onnx import numpy_helper
    tensor = onnx.TensorProto()
    with open(path, "rb") as f:
        tensor.ParseFromString(f.read())
    return numpy_helper.to_array(tensor)


def _model_types(model):
    """(input, output) lists of (elem_type, shape or None) of the graph."""
    init_names = {i.name for i in model.graph.initializer}
    def describe(info):
        t = info.type.tensor_type
        shape = None
        if t.HasField("shape") and all(d.HasField("dim_value")
                                       for d in t.shape.dim):
            shape = tuple(d.dim_value for d in t.shape.dim)
        return t.elem_type, shape
    inputs = [describe(i) for i in model.graph.input
              if i.name not in init_names]
    outputs = [describe(o) for o in model.graph.output]
    return inputs, outputs


BFLOAT16 = 16


def _bf16_bits_to_f32(bits):
    import numpy as np
    return (bits.astype(np.uint32) << 16).view(np.float32)


def _signed_view(array):
    """hm-run reads signless integers: unsigned data goes in as signed bits."""
    import numpy as np
    mapping = {np.uint8: np.int8, np.uint16: np.int16, np.uint32: np.int32,
               np.uint64: np.int64}
    for unsigned, signed in mapping.items():
        if array.dtype == unsigned:
            return array.view(signed)
    return array


def _graph_ops(graph, ops):
    for node in graph.node:
        ops.add(node.op_type)
        for attr in node.attribute:
            if attr.g is not None and attr.HasField("g"):
                _graph_ops(attr.g, ops)
            for g in attr.graphs:
                _graph_ops(g, ops)
    return ops


def _first_error(text):
    for line in text.splitlines():
        if "error:" in line:
            return line.split("error:", 1)[1].strip()
    lines = [l for l in text.splitlines() if l.strip()]
    return lines[0].strip() if lines else "no message"


def _classify_signal(rc):
    return rc < 0 or rc >= 128


class Result:
    def __init__(self, name, status, reason="", in_scope=False, frozen=()):
        self.name = name
        self.status = status  # passed failed unsupported crash timeout
        self.reason = reason
        self.in_scope = in_scope
        self.frozen = list(frozen)

    def to_json(self):
        return {"name": self.name, "status": self.status,
                "reason": self.reason, "in_scope": self.in_scope,
                "frozen_inputs": self.frozen}


def _freeze_shape_inputs(model, sets):
    """Turns graph inputs that feed shape-deciding slots into initializers
    holding the test's values. Returns the names frozen (and removes their
    data from `sets`), or None when the data sets disagree on a value."""
    import numpy as np
    from onnx import numpy_helper
    init_names = {i.name for i in model.graph.initializer}
    inputs = [i.name for i in model.graph.input if i.name not in init_names]
    wanted = set()
    for node in model.graph.node:
        for slot in SHAPE_INPUTS.get(node.op_type, ()):
            if slot < len(node.input) and node.input[slot] in inputs:
                wanted.add(node.input[slot])
    if not wanted:
        return []
    frozen = []
    for name in wanted:
        index = inputs.index(name)
        values = [s[0][index] for s in sets if index < len(s[0])]
        if not values or any(not np.array_equal(v, values[0])
                             for v in values):
            return None
        model.graph.initializer.append(
            numpy_helper.from_array(values[0], name))
        frozen.append((index, name))
    for index, _ in sorted(frozen, reverse=True):
        for s in sets:
            del s[0][index]
    keep = [i for i in model.graph.input if i.name not in wanted]
    del model.graph.input[:]
    model.graph.input.extend(keep)
    return sorted(name for _, name in frozen)


def _dims_for(model, inputs):
    """--dim options pinning symbolic input dims to the test data's sizes."""
    dims = []
    init_names = {i.name for i in model.graph.initializer}
    graph_inputs = [i for i in model.graph.input if i.name not in init_names]
    for info, data in zip(graph_inputs, inputs):
        if not info.type.HasField("tensor_type"):
            continue
        for index, dim in enumerate(info.type.tensor_type.shape.dim):
            if dim.HasField("dim_value") or index >= data.ndim:
                continue
            if dim.dim_param:
                option = "%s=%d" % (dim.dim_param, data.shape[index])
            else:
                option = "%s:%d=%d" % (info.name, index, data.shape[index])
            if option not in dims:
                dims.append(option)
    return dims


def run_test(test_dir, tools, devices, work_root):
    """Runs one backend test on `devices`; returns {device: Result}. Never
    raises: a problem of the runner itself is reported as a failure."""
    try:
        return _run_test(test_dir, tools, devices, work_root)
    except Exception as e:  # keep the run going; say what broke
        name = os.path.basename(test_dir.rstrip("/"))
        return {d: Result(name, "failed", "runner error: %s: %s" % (
            type(e).__name__, e)) for d in devices}


def _run_test(test_dir, tools, devices, work_root):
    import numpy as np
    import onnx

    name = os.path.basename(test_dir.rstrip("/"))
    results = {}
    model_path = os.path.join(test_dir, "model.onnx")
    try:
        model = onnx.load(model_path, load_external_data=False)
        in_scope = _graph_ops(model.graph, set()) <= SCOPE_OPS
    except Exception as e:  # a test the Python side cannot read
        return {d: Result(name, "unsupported", "cannot load: %s" % e)
                for d in devices}

    def everywhere(status, reason):
        return {d: Result(name, status, reason, in_scope) for d in devices}

    data_sets = sorted(d for d in os.listdir(test_dir)
                       if d.startswith("test_data_set_"))
    if not data_sets:
        return everywhere("unsupported", "no test data")
    work = tempfile.mkdtemp(prefix=name + ".", dir=work_root)
    try:
        try:
            sets = []
            for ds in data_sets:
                path = os.path.join(test_dir, ds)
                def load(prefix):
                    files = sorted(
                        (f for f in os.listdir(path) if f.startswith(prefix)),
                        key=lambda f: int(re.findall(r"\d+", f)[0]))
                    return [_load_tensor(os.path.join(path, f))
                            for f in files]
                sets.append((load("input_"), load("output_")))
        except Exception as e:
            return everywhere("unsupported",
                              "test data is not plain tensors (%s)"
                              % type(e).__name__)

        frozen = _freeze_shape_inputs(model, sets)
        if frozen is None:
            return everywhere("unsupported", "a shape-deciding input "
                              "differs between data sets")
        if frozen:
            model_path = os.path.join(work, "frozen.onnx")
            onnx.save(model, model_path)
        mlir = os.path.join(work, "model.mlir")
        cmd = [tools["hm-translate"], "--import-onnx", model_path, "-o", mlir]
        for dim in _dims_for(model, sets[0][0]):
            cmd += ["--dim", dim]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True,
                                  timeout=IMPORT_TIMEOUT)
        except subprocess.TimeoutExpired:
            return everywhere("timeout", "import timed out")
        if _classify_signal(proc.returncode):
            return everywhere("crash", "import crashed (%d): %s" % (
                proc.returncode, _first_error(proc.stderr)))
        if proc.returncode != 0:
            reason = _first_error(proc.stderr)
            # A module that does not verify is an importer bug, not a
            # limitation.
            status = ("failed" if "internal error" in proc.stderr
                      else "unsupported")
            return everywhere(status, "import: " + reason)

        input_types, output_types = _model_types(model)
        for device in devices:
            results[device] = _run_device(name, device, mlir, sets, tools,
                                          work, in_scope, input_types,
                                          output_types)
            results[device].frozen = frozen
        return results
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _run_device(name, device, mlir, sets, tools, work, in_scope,
                input_types, output_types):
    import numpy as np
    for index, (inputs, expected) in enumerate(sets):
        out_dir = os.path.join(work, "%s.%d" % (device, index))
        os.makedirs(out_dir, exist_ok=True)
        cmd = [tools["hm-run"], mlir, "--entry=main", "--device=" + device,
               "--output-dir=" + out_dir]
        for i, array in enumerate(inputs):
            path = os.path.join(out_dir, "in%d.npy" % i)
            elem, shape = input_types[i] if i < len(input_types) else (0, None)
            # Some test data stores scalars as [1]; the model says [].
            if shape is not None and array.shape != shape and \
                    array.size == int(np.prod(shape)):
                array = array.reshape(shape)
            array = np.array(array, order="C")  # keeps 0-d arrays 0-d
            # bf16 travels as raw uint16 bits, which hm-run accepts.
            np.save(path, array if elem == BFLOAT16 else _signed_view(array))
            cmd.append("--input=" + path)
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True,
                                  timeout=RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
            return Result(name, "timeout", "hm-run timed out", in_scope)
        if _classify_signal(proc.returncode):
            return Result(name, "crash", "hm-run crashed (%d): %s" % (
                proc.returncode, _first_error(proc.stderr)), in_scope)
        if proc.returncode != 0:
            return Result(name, "failed",
                          "hm-run: " + _first_error(proc.stderr), in_scope)
        for i, want in enumerate(expected):
            path = os.path.join(out_dir, "out%d.npy" % i)
            if not os.path.exists(path):
                return Result(name, "failed", "output %d missing" % i,
                              in_scope)
            got = np.load(path)
            if i < len(output_types) and output_types[i][0] == BFLOAT16:
                want = _bf16_bits_to_f32(want)
                got = got.astype(np.float32)
            if want.dtype.kind == "u" and got.dtype.kind == "i":
                got = got.view(want.dtype)
            if got.shape != want.shape:
                return Result(name, "failed", "output %d: shape %s, expected "
                              "%s" % (i, got.shape, want.shape), in_scope)
            if want.dtype.kind in "biu":
                ok = np.array_equal(got.astype(want.dtype), want)
                if not ok:
                    return Result(name, "failed", "output %d: %d of %d "
                                  "elements differ" % (
                                      i, int((got != want).sum()), want.size),
                                  in_scope)
                continue
            rtol, atol = _tolerances(
                output_types[i][0] if i < len(output_types) else 1)
            g = got.astype(np.float64)
            w = want.astype(np.float64)
            if not np.allclose(g, w, rtol=rtol, atol=atol, equal_nan=True):
                with np.errstate(invalid="ignore"):
                    err = np.nanmax(np.abs(g - w)) if g.size else 0
                return Result(name, "failed", "output %d: max abs error %.3g "
                              "(rtol %g, atol %g)" % (i, err, rtol, atol),
                              in_scope)
    return Result(name, "passed", "", in_scope)


STATUSES = ("passed", "failed", "unsupported", "crash", "timeout")


def summarize(suite, device, results):
    counts = {s: 0 for s in STATUSES}
    counts["frozen"] = 0
    scoped = {"total": 0, "passed": 0}
    for r in results:
        counts[r.status] += 1
        counts["frozen"] += r.status == "passed" and bool(r.frozen)
        if r.in_scope:
            scoped["total"] += 1
            scoped["passed"] += r.status == "passed"
    return counts, scoped


def write_report(out_dir, table, details):
    os.makedirs(out_dir, exist_ok=True)
    lines = ["# ONNX backend-suite conformance", "",
             "| suite | device | tests | passed | (of which frozen) | failed | "
             "unsupported | crash | timeout | in-scope passed |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for (suite, device), (counts, scoped) in table.items():
        total = sum(counts[s] for s in STATUSES)
        lines.append("| %s | %s | %d | %d | %d | %d | %d | %d | %d | %d / %d |"
                     % (suite, device, total, counts["passed"],
                        counts["frozen"], counts["failed"],
            counts["unsupported"], counts["crash"], counts["timeout"],
            scoped["passed"], scoped["total"]))
    lines += ["", "\"frozen\": the test feeds a shape-deciding input "
              "(Resize scales, Slice starts, Reshape shape, ...) as a graph "
              "input; HeavyMetal compiles static shapes, so the runner made "
              "it an initializer holding the test's value.", ""]
    for (suite, device), results in details.items():
        bad = [r for r in results if r.status != "passed"]
        if not bad:
            continue
        lines += ["## %s on %s" % (suite, device), "",
                  "| test | status | reason |", "|---|---|---|"]
        for r in sorted(bad, key=lambda r: (r.status, r.name)):
            lines.append("| %s | %s | %s |" % (
                r.name, r.status, r.reason.replace("|", "\\|")[:300]))
        lines.append("")
    with open(os.path.join(out_dir, "conformance.md"), "w") as f:
        f.write("\n".join(lines))
    with open(os.path.join(out_dir, "conformance.json"), "w") as f:
        json.dump({"%s/%s" % k: [r.to_json() for r in v]
                   for k, v in details.items()}, f, indent=1)
    return "\n".join(lines[:4 + len(table)])


def find_tools(build_dir):
    tools = {}
    for tool in ("hm-translate", "hm-run"):
        path = os.path.join(build_dir, "bin", tool)
        if not os.access(path, os.X_OK):
            raise SystemExit("onnx_conformance: %s not found in %s/bin; build "
                             "it first" % (tool, build_dir))
        tools[tool] = os.path.abspath(path)
    return tools


def main(argv=None):
    root = os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    parser = argparse.ArgumentParser(
        prog="python3 -m heavymetal.onnx_conformance",
        description=__doc__.split("\n\n")[0])
    parser.add_argument("--build-dir", default=os.path.join(root, "build"))
    parser.add_argument("--data-dir", default=DEFAULT_DATA)
    parser.add_argument("--suite", action="append", choices=SUITES)
    parser.add_argument("--device", action="append",
                        choices=("cpu", "emu", "cuda"))
    parser.add_argument("--filter", default="",
                        help="only tests whose name matches this regex")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--out", default="onnx-conformance",
                        help="directory for conformance.md/.json")
    parser.add_argument("--min-passed", type=int, default=None,
                        help="fail unless at least this many (test, device) "
                             "pairs pass")
    args = parser.parse_args(argv)
    suites = args.suite or list(SUITES)
    devices = args.device or ["cpu", "emu"]
    tools = find_tools(args.build_dir)
    work_root = tempfile.mkdtemp(prefix="hm-onnx-conformance.")
    pattern = re.compile(args.filter)

    table, details = {}, {}
    start = time.time()
    try:
        for suite in suites:
            suite_dir = os.path.join(args.data_dir, suite)
            if not os.path.isdir(suite_dir):
                print("onnx_conformance: no %s; skipped" % suite_dir,
                      file=sys.stderr)
                continue
            tests = sorted(
                os.path.join(suite_dir, t) for t in os.listdir(suite_dir)
                if pattern.search(t) and
                os.path.exists(os.path.join(suite_dir, t, "model.onnx")))
            per_device = {d: [] for d in devices}
            with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
                futures = [pool.submit(run_test, t, tools, devices, work_root)
                           for t in tests]
                for future in futures:
                    for device, result in future.result().items():
                        per_device[device].append(result)
            for device in devices:
                details[(suite, device)] = per_device[device]
                table[(suite, device)] = summarize(suite, device,
                                                   per_device[device])
    finally:
        shutil.rmtree(work_root, ignore_errors=True)

    print(write_report(args.out, table, details))
    print("\n(%.0f s; details in %s/conformance.md)" % (
        time.time() - start, args.out))
    bad = sum(c["crash"] + c["timeout"] for c, _ in table.values())
    passed = sum(c["passed"] for c, _ in table.values())
    if bad:
        return 1
    if args.min_passed is not None and passed < args.min_passed:
        print("onnx_conformance: %d passed, fewer than --min-passed %d" % (
            passed, args.min_passed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
