/** Loading an `affine` quantisation object of model format v1 (docs/model-format.md). */
import type { AffineQuant } from '../ir/types.js';
import type { DiagCode } from '../diag/codes.js';

export interface AffineJson {
  kind: 'affine';
  scale: number | number[];
  zero_point: number;
  axis?: number;
  qmin?: number;
  qmax?: number;
}

export interface LoadIssue {
  code: DiagCode;
  message: string;
  sub: string;
  field: string;
}

/** Checks ranges and per-channel lengths; the scale values are kept exactly (they are float32 values). */
export function affineQuantFromJson(q: AffineJson, shape: number[], lo: number, hi: number): { quant: AffineQuant; errors: LoadIssue[] } {
  const errors: LoadIssue[] = [];
  const e = (code: DiagCode, message: string, key: string) => errors.push({ code, message, sub: `/quant/${key}`, field: `quant.${key}` });
  const qmin = q.qmin ?? lo;
  const qmax = q.qmax ?? hi;
  if (qmin < lo || qmin > hi) e('F8E041', `qmin ${qmin} is outside the dtype range [${lo}, ${hi}]`, 'qmin');
  if (qmax < lo || qmax > hi) e('F8E041', `qmax ${qmax} is outside the dtype range [${lo}, ${hi}]`, 'qmax');
  if (errors.length === 0 && qmin > qmax) e('F8E041', `qmin ${qmin} is greater than qmax ${qmax}`, 'qmin');
  if (q.zero_point < lo || q.zero_point > hi) e('F8E041', `zero point ${q.zero_point} is outside the dtype range [${lo}, ${hi}]`, 'zero_point');
  const scales = typeof q.scale === 'number' ? [q.scale] : q.scale;
  const bad = scales.findIndex((s) => Math.fround(s) !== s);
  if (bad >= 0) e('F8E041', `scale ${scales[bad]} is not a float32 value (affine scales are float32, as in TFLite)`, 'scale');
  if (Array.isArray(q.scale)) {
    const axis = q.axis ?? 0;
    if (axis >= shape.length) e('F8E047', `per-channel axis ${axis} does not exist in shape [${shape}]`, 'axis');
    else if (q.scale.length !== shape[axis]) e('F8E047', `${q.scale.length} per-channel scales for axis ${axis} of size ${shape[axis]}`, 'scale');
  } else if (q.axis !== undefined) e('F8E047', `"axis" is given but "scale" is a single number`, 'axis');
  const quant: AffineQuant = {
    kind: 'affine',
    scale: q.scale,
    zeroPoint: q.zero_point,
    ...(Array.isArray(q.scale) && q.axis !== undefined ? { axis: q.axis } : {}),
    qmin,
    qmax,
  };
  return { quant, errors };
}
