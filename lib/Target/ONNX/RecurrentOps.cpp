//===- RecurrentOps.cpp - LSTM, GRU and RNN -------------------------------===//
//
// Each direction: the input projection of every time step at once (one
// linalg.matmul over [seq * batch, input]), then an scf.for over time whose
// body multiplies the hidden state by the recurrence weights
// (linalg.matmul accumulating into that step's projection) and applies the
// gates element-wise. Y, Y_h and Y_c are assembled after the loops.
//
//===----------------------------------------------------------------------===//

#include "EmitUtils.h"
#include "Importer.h"
#include "Tensors.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using namespace mlir::hm::onnx_import;

namespace {

/// One of the activation functions RNN operators accept.
struct Activation {
  std::string name;
  double alpha = 0, beta = 0;

  Value apply(ScalarMath &m, Value x) const {
    if (name == "Sigmoid")
      return m.sigmoid(x);
    if (name == "Tanh")
      return m.tanh(x);
    if (name == "Relu")
      return m.max(x, m.constant(0));
    if (name == "LeakyRelu")
      return m.select(m.lt(x, m.constant(0)), m.mul(x, m.constant(alpha)), x);
    if (name == "ThresholdedRelu")
      return m.select(m.gt(x, m.constant(alpha)), x, m.constant(0));
    if (name == "HardSigmoid")
      return m.max(m.constant(0),
                   m.min(m.constant(1),
                         m.add(m.mul(m.constant(alpha), x), m.constant(beta))));
    if (name == "Affine")
      return m.add(m.mul(m.constant(alpha), x), m.constant(beta));
    if (name == "ScaledTanh")
      return m.mul(m.constant(alpha), m.tanh(m.mul(m.constant(beta), x)));
    if (name == "Elu")
      return m.select(m.lt(x, m.constant(0)),
                      m.mul(m.constant(alpha), m.sub(m.exp(x), m.constant(1))),
                      x);
    if (name == "Softsign")
      return m.div(x, m.add(m.constant(1), m.abs(x)));
    // Softplus
    return m.log(m.add(m.exp(x), m.constant(1)));
  }
};

/// What every RNN-family operator shares.
struct RecurrentSpec {
  int64_t seq, batch, inputSize, hidden, directions;
  bool reverseOnly;
  SmallVector<Activation> activations; // per direction, `perDirection` each
  double clip = 0;
  Value x;                          // [seq, batch, input] (layout 0)
  SmallVector<Value> initialStates; // [dirs, batch, H] per state (h, c)
};

/// Reads activations (with their alpha/beta) for `count` per direction.
FailureOr<SmallVector<Activation>>
readActivations(NodeImporter &n, ArrayRef<const char *> defaults,
                int64_t directions) {
  std::optional<SmallVector<std::string>> names = n.getStrings("activations");
  SmallVector<float> alphas =
      n.getFloats("activation_alpha").value_or(SmallVector<float>());
  SmallVector<float> betas =
      n.getFloats("activation_beta").value_or(SmallVector<float>());
  SmallVector<std::string> list;
  if (names && !names->empty()) {
    list = *names;
  } else {
    for (int64_t d = 0; d < directions; ++d)
      for (const char *a : defaults)
        list.push_back(a);
  }
  if (list.size() != defaults.size() * directions)
    return n.emitError() << "expected " << defaults.size() * directions
                         << " activations, got " << list.size();
  SmallVector<Activation> result;
  size_t alphaIndex = 0, betaIndex = 0;
  for (const std::string &name : list) {
    Activation a{name};
    auto [defaultAlpha, defaultBeta, usesAlpha, usesBeta] =
        llvm::StringSwitch<std::tuple<double, double, bool, bool>>(name)
            .Case("LeakyRelu", {0.01, 0, true, false})
            .Case("ThresholdedRelu", {1.0, 0, true, false})
            .Case("HardSigmoid", {0.2, 0.5, true, true})
            .Case("Affine", {1.0, 0, true, true})
            .Case("ScaledTanh", {1.0, 1.0, true, true})
            .Case("Elu", {1.0, 0, true, false})
            .Default({0, 0, false, false});
    bool known = llvm::is_contained(
        {"Sigmoid", "Tanh", "Relu", "LeakyRelu", "ThresholdedRelu",
         "HardSigmoid", "Affine", "ScaledTanh", "Elu", "Softsign", "Softplus"},
        llvm::StringRef(name));
    if (!known)
      return n.unsupported("activation '" + name + "'");
    a.alpha = defaultAlpha;
    a.beta = defaultBeta;
    if (usesAlpha && alphaIndex < alphas.size())
      a.alpha = alphas[alphaIndex++];
    if (usesBeta && betaIndex < betas.size())
      a.beta = betas[betaIndex++];
    result.push_back(a);
  }
  return result;
}

/// Slice `index` of dim 0 of `v`, without that dim.
Value row(OpBuilder &b, Location loc, Value v, OpFoldResult index) {
  ArrayRef<int64_t> shape = shapeOf(v);
  SmallVector<OpFoldResult> offsets(shape.size(), b.getIndexAttr(0)), sizes,
      strides(shape.size(), b.getIndexAttr(1));
  offsets[0] = index;
  sizes.push_back(b.getIndexAttr(1));
  for (int64_t d : shape.drop_front())
    sizes.push_back(b.getIndexAttr(d));
  Value s = tensor::ExtractSliceOp::create(b, loc, v, offsets, sizes, strides);
  return reshapeTo(b, loc, s, shape.drop_front());
}

/// Elements [begin, begin + count) of a 1-D tensor.
Value slice1D(OpBuilder &b, Location loc, Value v, int64_t begin,
              int64_t count) {
  return tensor::ExtractSliceOp::create(
      b, loc, v, ArrayRef<OpFoldResult>{b.getIndexAttr(begin)},
      ArrayRef<OpFoldResult>{b.getIndexAttr(count)},
      ArrayRef<OpFoldResult>{b.getIndexAttr(1)});
}

/// Columns [begin, begin + count) of a 2-D tensor.
Value columns(OpBuilder &b, Location loc, Value v, int64_t begin,
              int64_t count) {
  int64_t rows = shapeOf(v)[0];
  MLIRContext *context = b.getContext();
  return tensor::ExtractSliceOp::create(
      b, loc, v, getAsIndexOpFoldResult(context, {0, begin}),
      getAsIndexOpFoldResult(context, {rows, count}),
      getAsIndexOpFoldResult(context, {1, 1}));
}

/// The per-step state update: gates [batch, G*H] (input projection plus
/// recurrence) and the states; returns the new states (h first).
using StepFn = llvm::function_ref<SmallVector<Value>(
    OpBuilder &, Location, Value projected, ValueRange states, int64_t dir)>;

/// Runs direction `dir`: `projected` [seq, batch, G*H]; returns
/// (Y_dir [seq, batch, H], final states).
std::pair<Value, SmallVector<Value>>
runDirection(OpBuilder &b, Location loc, const RecurrentSpec &spec,
             Value projected, SmallVector<Value> initial, bool reverse,
             int64_t dir, StepFn step) {
  Type elementType = elementTypeOf(projected);
  SmallVector<Value> iterArgs(initial);
  iterArgs.push_back(
      emptyTensor(b, loc, {spec.seq, spec.batch, spec.hidden}, elementType));
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Value ub = arith::ConstantIndexOp::create(b, loc, spec.seq);
  auto forOp = scf::ForOp::create(b, loc, zero, ub, one, iterArgs);
  OpBuilder inner = OpBuilder::atBlockBegin(forOp.getBody());
  Value t = forOp.getInductionVar();
  if (reverse)
    t = arith::SubIOp::create(
        inner, loc, arith::ConstantIndexOp::create(inner, loc, spec.seq - 1),
        t);
  Value xt = row(inner, loc, projected, t);
  ValueRange args = forOp.getRegionIterArgs();
  SmallVector<Value> next = step(inner, loc, xt, args.drop_back(), dir);
  // Y[t] = h
  SmallVector<OpFoldResult> offsets = {t, inner.getIndexAttr(0),
                                       inner.getIndexAttr(0)};
  SmallVector<OpFoldResult> sizes = {inner.getIndexAttr(1),
                                     inner.getIndexAttr(spec.batch),
                                     inner.getIndexAttr(spec.hidden)};
  SmallVector<OpFoldResult> strides(3, inner.getIndexAttr(1));
  Value h3 = reshapeTo(inner, loc, next[0], {1, spec.batch, spec.hidden});
  Value y = tensor::InsertSliceOp::create(inner, loc, h3, args.back(), offsets,
                                          sizes, strides);
  next.push_back(y);
  scf::YieldOp::create(inner, loc, next);
  SmallVector<Value> finals(forOp.getResults().drop_back());
  return {forOp.getResults().back(), finals};
}

/// Imports an RNN-family node: `gates` blocks of H in W/R, `numStates`
/// states (h, and c for LSTM), `step` the per-step update.
LogicalResult convertRecurrent(
    NodeImporter &n, int64_t gates, int64_t numStates,
    ArrayRef<const char *> defaultActivations,
    llvm::function_ref<LogicalResult(RecurrentSpec &, SmallVector<Value> &)>
        extraInputs,
    StepFn step) {
  OpBuilder &b = n.b;
  Location loc = n.loc;
  FailureOr<Value> xIn = n.input(0), w = n.input(1), r = n.input(2);
  if (failed(xIn) || failed(w) || failed(r))
    return failure();
  int64_t layout = n.getInt("layout", 0);
  Value x = layout ? transposeTensor(b, loc, *xIn, {1, 0, 2}) : *xIn;
  RecurrentSpec spec;
  spec.seq = shapeOf(x)[0];
  spec.batch = shapeOf(x)[1];
  spec.inputSize = shapeOf(x)[2];
  spec.hidden = n.getInt("hidden_size", shapeOf(*r).back());
  std::string direction = n.getString("direction", "forward");
  if (direction != "forward" && direction != "reverse" &&
      direction != "bidirectional")
    return n.unsupported("direction '" + direction + "'");
  spec.directions = direction == "bidirectional" ? 2 : 1;
  spec.reverseOnly = direction == "reverse";
  spec.clip = n.getFloat("clip", 0);
  spec.x = x;
  int64_t H = spec.hidden, G = gates * H;
  Type elementType = elementTypeOf(x);
  if (shapeOf(*w) != ArrayRef<int64_t>{spec.directions, G, spec.inputSize} ||
      shapeOf(*r) != ArrayRef<int64_t>{spec.directions, G, H})
    return n.emitError() << "W or R has an unexpected shape";
  FailureOr<SmallVector<Activation>> activations =
      readActivations(n, defaultActivations, spec.directions);
  if (failed(activations))
    return failure();
  spec.activations = *activations;

  if (n.hasInput(4)) {
    // sequence_lens: fine when every sequence is full length.
    const onnx::TensorProto *lens = n.constantInput(4);
    std::string error;
    auto values = lens ? tensorToInts(*lens, error) : std::nullopt;
    if (!values ||
        llvm::any_of(*values, [&](int64_t l) { return l != spec.seq; }))
      return n.unsupported("'sequence_lens' other than the full sequence "
                           "length for every batch entry");
  }
  Value zero = scalarConstant(b, loc, elementType, 0);
  for (int64_t s = 0; s < numStates; ++s) {
    unsigned index = 5 + s;
    Value init;
    if (n.hasInput(index)) {
      FailureOr<Value> v = n.input(index);
      if (failed(v))
        return failure();
      init = layout ? transposeTensor(b, loc, *v, {1, 0, 2}) : *v;
    } else {
      init = filledTensor(b, loc, {spec.directions, spec.batch, H}, zero);
    }
    spec.initialStates.push_back(init);
  }
  SmallVector<Value> extra;
  if (failed(extraInputs(spec, extra)))
    return failure();

  // Biases: W's half joins the input projection; the step gets R's half.
  Value bias;
  if (n.hasInput(3)) {
    FailureOr<Value> bv = n.input(3);
    if (failed(bv))
      return failure();
    bias = *bv;
  }
  SmallVector<Value> ys, finals[2];
  for (int64_t d = 0; d < spec.directions; ++d) {
    Value wd = row(b, loc, *w, b.getIndexAttr(d));  // [G, I]
    Value wt = transposeTensor(b, loc, wd, {1, 0}); // [I, G]
    Value x2 = reshapeTo(b, loc, x, {spec.seq * spec.batch, spec.inputSize});
    Value init;
    if (bias) {
      Value bd = row(b, loc, bias, b.getIndexAttr(d)); // [2G]
      Value wb = slice1D(b, loc, bd, 0, G);
      init = broadcastTo(b, loc, wb, {spec.seq * spec.batch, G});
    } else {
      init = filledTensor(b, loc, {spec.seq * spec.batch, G}, zero);
    }
    Value projected =
        linalg::MatmulOp::create(b, loc, TypeRange{init.getType()},
                                 ValueRange{x2, wt}, ValueRange{init})
            .getResult(0);
    projected = reshapeTo(b, loc, projected, {spec.seq, spec.batch, G});
    SmallVector<Value> initial;
    for (Value s : spec.initialStates)
      initial.push_back(row(b, loc, s, b.getIndexAttr(d)));
    bool reverse = spec.reverseOnly || d == 1;
    auto [y, last] =
        runDirection(b, loc, spec, projected, initial, reverse, d, step);
    ys.push_back(reshapeTo(b, loc, y, {spec.seq, 1, spec.batch, H}));
    for (int64_t s = 0; s < numStates; ++s)
      finals[s].push_back(reshapeTo(b, loc, last[s], {1, spec.batch, H}));
  }
  auto concat = [&](SmallVector<Value> &parts, int64_t dim) -> Value {
    if (parts.size() == 1)
      return parts[0];
    return tensor::ConcatOp::create(b, loc, dim, parts);
  };
  Value y = concat(ys, 1); // [seq, dirs, batch, H]
  if (layout)
    y = transposeTensor(b, loc, y, {2, 0, 1, 3});
  if (failed(n.setOutput(0, y)))
    return failure();
  for (int64_t s = 0; s < numStates; ++s) {
    Value f = concat(finals[s], 0); // [dirs, batch, H]
    if (layout)
      f = transposeTensor(b, loc, f, {1, 0, 2});
    if (failed(n.setOutput(1 + s, f)))
      return failure();
  }
  return success();
}

/// gates + h @ R^T (+ the recurrence bias), for one step of direction `d`.
Value recurrence(OpBuilder &b, Location loc, Value h, Value rT, Value init) {
  return linalg::MatmulOp::create(b, loc, TypeRange{init.getType()},
                                  ValueRange{h, rT}, ValueRange{init})
      .getResult(0);
}

/// R[d]^T [H, G] and R's bias half [G] (zeros without B) of direction `d`.
std::pair<Value, Value> recurrenceWeights(NodeImporter &n, int64_t d,
                                          int64_t G) {
  OpBuilder &b = n.b;
  Location loc = n.loc;
  Value r = *n.input(2);
  Value rT = transposeTensor(b, loc, row(b, loc, r, b.getIndexAttr(d)), {1, 0});
  Type elementType = elementTypeOf(r);
  Value rb;
  if (n.hasInput(3)) {
    Value bd = row(b, loc, *n.input(3), b.getIndexAttr(d));
    rb = slice1D(b, loc, bd, G, G);
  } else {
    rb = filledTensor(b, loc, {G}, scalarConstant(b, loc, elementType, 0));
  }
  return {rT, rb};
}

/// Clips a pre-activation to [-clip, clip] when `clip` > 0.
Value clipped(ScalarMath &m, Value v, double clip) {
  if (clip <= 0)
    return v;
  return m.min(m.max(v, m.constant(-clip)), m.constant(clip));
}

LogicalResult convertRNN(NodeImporter &n) {
  SmallVector<std::pair<Value, Value>> weights;
  RecurrentSpec *specPtr = nullptr;
  return convertRecurrent(
      n, 1, 1, {"Tanh"},
      [&](RecurrentSpec &spec, SmallVector<Value> &) {
        specPtr = &spec;
        for (int64_t d = 0; d < spec.directions; ++d)
          weights.push_back(recurrenceWeights(n, d, spec.hidden));
        return success();
      },
      [&](OpBuilder &b, Location loc, Value xt, ValueRange states,
          int64_t d) -> SmallVector<Value> {
        const RecurrentSpec &spec = *specPtr;
        auto [rT, rb] = weights[d];
        Value init = buildElementwise(
            b, loc, {xt, rb}, cast<RankedTensorType>(xt.getType()),
            [](OpBuilder &nb, Location nl, ValueRange a) {
              return ScalarMath(nb, nl, a[0].getType()).add(a[0], a[1]);
            });
        Value gates = recurrence(b, loc, states[0], rT, init);
        Value h = buildElementwise(
            b, loc, {gates}, cast<RankedTensorType>(gates.getType()),
            [&](OpBuilder &nb, Location nl, ValueRange a) {
              ScalarMath m(nb, nl, a[0].getType());
              return spec.activations[d].apply(m, clipped(m, a[0], spec.clip));
            });
        return {h};
      });
}

LogicalResult convertGRU(NodeImporter &n) {
  bool linearBeforeReset = n.getInt("linear_before_reset", 0) != 0;
  SmallVector<std::pair<Value, Value>> weights;
  RecurrentSpec *specPtr = nullptr;
  return convertRecurrent(
      n, 3, 1, {"Sigmoid", "Tanh"},
      [&](RecurrentSpec &spec, SmallVector<Value> &) {
        specPtr = &spec;
        for (int64_t d = 0; d < spec.directions; ++d)
          weights.push_back(recurrenceWeights(n, d, 3 * spec.hidden));
        return success();
      },
      [&](OpBuilder &b, Location loc, Value xt, ValueRange states,
          int64_t d) -> SmallVector<Value> {
        const RecurrentSpec &spec = *specPtr;
        int64_t H = spec.hidden;
        auto [rT, rb] = weights[d];
        const Activation &f = spec.activations[2 * d];
        const Activation &g = spec.activations[2 * d + 1];
        Value h = states[0];
        auto hType = cast<RankedTensorType>(h.getType());
        // h @ R^T + Rb: [batch, 3H] (z, r, h blocks).
        Value hr = recurrence(b, loc, h, rT,
                              broadcastTo(b, loc, rb, {spec.batch, 3 * H}));
        Value xz = columns(b, loc, xt, 0, H), xr = columns(b, loc, xt, H, H),
              xh = columns(b, loc, xt, 2 * H, H);
        Value hz = columns(b, loc, hr, 0, H), hrr = columns(b, loc, hr, H, H),
              hh = columns(b, loc, hr, 2 * H, H);
        auto gate = [&](Value a, Value c) {
          return buildElementwise(
              b, loc, {a, c}, hType,
              [&](OpBuilder &nb, Location nl, ValueRange v) {
                ScalarMath m(nb, nl, v[0].getType());
                return f.apply(m, clipped(m, m.add(v[0], v[1]), spec.clip));
              });
        };
        Value z = gate(xz, hz), rg = gate(xr, hrr);
        Value candidateIn;
        if (linearBeforeReset) {
          candidateIn =
              buildElementwise(b, loc, {xh, rg, hh}, hType,
                               [](OpBuilder &nb, Location nl, ValueRange v) {
                                 ScalarMath m(nb, nl, v[0].getType());
                                 return m.add(v[0], m.mul(v[1], v[2]));
                               });
        } else {
          // (r * h) @ Rh^T + Rbh, the Rh block being the last H columns.
          Value rh = buildElementwise(
              b, loc, {rg, h}, hType,
              [](OpBuilder &nb, Location nl, ValueRange v) {
                return ScalarMath(nb, nl, v[0].getType()).mul(v[0], v[1]);
              });
          Value rhT = columns(b, loc, rT, 2 * H, H); // [H, H]
          Value rbh = slice1D(b, loc, rb, 2 * H, H);
          Value init = buildElementwise(
              b, loc, {xh, rbh}, hType,
              [](OpBuilder &nb, Location nl, ValueRange v) {
                return ScalarMath(nb, nl, v[0].getType()).add(v[0], v[1]);
              });
          candidateIn = recurrence(b, loc, rh, rhT, init);
        }
        Value next = buildElementwise(
            b, loc, {candidateIn, z, h}, hType,
            [&](OpBuilder &nb, Location nl, ValueRange v) {
              ScalarMath m(nb, nl, v[0].getType());
              Value cand = g.apply(m, clipped(m, v[0], spec.clip));
              return m.add(m.mul(m.sub(m.constant(1), v[1]), cand),
                           m.mul(v[1], v[2]));
            });
        return {next};
      });
}

LogicalResult convertLSTM(NodeImporter &n) {
  if (n.getInt("input_forget", 0) != 0)
    return n.unsupported("input_forget = 1");
  SmallVector<std::pair<Value, Value>> weights;
  SmallVector<Value> peepholes;
  RecurrentSpec *specPtr = nullptr;
  return convertRecurrent(
      n, 4, 2, {"Sigmoid", "Tanh", "Tanh"},
      [&](RecurrentSpec &spec, SmallVector<Value> &) -> LogicalResult {
        specPtr = &spec;
        for (int64_t d = 0; d < spec.directions; ++d) {
          weights.push_back(recurrenceWeights(n, d, 4 * spec.hidden));
          Value p;
          if (n.hasInput(7)) {
            FailureOr<Value> pv = n.input(7);
            if (failed(pv))
              return failure();
            p = row(n.b, n.loc, *pv, n.b.getIndexAttr(d)); // [3H]
          } else {
            p = filledTensor(
                n.b, n.loc, {3 * spec.hidden},
                scalarConstant(n.b, n.loc, elementTypeOf(spec.x), 0));
          }
          peepholes.push_back(p);
        }
        return success();
      },
      [&](OpBuilder &b, Location loc, Value xt, ValueRange states,
          int64_t d) -> SmallVector<Value> {
        const RecurrentSpec &spec = *specPtr;
        int64_t H = spec.hidden;
        auto [rT, rb] = weights[d];
        const Activation &f = spec.activations[3 * d];
        const Activation &g = spec.activations[3 * d + 1];
        const Activation &hAct = spec.activations[3 * d + 2];
        Value h = states[0], c = states[1];
        auto hType = cast<RankedTensorType>(h.getType());
        Value init = buildElementwise(
            b, loc, {xt, rb}, cast<RankedTensorType>(xt.getType()),
            [](OpBuilder &nb, Location nl, ValueRange a) {
              return ScalarMath(nb, nl, a[0].getType()).add(a[0], a[1]);
            });
        Value gates = recurrence(b, loc, h, rT, init); // i, o, f, c blocks
        Value gi = columns(b, loc, gates, 0, H),
              go = columns(b, loc, gates, H, H),
              gf = columns(b, loc, gates, 2 * H, H),
              gc = columns(b, loc, gates, 3 * H, H);
        Value p = peepholes[d];
        Value pi = slice1D(b, loc, p, 0, H), po = slice1D(b, loc, p, H, H),
              pf = slice1D(b, loc, p, 2 * H, H);
        // C = f * C' + i * g
        Value cNext = buildElementwise(
            b, loc, {gi, gf, gc, c, pi, pf}, hType,
            [&](OpBuilder &nb, Location nl, ValueRange v) {
              ScalarMath m(nb, nl, v[0].getType());
              Value i = f.apply(
                  m, clipped(m, m.add(v[0], m.mul(v[4], v[3])), spec.clip));
              Value fg = f.apply(
                  m, clipped(m, m.add(v[1], m.mul(v[5], v[3])), spec.clip));
              Value cand = g.apply(m, clipped(m, v[2], spec.clip));
              return m.add(m.mul(fg, v[3]), m.mul(i, cand));
            });
        // H = o * h(C), o peeking at the new C.
        Value hNext = buildElementwise(
            b, loc, {go, cNext, po}, hType,
            [&](OpBuilder &nb, Location nl, ValueRange v) {
              ScalarMath m(nb, nl, v[0].getType());
              Value o = f.apply(
                  m, clipped(m, m.add(v[0], m.mul(v[2], v[1])), spec.clip));
              return m.mul(o, hAct.apply(m, v[1]));
            });
        return {hNext, cNext};
      });
}

} // namespace

void mlir::hm::onnx_import::populateRecurrentConverters(
    ConverterMap &converters) {
  converters["RNN"] = convertRNN;
  converters["GRU"] = convertGRU;
  converters["LSTM"] = convertLSTM;
}
