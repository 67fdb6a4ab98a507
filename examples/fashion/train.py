#!/usr/bin/python3
"""Trains the small Fashion-MNIST CNN of examples/fashion and exports it twice:

  fashion_float.onnx  the float model, BatchNormalization nodes kept (f8c import
                      folds them and calibrates F8Net formats);
  fashion_qdq.onnx    BN folded, weights int8 and activations int8/uint8 with
                      power-of-two scales and zero points 0 (Q/DQ pairs), as an
                      F8Net-style quantisation-aware export would be: f8c
                      imports it exactly.

It also writes the first 500 test images and labels as uint8 .npy files
(test_500_x_u8.npy, test_500_y.npy; Fashion-MNIST is MIT-licensed) for CI.

Needs Debian's python3-torch, python3-onnx and dataset-fashion-mnist:
    /usr/bin/python3 examples/fashion/train.py [--epochs 6]
Deterministic: fixed seeds, 2 threads. A few minutes on 2 cores.
Inputs are x = pixel / 255 as float32, NCHW [N, 1, 28, 28].
"""
import argparse, gzip, math, os
import numpy as np
import torch
import torch.nn as nn
import onnx
from onnx import helper, numpy_helper, TensorProto

DATA = '/usr/share/datasets/fashion-mnist'
HERE = os.path.dirname(os.path.abspath(__file__))


def idx(name):
    with gzip.open(os.path.join(DATA, name), 'rb') as f:
        buf = f.read()
    ndim = buf[3]
    dims = [int.from_bytes(buf[4 + 4 * i:8 + 4 * i], 'big') for i in range(ndim)]
    return np.frombuffer(buf, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def cbr(cin, cout, k=3, stride=1, groups=1, act=nn.ReLU):
    return nn.Sequential(nn.Conv2d(cin, cout, k, stride, k // 2, groups=groups, bias=False), nn.BatchNorm2d(cout), act())


class Net(nn.Module):
    """28x28x1 -> conv 16 -> maxpool -> conv 32 -> maxpool -> residual block
    (depthwise 3x3 + BN + ReLU6, pointwise 1x1 + BN, add, ReLU) -> conv 64
    stride 2 -> global average pool (4x4) -> linear 10."""

    def __init__(self):
        super().__init__()
        self.c1 = cbr(1, 16)
        self.p1 = nn.MaxPool2d(2)
        self.c2 = cbr(16, 32)
        self.p2 = nn.MaxPool2d(2)
        self.dw = cbr(32, 32, groups=32, act=nn.ReLU6)
        self.pw = nn.Sequential(nn.Conv2d(32, 32, 1, bias=False), nn.BatchNorm2d(32))
        self.relu = nn.ReLU()
        self.c3 = cbr(32, 64, stride=2)
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(64, 10)

    def forward(self, x):
        x = self.p1(self.c1(x))
        x = self.p2(self.c2(x))
        x = self.relu(x + self.pw(self.dw(x)))
        x = self.gap(self.c3(x))
        return self.fc(torch.flatten(x, 1))


def top1(model, x, y):
    with torch.no_grad():
        return float((torch.cat([model(x[i:i + 1000]) for i in range(0, len(x), 1000)]).argmax(1) == y).float().mean())


# ---------- QDQ export with power-of-two scales ----------

def fold(conv, bn):
    w = conv.weight.detach().double()
    b = conv.bias.detach().double() if conv.bias is not None else torch.zeros(w.shape[0], dtype=torch.float64)
    if bn is None:
        return w, b
    s = bn.weight.detach().double() / torch.sqrt(bn.running_var.double() + bn.eps)
    return w * s.view(-1, 1, 1, 1), (b - bn.running_mean.double()) * s + bn.bias.detach().double()


def fl_of(std, signed):
    c = 40.0 if signed else 70.0
    return int(math.floor(math.log2(c / max(std, 1e-12))))


def export_qdq(model, calib, path):
    """Folds BN, picks F8Net formats (weights from std, activations from
    calibration std), writes Conv/Gemm on DequantizeLinear'd int8 weights and
    int32 biases, with QuantizeLinear/DequantizeLinear after every activation."""
    m = model
    layers = {
        'c1': fold(m.c1[0], m.c1[1]), 'c2': fold(m.c2[0], m.c2[1]), 'dw': fold(m.dw[0], m.dw[1]),
        'pw': fold(m.pw[0], m.pw[1]), 'c3': fold(m.c3[0], m.c3[1]),
    }
    fcw, fcb = m.fc.weight.detach().double(), m.fc.bias.detach().double()
    with torch.no_grad():
        x = calib.double()
        c1 = torch.relu(nn.functional.conv2d(x, *layers['c1'], padding=1))
        p1 = nn.functional.max_pool2d(c1, 2)
        c2 = torch.relu(nn.functional.conv2d(p1, *layers['c2'], padding=1))
        p2 = nn.functional.max_pool2d(c2, 2)
        dw = torch.clamp(nn.functional.conv2d(p2, *layers['dw'], padding=1, groups=32), 0, 6)
        pw = nn.functional.conv2d(dw, *layers['pw'])
        add = torch.relu(p2 + pw)
        c3 = torch.relu(nn.functional.conv2d(add, *layers['c3'], stride=2, padding=1))
        gap = c3.mean((2, 3))
        fc = gap @ fcw.T + fcb
    fl = {'x': 8, 'c1': fl_of(c1.std(), False), 'c2': fl_of(c2.std(), False), 'dw': min(fl_of(dw.std(), False), 5),
          'pw': fl_of(pw.std(), True), 'add': fl_of(add.std(), False), 'c3': fl_of(c3.std(), False),
          'gap': fl_of(gap.std(), False), 'fc': fl_of(fc.std(), True)}
    nodes, inits = [], []

    def const(name, arr, dtype):
        inits.append(numpy_helper.from_array(np.asarray(arr, dtype=dtype), name))
        return name

    def scale(f):
        return const(f's_{f}', np.float32(2.0 ** -f), np.float32) if f's_{f}' not in [i.name for i in inits] else f's_{f}'

    def qdq(src, name, f, unsigned):
        zp = const(f'{name}_zp', np.uint8(0) if unsigned else np.int8(0), np.uint8 if unsigned else np.int8)
        nodes.append(helper.make_node('QuantizeLinear', [src, scale(f), zp], [name + '_q'], name=name + '_quant'))
        nodes.append(helper.make_node('DequantizeLinear', [name + '_q', scale(f), zp], [name + '_dq'], name=name + '_dequant'))
        return name + '_dq'

    def weights(name, w, b, flx):
        w = w.numpy()
        flw = fl_of(w.std(), True)
        wq = np.clip(np.round(w * 2.0 ** flw), -127, 127).astype(np.int8)
        bq = np.clip(np.round(b.numpy() * 2.0 ** (flx + flw)), -2 ** 31 + 1, 2 ** 31 - 1).astype(np.int32)
        wz, bz = const(f'{name}_wzp', np.int8(0), np.int8), const(f'{name}_bzp', np.int32(0), np.int32)
        const(f'{name}_w', wq, np.int8)
        const(f'{name}_b', bq, np.int32)
        nodes.append(helper.make_node('DequantizeLinear', [f'{name}_w', scale(flw), wz], [f'{name}_wf'], name=f'{name}_wdq'))
        nodes.append(helper.make_node('DequantizeLinear', [f'{name}_b', scale(flx + flw), bz], [f'{name}_bf'], name=f'{name}_bdq'))
        return [f'{name}_wf', f'{name}_bf']

    def conv(src, name, flx, act, **kw):
        w, b = layers[name]
        nodes.append(helper.make_node('Conv', [src] + weights(name, w, b, flx), [name + '_y'], name=name, **kw))
        if act == 'relu':
            nodes.append(helper.make_node('Relu', [name + '_y'], [name + '_r'], name=name + '_relu'))
        elif act == 'relu6':
            nodes.append(helper.make_node('Clip', [name + '_y', const('zero', np.float32(0), np.float32), const('six', np.float32(6), np.float32)], [name + '_r'], name=name + '_relu6'))
        return qdq(name + ('_r' if act else '_y'), name, fl[name], act is not None)

    a = qdq('x', 'x', 8, True)
    a = conv(a, 'c1', fl['x'], 'relu', kernel_shape=[3, 3], pads=[1, 1, 1, 1])
    nodes.append(helper.make_node('MaxPool', [a], ['p1'], name='p1', kernel_shape=[2, 2], strides=[2, 2]))
    a = qdq('p1', 'p1', fl['c1'], True)
    a = conv(a, 'c2', fl['c1'], 'relu', kernel_shape=[3, 3], pads=[1, 1, 1, 1])
    nodes.append(helper.make_node('MaxPool', [a], ['p2'], name='p2', kernel_shape=[2, 2], strides=[2, 2]))
    blk = qdq('p2', 'p2', fl['c2'], True)
    a = conv(blk, 'dw', fl['c2'], 'relu6', kernel_shape=[3, 3], pads=[1, 1, 1, 1], group=32)
    a = conv(a, 'pw', fl['dw'], None, kernel_shape=[1, 1])
    nodes.append(helper.make_node('Add', [blk, a], ['add_y'], name='add'))
    nodes.append(helper.make_node('Relu', ['add_y'], ['add_r'], name='add_relu'))
    a = qdq('add_r', 'add', fl['add'], True)
    a = conv(a, 'c3', fl['add'], 'relu', kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[2, 2])
    nodes.append(helper.make_node('GlobalAveragePool', [a], ['gap_y'], name='gap'))
    a = qdq('gap_y', 'gap', fl['gap'], True)
    nodes.append(helper.make_node('Flatten', [a], ['flat'], name='flatten', axis=1))
    nodes.append(helper.make_node('Gemm', ['flat'] + weights('fc', fcw, fcb, fl['gap']), ['fc_y'], name='fc', transB=1))
    out = qdq('fc_y', 'logits', fl['fc'], False)
    nodes.append(helper.make_node('Identity', [out], ['logits'], name='out'))
    g = helper.make_graph(nodes, 'fashion_qdq', [helper.make_tensor_value_info('x', TensorProto.FLOAT, [1, 1, 28, 28])],
                          [helper.make_tensor_value_info('logits', TensorProto.FLOAT, [1, 10])], inits)
    mp = helper.make_model(g, opset_imports=[helper.make_opsetid('', 13)], producer_name='examples/fashion/train.py')
    mp.ir_version = 8
    onnx.checker.check_model(mp)
    onnx.save(mp, path)
    return fl


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--epochs', type=int, default=6)
    args = ap.parse_args()
    torch.manual_seed(0)
    np.random.seed(0)
    torch.set_num_threads(2)
    xtr = torch.from_numpy(idx('train-images-idx3-ubyte.gz').astype(np.float32) / 255).unsqueeze(1)
    ytr = torch.from_numpy(idx('train-labels-idx1-ubyte.gz').astype(np.int64))
    xte_u8 = idx('t10k-images-idx3-ubyte.gz')
    yte_u8 = idx('t10k-labels-idx1-ubyte.gz')
    xte = torch.from_numpy(xte_u8.astype(np.float32) / 255).unsqueeze(1)
    yte = torch.from_numpy(yte_u8.astype(np.int64))
    model = Net()
    opt = torch.optim.Adam(model.parameters(), 2e-3)
    steps = args.epochs * (len(xtr) // 128)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, 4e-3, total_steps=steps)
    g = torch.Generator().manual_seed(0)
    for ep in range(args.epochs):
        model.train()
        perm = torch.randperm(len(xtr), generator=g)
        for i in range(0, len(xtr) - 127, 128):
            j = perm[i:i + 128]
            loss = nn.functional.cross_entropy(model(xtr[j]), ytr[j])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
        model.eval()
        print(f'epoch {ep + 1}: loss {loss.item():.3f}, test top-1 {top1(model, xte, yte):.4f}', flush=True)
    model.eval()
    acc = top1(model, xte, yte)
    torch.onnx.export(model, xte[:1], os.path.join(HERE, 'fashion_float.onnx'), input_names=['x'], output_names=['logits'],
                      opset_version=13, training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=False)
    fl = export_qdq(model, xtr[:2000], os.path.join(HERE, 'fashion_qdq.onnx'))
    np.save(os.path.join(HERE, 'test_500_x_u8.npy'), xte_u8[:500].reshape(500, 1, 28, 28))
    np.save(os.path.join(HERE, 'test_500_y.npy'), yte_u8[:500].astype(np.uint8))
    print(f'float model: test top-1 {acc:.4f} (10,000 images); QDQ formats {fl}')


if __name__ == '__main__':
    main()
