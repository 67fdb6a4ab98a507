/**
 * Reads a GNU ld link map: the bytes each input object contributes to the
 * image after --gc-sections, by section class. Used to split flash into
 * weights (.rodata of the model's objects) and code (.text).
 */

export interface ObjSizes {
  text: number;
  rodata: number;
  data: number;
  bss: number;
}

const zero = (): ObjSizes => ({ text: 0, rodata: 0, data: 0, bss: 0 });

function classOf(section: string): keyof ObjSizes | undefined {
  if (/^\.text/.test(section)) return 'text';
  if (/^\.rodata/.test(section)) return 'rodata';
  if (/^\.data/.test(section)) return 'data';
  if (/^\.bss/.test(section) || section === 'COMMON') return 'bss';
  return undefined;
}

/** Sizes per input object file (path as written in the map), kept sections only. */
export function objectSizes(map: string): Map<string, ObjSizes> {
  const out = new Map<string, ObjSizes>();
  const start = map.indexOf('Linker script and memory map');
  const lines = (start >= 0 ? map.slice(start) : map).split('\n');
  let pending: string | undefined;
  for (const line of lines) {
    const f = line.trim().split(/\s+/);
    let sec: string, size: string, file: string | undefined;
    if (/^\s/.test(line) && f.length === 1 && /^(\.|COMMON)/.test(f[0]!)) {
      pending = f[0];
      continue;
    }
    if (pending && f.length >= 3 && /^0x/.test(f[0]!) && /^0x/.test(f[1]!)) {
      [sec, size, file] = [pending, f[1]!, f[2]];
    } else if (/^\s/.test(line) && f.length >= 4 && /^(\.|COMMON)/.test(f[0]!) && /^0x/.test(f[1]!) && /^0x/.test(f[2]!)) {
      [sec, size, file] = [f[0]!, f[2]!, f[3]];
    } else {
      pending = undefined;
      continue;
    }
    pending = undefined;
    const cls = classOf(sec);
    if (!cls || !file) continue;
    const s = out.get(file) ?? zero();
    s[cls] += parseInt(size, 16);
    out.set(file, s);
  }
  return out;
}

/** Sum of the sizes of the objects `pick` selects. */
export function sumSizes(sizes: Map<string, ObjSizes>, pick: (file: string) => boolean): ObjSizes {
  const t = zero();
  for (const [file, s] of sizes) {
    if (!pick(file)) continue;
    t.text += s.text;
    t.rodata += s.rodata;
    t.data += s.data;
    t.bss += s.bss;
  }
  return t;
}
