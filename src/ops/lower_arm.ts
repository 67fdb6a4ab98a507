/**
 * The 'arm' kernel variant of conv2d and dense (runtime-c/arm/): the same
 * functions and parameter structs as the portable lowering, built from other
 * sources and with a scratch buffer. conv2d with groups == 1 gets its weights
 * permuted into blocks of 4 output channels (armConvWeights, still one byte
 * per weight; where packedFits, the channel pairs packed for one SMLAD per
 * two channels (packWeights) and one layout byte after them) and a bias
 * table that holds the rounding constant of each channel's shift
 * (roundConst); other tables are the portable ones. The sizes here mirror the C
 * `_scratch_size` functions of runtime-c/arm/ (test/arm checks them):
 *
 *   conv2d, groups == 1:  max(4 * KH * KW * Cin, 2 * KH * KW * Cin + 4 * Cout)   (two im2col pixels of
 *                         int16, or Helium's bias table and two int8 pixels), or where bandFits the
 *                         larger of that and 4 * KH * (W + left + right) * Cin (a ring of KH padded
 *                         input rows as int16, two pixels per column)
 *   conv2d, depthwise:    max(m * P + 4 * (OH + 1) * (OW + 1), 96 * ceil(C / 8) + 4) rounded up to 4,
 *                         with P = max(2 * (Hp * Wp + max(Hp, Wp) + 4), 16 * (max(Hp, Wp) + 4)) rounded up to 4, Hp/Wp the
 *                         padded input, m = 4 where P <= 2048 else 1: the int16 plane of a channel
 *                         (possibly transposed or in pair columns; 4 channels' planes where small)
 *                         and the DSP output block of 4 channels, or the Helium requantisation table
 *   conv2d, other groups: 0
 *   dense:                2 * K rounded up to 4 (the input as int16)
 *
 * No size depends on the core (DSP, Helium or neither), so one output
 * builds for every Cortex-M and the memory plan is the same on all of them.
 */
import type { KernelCall } from './lowering.js';

export interface ConvShape {
  H: number;
  W: number;
  Cin: number;
  Cout: number;
  KH: number;
  KW: number;
  groups: number;
  top: number;
  left: number;
  bottom: number;
  right: number;
  outH: number;
  outW: number;
}

const up4 = (n: number): number => Math.ceil(n / 4) * 4;

export function isDepthwise(g: ConvShape): boolean {
  return g.groups > 1 && g.groups === g.Cin && g.Cout === g.Cin;
}

/** groups == 1 convolutions that run on the padded int16 band (band_fits of f8_conv2d_arm.c). */
export function bandFits(g: ConvShape): boolean {
  return g.groups === 1 && g.Cin % 4 === 0 && (g.KW * g.Cin) % 16 === 0 && g.KH <= 16;
}

export function conv2dArmScratch(g: ConvShape): number {
  if (g.groups === 1) {
    const col = Math.max(4 * g.KH * g.KW * g.Cin, 2 * g.KH * g.KW * g.Cin + 4 * g.Cout);
    const band = 4 * g.KH * (g.W + g.left + g.right) * g.Cin;
    return bandFits(g) ? Math.max(col, band) : col;
  }
  if (isDepthwise(g)) {
    const hp = g.H + g.top + g.bottom;
    const wp = g.W + g.left + g.right;
    const plane = up4(Math.max(2 * (hp * wp + Math.max(hp, wp) + 4), 16 * (Math.max(hp, wp) + 4)));
    return up4(Math.max((plane <= 2048 ? 4 : 1) * plane + 4 * (g.outH + 1) * (g.outW + 1), 96 * Math.ceil(g.Cin / 8) + 4));
  }
  return 0;
}

export function denseArmScratch(K: number): number {
  return up4(2 * K);
}

const CONV_ENGINES = ['f8_conv2d_arm.c', 'f8_conv2d_pk.c', 'f8_conv2d_mve.c', 'f8_dwconv_arm.c'];

const ARM_SOURCES: Record<string, string[]> = {
  'f8_conv2d.c': CONV_ENGINES,
  'f8_dense.c': ['f8_dense_arm.c'],
  // affine conv2d and dense run on the same engines (f8_tfl_mac_arm.c)
  'f8_tfl_mac.c': ['f8_tfl_mac_arm.c', ...CONV_ENGINES, 'f8_dense_arm.c'],
};

/** Index of (channel r, tap k) in a 4-channel block of K taps (mirrors blk_at of f8_conv2d_arm.c). */
export function blockAt(r: number, k: number, K: number): number {
  const K16 = K & ~15;
  const k4 = (K - K16) & ~3;
  const j = k & 3;
  const off = (j & 1) * 4 + (j >> 1) * 2 + (r & 1);
  if (k < K16) return (k >> 4) * 64 + (r >> 1) * 32 + ((k >> 2) & 3) * 8 + off;
  const u = k - K16;
  if (u < k4) return K16 * 4 + (u >> 2) * 16 + (r >> 1) * 8 + off;
  return K16 * 4 + k4 * 4 + (u - k4) * 4 + r;
}

/**
 * groups == 1 weights [Cout, K] for the arm kernels: blocks of 4 output
 * channels in the order the SMLAD loop reads them (see f8_conv2d_arm.c), the
 * Cout % 4 last channels as plain rows. A permutation: one byte per weight.
 */
export function armConvWeights(w: ArrayLike<number>, Cout: number, K: number): number[] {
  const out = new Array<number>(Cout * K);
  const nb = Cout >> 2;
  for (let b = 0; b < nb; b++) {
    for (let r = 0; r < 4; r++) for (let k = 0; k < K; k++) out[b * 4 * K + blockAt(r, k, K)] = w[(4 * b + r) * K + k]!;
  }
  for (let i = nb * 4 * K; i < Cout * K; i++) out[i] = w[i]!;
  return out;
}

/**
 * groups == 1 convolutions whose weight table may be packed (mirrors
 * f8a_pk_fits of runtime-c/arm/f8_arm.h, less the layout byte): the band
 * shapes with dilation 1, at least one block of 4 channels and K <= 2048
 * (the kernel splits K into passes that keep S_b exact). Such a table has
 * one byte more, the layout: 1 packed, 0 the plain block layout (then the
 * kernels take the im2col path).
 */
export function packedFits(g: ConvShape, dilations: [number, number]): boolean {
  const K = g.KH * g.KW * g.Cin;
  return bandFits(g) && dilations[0] === 1 && dilations[1] === 1 && g.Cout >= 4 && K <= 2048;
}

/**
 * The packed form of block-laid-out weights (armConvWeights' output): in each
 * channel pair (a, b) of a block (channels 4i, 4i + 1 and 4i + 2, 4i + 3)
 * b's byte at tap t becomes b(t) - [a(t) < 0], so the two bytes read as a
 * little-endian int16 are a(t) + 256 b(t) (f8_conv2d_pk.c). null when some
 * b(t) is -128 with a(t) < 0 (not an int8 then).
 */
export function packWeights(w: ArrayLike<number>, blocked: number[], Cout: number, K: number): number[] | null {
  const out = blocked.slice();
  for (let blk = 0; blk < Cout >> 2; blk++) {
    for (let r = 1; r < 4; r += 2) {
      for (let k = 0; k < K; k++) {
        const a = w[(4 * blk + r - 1) * K + k]!;
        const b = w[(4 * blk + r) * K + k]! - (a < 0 ? 1 : 0);
        if (b < -128) return null;
        out[blk * 4 * K + blockAt(r, k, K)] = b;
      }
    }
  }
  return out;
}

/** The rounding constant the arm kernels fold into the bias (round_const of f8_conv2d_arm.c). */
export function roundConst(n: number, rounding: string): number {
  if (n <= 0) return 0;
  return 2 ** (n - 1) - (rounding === 'F8_ROUND_HALF_EVEN' ? 1 : 0);
}

const wrap32 = (v: number): number => Number(BigInt.asIntN(32, BigInt(v)));

/**
 * groups == 1 conv2d in the arm variant: the weight table re-laid out
 * (armConvWeights) and the bias table always present, holding
 * bias[c] + roundConst(n[c]) modulo 2^32 (the kernel takes it off again
 * where the folded form cannot be used, so the bytes are the portable ones).
 */
function intParam(call: KernelCall, name: string): number {
  const v = call.params.find((f) => f.name === name)!.value;
  if (v.kind !== 'int') throw new Error(`internal: ${call.paramsType} field ${name} is not an int`);
  return v.value;
}

/**
 * The weight table of a conv2d call (shift-only or affine) permuted for the
 * arm kernels: groups == 1 blocks of 4 output channels, depthwise blocks of
 * 8 channels, other groups unchanged.
 */
function armConvWeightTables(call: KernelCall): KernelCall {
  const iv = (name: string) => intParam(call, name);
  const relaid = (values: ArrayLike<number>): { values: number[]; what: string } | undefined => {
    if (iv('groups') === 1) {
      const Cout = iv('out_c');
      const K = iv('kernel_h') * iv('kernel_w') * iv('in_c');
      const blocked = armConvWeights(values, Cout, K);
      const what = 'blocks of 4 output channels (f8_conv2d_arm.c)';
      const shape: ConvShape = {
        H: iv('in_h'), W: iv('in_w'), Cin: iv('in_c'), Cout, KH: iv('kernel_h'), KW: iv('kernel_w'), groups: 1,
        top: iv('pad_top'), left: iv('pad_left'), bottom: iv('pad_bottom'), right: iv('pad_right'), outH: iv('out_h'), outW: iv('out_w'),
      };
      if (!packedFits(shape, [iv('dilation_h'), iv('dilation_w')])) return { values: blocked, what };
      const packed = packWeights(values, blocked, Cout, K);
      return packed
        ? { values: [...packed, 1], what: `${what}, channel pairs packed (f8_conv2d_pk.c), then the layout byte 1` }
        : { values: [...blocked, 0], what: `${what}, then the layout byte 0 (not packed)` };
    }
    if (iv('groups') !== iv('in_c') || iv('out_c') !== iv('in_c')) return undefined;
    return { values: armDwWeights(values, iv('in_c'), iv('kernel_h') * iv('kernel_w')), what: 'blocks of 8 channels, tap-major (f8_dwconv_arm.c)' };
  };
  const tables = call.tables.map((t) => {
    const r = t.suffix === 'weight' ? relaid(t.values) : undefined;
    return r ? { ...t, values: r.values, comment: `${t.comment ?? ''}, re-laid out for the arm kernels: ${r.what}` } : t;
  });
  return { ...call, tables };
}

function armConvTables(call: KernelCall): KernelCall {
  const pv = (name: string) => call.params.find((f) => f.name === name)!.value;
  const iv = (name: string) => intParam(call, name);
  if (iv('groups') !== 1) return armConvWeightTables(call);
  const Cout = iv('out_c');
  const rv = pv('rounding');
  const rounding = rv.kind === 'enum' ? rv.name : 'F8_ROUND_HALF_EVEN';
  const shiftsT = call.tables.find((t) => t.suffix === 'shifts');
  const n = (c: number) => (shiftsT ? shiftsT.values[c]! : iv('shift'));
  const biasT = call.tables.find((t) => t.suffix === 'bias');
  const tables = armConvWeightTables(call).tables;
  const folded = Array.from({ length: Cout }, (_, c) => wrap32((biasT ? biasT.values[c]! : 0) + roundConst(n(c), rounding)));
  const comment = `${biasT?.comment ?? 'no bias'}, plus the rounding constant of each channel's shift (arm kernels)`;
  const bias = { suffix: 'bias', ctype: 'int32_t' as const, values: folded, align: 4, comment };
  const params = call.params.map((f) => (f.name === 'bias' ? { name: 'bias', value: { kind: 'table' as const, suffix: 'bias' } } : f));
  return { ...call, params, tables: biasT ? tables.map((t) => (t.suffix === 'bias' ? bias : t)) : [...tables, bias] };
}

/** Index of (channel c, tap t) in the arm depthwise weights (mirrors dw_at of f8_dwconv_arm.c). */
export function dwAt(c: number, t: number, C: number, KK: number): number {
  const full = C >> 3;
  if (c >> 3 < full) return (c >> 3) * 8 * KK + t * 8 + (c & 7);
  return full * 8 * KK + t * (C & 7) + (c & 7);
}

/**
 * Depthwise weights [C, KH, KW, 1] for the arm kernels: blocks of 8 channels,
 * in a block tap by tap with the 8 channels' weights of a tap together; the
 * C % 8 last channels the same way with C % 8 per tap. A permutation.
 */
export function armDwWeights(w: ArrayLike<number>, C: number, KK: number): number[] {
  const out = new Array<number>(C * KK);
  for (let c = 0; c < C; c++) for (let t = 0; t < KK; t++) out[dwAt(c, t, C, KK)] = w[c * KK + t]!;
  return out;
}

/**
 * Dense weights [N, K] for the arm kernels (mirrors f8_dense_arm.c): rows in
 * blocks of 4, then a block of 2 and a block of 1 for N % 4; in a block of nr
 * rows at row r0 (offset r0 * K), chunks of 16 taps of nr * 16 bytes (row r's
 * 16 taps at r * 16), then the K % 16 last taps as nr plain rows. A permutation.
 */
export function armDenseWeights(w: ArrayLike<number>, N: number, K: number): number[] {
  const out = new Array<number>(N * K);
  const K16 = K & ~15;
  let r0 = 0;
  while (r0 < N) {
    const nr = N - r0 >= 4 ? 4 : N - r0 >= 2 ? 2 : 1;
    const base = r0 * K;
    for (let r = 0; r < nr; r++) {
      for (let k = 0; k < K; k++) {
        const at = k < K16 ? (k >> 4) * 16 * nr + r * 16 + (k & 15) : K16 * nr + r * (K - K16) + (k - K16);
        out[base + at] = w[(r0 + r) * K + k]!;
      }
    }
    r0 += nr;
  }
  return out;
}

function armDenseTables(call: KernelCall): KernelCall {
  const iv = (name: string) => intParam(call, name);
  const N = iv('out_features');
  const K = iv('in_features');
  const tables = call.tables.map((t) =>
    t.suffix !== 'weight' ? t : { ...t, values: armDenseWeights(t.values, N, K), comment: `${t.comment ?? ''}, re-laid out for the arm kernels: blocks of 4 rows in chunks of 16 taps (f8_dense_arm.c)` },
  );
  return { ...call, tables };
}

/**
 * The tables of each call kind in the arm variant. Affine (f8_tfl_*) calls
 * get the same weight permutations; their folded bias, multipliers and
 * shifts stay the portable tables (f8_tfl_mac_arm.c adds no rounding constant).
 */
const ARM_TABLES: Record<string, (call: KernelCall) => KernelCall> = {
  f8_conv2d_params: armConvTables,
  f8_dense_params: armDenseTables,
  f8_tfl_conv2d_params: armConvWeightTables,
  f8_tfl_dense_params: armDenseTables,
};

/** A portable call turned into the arm variant's: other sources and tables, `scratchBytes` bytes of scratch. */
export function armCall(call: KernelCall, scratchBytes: number): KernelCall {
  const sources = call.sources.flatMap((s) => ARM_SOURCES[s] ?? [s]);
  const c = ARM_TABLES[call.paramsType]?.(call) ?? call;
  return { ...c, sources, scratchBytes };
}
