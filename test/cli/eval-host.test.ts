import { cli } from './helpers.js';

const QDQ = 'examples/fashion/fashion_qdq.onnx';
const X = 'examples/fashion/test_500_x_u8.npy';
const Y = 'examples/fashion/test_500_y.npy';

test('eval --engine host (the generated C) gives the same top-1 as the interpreter', async () => {
  const interp = await cli('eval', QDQ, '-i', X, '-l', Y, '--limit', '200');
  const host = await cli('eval', QDQ, '-i', X, '-l', Y, '--limit', '200', '--engine', 'host');
  expect(interp.code).toBe(0);
  expect(host.code).toBe(0);
  const pct = (s: string) => /top-1 ([\d.]+%)/.exec(s)?.[1];
  expect(pct(host.out)).toBeDefined();
  expect(pct(host.out)).toBe(pct(interp.out));
});

test('eval --engine with an unknown engine is F8E072', async () => {
  const r = await cli('eval', QDQ, '-i', X, '-l', Y, '--engine', 'gpu');
  expect(r.code).toBe(1);
  expect(r.err).toMatch(/F8E072/);
});
