#!/usr/bin/python3
"""Writes the small ONNX op-test models of test/fixtures/onnx (used by
test/onnx/ops.test.ts; CI uses the committed files, not this script).

Every case is a float graph built with onnx's helper API and, unless it is
float-only, a QDQ twin in the style of an F8Net quantisation-aware export:
power-of-two scales, zero points 0, the input and every activation through
QuantizeLinear/DequantizeLinear (int8, or uint8 where the case says so),
weights int8 and biases int32 at FL_x + FL_w as DequantizeLinear
initialisers. All accumulators stay below 2^24, so onnxruntime computes the
QDQ model exactly in float32. manifest.json lists every case with its input
shape, the input range the test draws from, and the PTQ tolerance (relative
RMS error).

    /usr/bin/python3 scripts/gen-onnx-fixtures.py     (needs python3-onnx)

Deterministic (fixed seeds).
"""
import json
import os
import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'onnx')


class Case:
    """A float graph; `fl` gives QDQ formats: tensor -> (FL, 'int8' | 'uint8')."""

    def __init__(self, name, shape, seed, lo=-1.0, hi=1.0, tol=0.1, opset=13, qdq=True, note='', per_channel=False):
        self.name, self.shape, self.opset, self.qdq, self.note, self.per_channel = name, shape, opset, qdq, note, per_channel
        self.lo, self.hi, self.tol = lo, hi, tol
        self.rng = np.random.default_rng(seed)
        self.nodes = []  # (op, inputs, output, attrs)
        self.weights = {}  # name -> (float array, FL, per-channel FLs or None)
        self.biases = {}  # name -> (float array, weight name, input tensor)
        self.consts = {}  # name -> numpy array (kept as is in both forms)
        self.fl = {'x': (6, 'int8')}
        self.noq = set()  # activations left unquantised in the QDQ form (fused relu/clip patterns)
        self.out = None

    def w(self, name, shape, fl=7, scale=0.5, per_channel=None):
        self.weights[name] = (self.rng.uniform(-scale, scale, shape).astype(np.float32), fl, per_channel)
        return name

    def b(self, name, n, wname, x, scale=0.5):
        self.biases[name] = (self.rng.uniform(-scale, scale, n).astype(np.float32), wname, x)
        return name

    def c(self, name, arr):
        self.consts[name] = np.asarray(arr)
        return name

    def node(self, op, inputs, out, fl=None, **attrs):
        self.nodes.append((op, inputs, out, attrs))
        if fl is not None:
            self.fl[out] = fl if isinstance(fl, tuple) else (fl, 'int8')
        self.out = out
        return out

    # -- writing ---------------------------------------------------------

    def _model(self, nodes, inits, name):
        g = helper.make_graph(nodes, name, [helper.make_tensor_value_info('x', TensorProto.FLOAT, self.shape)],
                              [onnx.ValueInfoProto(name='y')], inits)
        m = helper.make_model(g, producer_name='f8c gen-onnx-fixtures', opset_imports=[helper.make_opsetid('', self.opset)])
        m.ir_version = 7
        m = onnx.shape_inference.infer_shapes(m, strict_mode=True)
        onnx.checker.check_model(m)
        return m

    def float_model(self):
        inits = [numpy_helper.from_array(a, n) for n, (a, _, _) in self.weights.items()]
        inits += [numpy_helper.from_array(a, n) for n, (a, _, _) in self.biases.items()]
        inits += [numpy_helper.from_array(a, n) for n, a in self.consts.items()]
        nodes = [helper.make_node(op, ins, [out if out != self.out else 'y'], name=out, **at) for op, ins, out, at in self.nodes]
        nodes = [self._rename(n) for n in nodes]
        return self._model(nodes, inits, self.name)

    def _rename(self, n):
        n.input[:] = ['y' if i == self.out else i for i in n.input]
        return n

    def qdq_model(self):
        inits, nodes = [], []
        scale = lambda f: np.float32(2.0 ** -f)

        def add_init(name, arr):
            inits.append(numpy_helper.from_array(np.asarray(arr), name))
            return name

        for n, a in self.consts.items():
            add_init(n, a)
        wq = {}
        for n, (a, f, pc) in self.weights.items():
            fls = np.array(pc if pc is not None else [f], dtype=np.float64)
            fb = fls.reshape([-1] + [1] * (a.ndim - 1)) if pc is not None else fls[0]
            q = np.clip(np.round(a * 2.0 ** fb), -127, 127).astype(np.int8)
            add_init(n + '_q', q)
            s = np.asarray([scale(v) for v in fls], np.float32) if pc is not None else scale(f)
            add_init(n + '_s', s)
            add_init(n + '_z', np.zeros(len(fls), np.int8) if pc is not None else np.int8(0))
            nodes.append(helper.make_node('DequantizeLinear', [n + '_q', n + '_s', n + '_z'], [n], name=n + '_dq', axis=0))
            wq[n] = fls
        for n, (a, wn, x) in self.biases.items():
            flb = wq[wn] + self.fl[x][0]
            q = np.round(a * 2.0 ** flb).astype(np.int32)
            add_init(n + '_q', q)
            per = len(flb) > 1
            add_init(n + '_s', np.asarray([scale(v) for v in flb], np.float32) if per else scale(flb[0]))
            add_init(n + '_z', np.zeros(len(flb), np.int32) if per else np.int32(0))
            nodes.append(helper.make_node('DequantizeLinear', [n + '_q', n + '_s', n + '_z'], [n], name=n + '_dq', axis=0))

        def qdq(src, t):
            f, dt = self.fl[t]
            sn, zn = add_init(t + '_qs', scale(f)), add_init(t + '_qz', np.uint8(0) if dt == 'uint8' else np.int8(0))
            nodes.append(helper.make_node('QuantizeLinear', [src, sn, zn], [t + '_q'], name=t + '_quant'))
            nodes.append(helper.make_node('DequantizeLinear', [t + '_q', sn, zn], [t], name=t + '_dequant'))

        nodes.append(helper.make_node('Identity', ['x'], ['x_in'], name='x_in'))
        self.fl['xq'] = self.fl['x']
        qdq('x_in', 'xq')
        ren = {'x': 'xq', self.out: 'y'}
        for op, ins, out, at in self.nodes:
            ins = [ren.get(i, i) for i in ins]
            o = ren.get(out, out)
            if out in self.noq:
                nodes.append(helper.make_node(op, ins, [o], name=out, **at))
            else:
                nodes.append(helper.make_node(op, ins, [o + '_f'], name=out, **at))
                self.fl[o] = self.fl[out]
                qdq(o + '_f', o)
        return self._model(nodes, inits, self.name + '_qdq')


CASES = []


def case(fn):
    CASES.append(fn)
    return fn


def conv_case(name, seed, shape, cout, k, fl=5, **attrs):
    c = Case(name, shape, seed)
    cin = shape[1] // attrs.get('group', 1)
    c.node('Conv', ['x', c.w('w', [cout, cin, *k]), c.b('b', cout, 'w', 'x')], 'conv', fl, kernel_shape=list(k), **attrs)
    return c


@case
def _():
    return [
        conv_case('conv_notset_pads', 1, [1, 3, 7, 7], 4, (3, 3), pads=[1, 0, 2, 1], strides=[2, 1]),
        conv_case('conv_same_upper', 2, [1, 3, 8, 7], 4, (3, 2), auto_pad='SAME_UPPER', strides=[2, 2]),
        conv_case('conv_same_lower', 3, [1, 3, 8, 7], 4, (3, 2), auto_pad='SAME_LOWER', strides=[2, 2]),
        # (onnxruntime refuses dilations with SAME_*; f8c's converter handles them like TensorFlow)
        conv_case('conv_same_lower_k2', 4, [1, 2, 5, 6], 3, (2, 2), auto_pad='SAME_LOWER'),
        conv_case('conv_valid', 5, [1, 3, 6, 7], 4, (2, 3), auto_pad='VALID', strides=[1, 2]),
        conv_case('conv_dilated_pads', 6, [1, 2, 7, 7], 3, (3, 3), pads=[2, 2, 2, 2], dilations=[2, 2]),
        conv_case('conv_groups', 7, [1, 4, 5, 5], 6, (3, 3), pads=[1, 1, 1, 1], group=2),
        conv_case('conv_depthwise', 8, [1, 4, 6, 6], 4, (3, 3), pads=[1, 1, 1, 1], strides=[2, 2], group=4),
        conv_case('conv_depthwise_mult2', 9, [1, 3, 5, 5], 6, (3, 3), pads=[0, 1, 1, 0], group=3),
    ]


@case
def _():
    # Per-channel weight FLs; a fused Relu (Conv -> Relu -> Q) and a fused Clip with arbitrary bounds.
    c = Case('conv_perchannel_relu', [1, 3, 6, 6], 10)
    c.w('w', [4, 3, 3, 3], per_channel=[6, 7, 8, 7])
    c.node('Conv', ['x', 'w', c.b('b', 4, 'w', 'x')], 'conv', pads=[1, 1, 1, 1])
    c.noq.add('conv')
    c.node('Relu', ['conv'], 'relu', (5, 'uint8'))
    d = Case('conv_clip_fused', [1, 3, 6, 6], 11)
    d.node('Conv', ['x', d.w('w', [4, 3, 3, 3]), d.b('b', 4, 'w', 'x')], 'conv', pads=[1, 1, 1, 1])
    d.noq.add('conv')
    d.node('Clip', ['conv', d.c('lo', np.float32(-0.7)), d.c('hi', np.float32(1.3))], 'clip', 4)
    return [c, d]


@case
def _():
    c = Case('conv_bn_relu', [1, 3, 6, 6], 12, qdq=False, per_channel=True,
             note='BatchNormalization folded into the Conv (scales 8x apart between channels: per-channel weight FLs)')
    c.node('Conv', ['x', c.w('w', [4, 3, 3, 3])], 'conv', pads=[1, 1, 1, 1])
    c.node('BatchNormalization', ['conv', c.c('g', np.float32([1.5, 0.5, 1, 2])), c.c('be', np.float32([0.1, -0.2, 0.3, 0])),
                                  c.c('mu', np.float32([0.1, 0, -0.1, 0.2])), c.c('var', np.float32([0.5, 1, 2, 0.25]))], 'bn', epsilon=1e-3)
    c.node('Relu', ['bn'], 'relu')
    return [c]


def pool_case(name, seed, op, shape, k, inp_fl=6, **attrs):
    c = Case(name, shape, seed)
    if op != 'GlobalAveragePool':
        attrs['kernel_shape'] = list(k)
    c.node(op, ['x'], 'pool', inp_fl if op == 'MaxPool' else 6, **attrs)
    return c


@case
def _():
    s = [1, 3, 7, 7]
    return [
        pool_case('maxpool_pads', 20, 'MaxPool', s, (3, 3), pads=[1, 1, 1, 1], strides=[2, 2]),
        pool_case('maxpool_asym', 21, 'MaxPool', s, (2, 3), pads=[0, 1, 1, 2], strides=[1, 2]),
        pool_case('maxpool_same_lower', 22, 'MaxPool', [1, 2, 6, 7], (2, 2), auto_pad='SAME_LOWER', strides=[2, 2]),
        pool_case('maxpool_ceil_same_size', 23, 'MaxPool', [1, 2, 7, 7], (3, 3), strides=[2, 2], ceil_mode=1),
        # ceil would add a window that starts in the trailing padding; ONNX drops it (as PyTorch)
        pool_case('maxpool_ceil_trailing_pad', 19, 'MaxPool', [1, 2, 6, 6], (3, 3), strides=[2, 2], pads=[0, 0, 2, 2], ceil_mode=1),
        pool_case('avgpool_pads_exclude', 24, 'AveragePool', s, (3, 3), pads=[1, 1, 1, 1], strides=[2, 2], count_include_pad=0),
        pool_case('avgpool_pads_include', 25, 'AveragePool', s, (3, 3), pads=[1, 1, 1, 1], strides=[2, 2], count_include_pad=1),
        pool_case('avgpool_asym_include', 26, 'AveragePool', [1, 2, 6, 5], (2, 3), pads=[1, 0, 0, 2], strides=[2, 1], count_include_pad=1),
        pool_case('avgpool_same_upper', 27, 'AveragePool', [1, 2, 6, 7], (2, 2), auto_pad='SAME_UPPER', strides=[2, 2]),
        pool_case('avgpool_2x2', 28, 'AveragePool', [1, 3, 6, 6], (2, 2), strides=[2, 2]),
        pool_case('global_avgpool', 29, 'GlobalAveragePool', [1, 3, 4, 4], (1, 1)),
    ]


@case
def _():
    # Flatten of a 2x2x4 map then Gemm (weights permuted NCHW -> NHWC order); alpha and beta powers of two.
    c = Case('flatten_gemm_transb1', [1, 3, 4, 4], 30)
    c.node('Conv', ['x', c.w('cw', [4, 3, 3, 3]), c.b('cb', 4, 'cw', 'x')], 'conv', 5, pads=[1, 1, 1, 1], strides=[2, 2])
    c.node('Flatten', ['conv'], 'flat', 5)
    c.node('Gemm', ['flat', c.w('fw', [5, 16]), c.b('fb', 5, 'fw', 'flat')], 'fc', 4, transB=1, alpha=0.5, beta=2.0)
    # Gemm transB 0 on a [1, K] input.
    d = Case('gemm_transb0', [1, 12], 31)
    d.node('Gemm', ['x', d.w('fw', [12, 5]), d.b('fb', 5, 'fw', 'x')], 'fc', 4)
    # Float-only: alpha/beta not powers of two (PTQ folds them).
    e = Case('gemm_alpha_beta', [1, 12], 32, qdq=False)
    e.node('Gemm', ['x', e.w('fw', [5, 12]), e.c('fb', np.float32([0.3, -0.2, 0.1, 0.5, -0.4]))], 'fc', transB=1, alpha=0.7, beta=1.3)
    # MatMul + Add (a Linear layer as exported), then Reshape [1, -1] keeps [1, N].
    f = Case('matmul_add', [1, 10], 33)
    f.node('MatMul', ['x', f.w('mw', [10, 6])], 'mm')
    f.noq.add('mm')
    f.node('Add', ['mm', f.b('mb', 6, 'mw', 'x')], 'add', 4)
    f.node('Reshape', ['add', f.c('shape', np.int64([1, -1]))], 'rs', 4)
    # Reshape [0, -1] of a conv output (a flatten), then MatMul+Add.
    g = Case('reshape_matmul', [1, 2, 4, 4], 34)
    g.node('Conv', ['x', g.w('cw', [3, 2, 3, 3]), g.b('cb', 3, 'cw', 'x')], 'conv', 5, pads=[1, 1, 1, 1], strides=[2, 2])
    g.node('Reshape', ['conv', g.c('shape', np.int64([0, -1]))], 'rs', 5)
    g.node('MatMul', ['rs', g.w('mw', [12, 4])], 'mm')
    g.noq.add('mm')
    g.node('Add', [g.b('mb', 4, 'mw', 'rs'), 'mm'], 'add', 4)
    return [c, d, e, f, g]


@case
def _():
    out = []
    for name, axis, shape in [('concat_channels', 1, [1, 2, 5, 5]), ('concat_height', 2, [1, 2, 5, 5]), ('concat_width_neg', -1, [1, 2, 5, 5])]:
        c = Case(name, shape, 40 + len(out))
        c.node('Conv', ['x', c.w('w1', [3, 2, 3, 3]), c.b('b1', 3, 'w1', 'x')], 'c1', 5, pads=[1, 1, 1, 1])
        c.node('Conv', ['x', c.w('w2', [3, 2, 1, 1]), c.b('b2', 3, 'w2', 'x')], 'c2', 4)
        c.node('Concat', ['c1', 'c2', 'x'] if axis == 1 else ['c1', 'c2'], 'cat', 4, axis=axis)
        c.node('Relu', ['cat'], 'relu', (4, 'uint8'))
        out.append(c)
    d = Case('concat_2d', [1, 6], 43)
    d.node('Gemm', ['x', d.w('w1', [4, 6]), d.b('b1', 4, 'w1', 'x')], 'g1', 5, transB=1)
    d.node('Concat', ['g1', 'x'], 'cat', 5, axis=1)
    out.append(d)
    return out


@case
def _():
    # Pad: NCHW pads order [n, c, h, w begins, n, c, h, w ends]; value representable at the output FL.
    c = Case('pad_constant', [1, 2, 4, 5], 50)
    c.node('Pad', ['x', c.c('pads', np.int64([0, 0, 1, 2, 0, 0, 2, 0])), c.c('v', np.float32(0.5))], 'pad', 6, mode='constant')
    c.node('Clip', ['pad', c.c('lo', np.float32(-0.3)), c.c('hi', np.float32(0.9))], 'clip', 5)
    d = Case('pad_channels', [1, 2, 3, 3], 51)
    d.node('Pad', ['x', d.c('pads', np.int64([0, 1, 0, 1, 0, 2, 1, 0]))], 'pad', 6)
    d.node('Conv', ['pad', d.w('w', [2, 5, 2, 2]), d.b('b', 2, 'w', 'pad')], 'conv', 5)
    e = Case('pad_opset10_attrs', [1, 2, 3, 3], 52, opset=10)
    e.node('Pad', ['x'], 'pad', 6, pads=[0, 0, 1, 1, 0, 0, 0, 2], value=-0.25)
    return [c, d, e]


@case
def _():
    c = Case('softmax_2d', [1, 8], 60, lo=-3, hi=3, tol=0.05)
    c.fl['x'] = (5, 'int8')
    c.node('Softmax', ['x'], 'sm', (8, 'uint8'), axis=1)
    d = Case('softmax_channels', [1, 5, 2, 3], 61, lo=-3, hi=3, tol=0.05)
    d.fl['x'] = (5, 'int8')
    d.node('Softmax', ['x'], 'sm', (8, 'uint8'), axis=1)
    e = Case('softmax_default_axis_1x1', [1, 6, 1, 1], 62, lo=-3, hi=3, tol=0.05, opset=11)
    e.fl['x'] = (5, 'int8')
    e.node('Softmax', ['x'], 'sm', (8, 'uint8'))
    return [c, d, e]


@case
def _():
    c = Case('clip_standalone', [1, 2, 4, 4], 70, lo=-2, hi=2)
    c.node('Concat', ['x', 'x'], 'cat', 5, axis=1)
    c.node('Clip', ['cat', c.c('lo', np.float32(-1.3)), c.c('hi', np.float32(0.45))], 'clip', 6)
    d = Case('clip_opset6_attrs', [1, 2, 4, 4], 71, lo=-2, hi=2, opset=6, qdq=False, note='QuantizeLinear needs opset 10')
    d.node('Clip', ['x'], 'clip', 5, min=-0.6, max=1.1)
    e = Case('relu6_add', [1, 2, 4, 4], 72, lo=-4, hi=4)
    e.fl['x'] = (5, 'int8')
    e.node('Conv', ['x', e.w('w', [2, 2, 1, 1]), e.b('b', 2, 'w', 'x')], 'conv', 5)
    e.node('Add', ['conv', 'x'], 'add')
    e.noq.add('add')
    e.node('Clip', ['add', e.c('lo', np.float32(0)), e.c('hi', np.float32(6))], 'relu6', (5, 'uint8'))
    return [c, d, e]


@case
def _():
    s = Case('sigmoid', [1, 3, 2, 2], 80, lo=-4, hi=4, tol=0.05, qdq=False, note='PocketNN piecewise-linear approximation')
    s.node('Sigmoid', ['x'], 'sig')
    t = Case('tanh', [1, 6], 81, lo=-2, hi=2, tol=0.1, qdq=False, note='PocketNN piecewise-linear approximation')
    t.node('Tanh', ['x'], 'tanh')
    return [s, t]


def main():
    os.makedirs(OUT, exist_ok=True)
    manifest = []
    for fn in CASES:
        for c in fn():
            onnx.save(c.float_model(), os.path.join(OUT, c.name + '.onnx'))
            entry = {'name': c.name, 'input': c.shape, 'range': [c.lo, c.hi], 'tol': c.tol, 'qdq': c.qdq}
            if c.per_channel:
                entry['per_channel'] = True
            if c.note:
                entry['note'] = c.note
            if c.qdq:
                onnx.save(c.qdq_model(), os.path.join(OUT, c.name + '_qdq.onnx'))
                entry['input_fl'] = c.fl['x'][0]
            manifest.append(entry)
    with open(os.path.join(OUT, 'manifest.json'), 'w') as f:
        json.dump(manifest, f, indent=1)
        f.write('\n')
    print(f'{len(manifest)} cases in {os.path.relpath(OUT)}')


if __name__ == '__main__':
    main()
