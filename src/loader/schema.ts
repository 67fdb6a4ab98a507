/**
 * The zod schema of model format v1 (docs/model-format.md). It checks the
 * shape of the JSON only; cross-field rules (qmin/qmax against the dtype,
 * per-channel FL length, data length, reserved quantisation kinds) are
 * checked by the loader, and graph structure by the validate pass.
 * schema/f8c-model.schema.json is generated from this file
 * (scripts/gen-schema.mjs) and must be kept in sync (a test checks it).
 */
import { z } from 'zod';
import { FL_MAX, FL_MIN, ROUNDINGS } from '../ir/types.js';

export const FORMAT_NAME = 'f8c-model';
export const FORMAT_VERSION = 1;

/**
 * Quantisation kinds whose names are reserved for later versions: a model
 * using one is well-formed but unsupported (F8E046).
 * lut4: 4-bit codes through an int8
 * table; adaptivfloat: per-tensor exponent-biased floats decoded by a table.
 */
export const RESERVED_QUANT_KINDS = ['lut4', 'adaptivfloat'] as const;

const name = z.string().min(1).max(256);
const fl = z.number().int().min(FL_MIN).max(FL_MAX);

export const fixedQuantSchema = z
  .object({
    kind: z.literal('fixed'),
    fl: z.union([fl, z.array(fl).min(1)]).describe('fractional length: value = q * 2^-fl; one per tensor, or one per slice along `axis`'),
    axis: z.number().int().min(0).optional().describe('axis of the per-channel fl (default 0)'),
    qmin: z.number().int().optional().describe("smallest integer value (default: the dtype's minimum)"),
    qmax: z.number().int().optional().describe("largest integer value (default: the dtype's maximum)"),
  })
  .strict();

const scale = z.number().positive().max(3.4028234663852886e38);
export const affineQuantSchema = z
  .object({
    kind: z.literal('affine'),
    scale: z.union([scale, z.array(scale).min(1)]).describe('value = scale * (q - zero_point); float32 values; one per tensor, or one per slice along `axis`'),
    zero_point: z.number().int().min(-32768).max(65535).default(0).describe('integer zero point (0 for weights and biases)'),
    axis: z.number().int().min(0).optional().describe('axis of the per-channel scale (default 0)'),
    qmin: z.number().int().optional().describe("smallest integer value (default: the dtype's minimum); a fused ReLU raises it"),
    qmax: z.number().int().optional().describe("largest integer value (default: the dtype's maximum); a fused ReLU6 lowers it"),
  })
  .strict();

const reservedQuant = RESERVED_QUANT_KINDS.map((k) => z.object({ kind: z.literal(k) }).loose().describe(`reserved; unsupported in v1`));

export const quantSchema = z.discriminatedUnion('kind', [fixedQuantSchema, affineQuantSchema, ...reservedQuant]);

export const dataSchema = z.union(
  [
    z.object({ base64: z.string().describe('little-endian elements, standard base64 with padding') }).strict(),
    z
      .object({
        offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).describe('byte offset into weights_file'),
        length: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).describe('byte length = numel * dtype bytes'),
      })
      .strict(),
  ],
  { error: 'data must be {"base64": string} or {"offset": integer >= 0, "length": integer >= 0}' },
);

export const DTYPES = ['int8', 'uint8', 'int16', 'int32'] as const;

export const tensorSchema = z
  .object({
    shape: z.array(z.number().int().min(1).max(2147483647)).max(8).describe('dimensions; activations start with the batch dimension 1'),
    dtype: z.enum(DTYPES),
    quant: quantSchema,
    data: dataSchema.optional().describe('constants only (weights, biases)'),
  })
  .strict();

export const layerSchema = z
  .object({
    name,
    op: z.string().min(1).describe('op kind, see the op reference'),
    inputs: z.array(name).describe('activations first, then constants, in the order of the op reference'),
    outputs: z.array(name),
    attrs: z.record(z.string(), z.unknown()).optional().describe("checked by the op's own attribute schema"),
    rounding: z.enum(ROUNDINGS as [string, ...string[]]).optional().describe('tie rule of every rescale of the layer (default half_even)'),
  })
  .strict();

export const modelSchema = z
  .object({
    format: z.literal(FORMAT_NAME),
    version: z.literal(FORMAT_VERSION),
    name,
    producer: z.string().max(1024).optional(),
    layout: z.enum(['nhwc', 'nchw']).optional().describe('source layout of the inputs (default nhwc)'),
    affine_rounding: z.enum(['double', 'single']).optional().describe('rounding of affine rescales: TFLite Micro default double rounding (default) or single rounding'),
    weights_file: z.string().min(1).max(4096).optional().describe('sidecar of constant data, relative to the JSON file'),
    inputs: z.array(name).min(1),
    outputs: z.array(name).min(1),
    tensors: z.record(name, tensorSchema),
    layers: z.array(layerSchema),
  })
  .strict()
  .describe('f8c model format v1 (docs/model-format.md)');

export type ModelJson = z.output<typeof modelSchema>;
export type TensorJson = z.output<typeof tensorSchema>;
export type LayerJson = z.output<typeof layerSchema>;
export type DataJson = z.output<typeof dataSchema>;

/** The JSON Schema of the format, as committed in schema/f8c-model.schema.json. */
export function modelJsonSchema(): string {
  const s = z.toJSONSchema(modelSchema, { target: 'draft-2020-12' }) as Record<string, unknown>;
  const out = { title: 'f8c model format v1', ...s };
  return JSON.stringify(out, null, 2) + '\n';
}
