/**
 * A static memory plan: every activation tensor and every layer's scratch
 * gets a fixed byte range of one arena. The interpreter and the generated C
 * use the same plan, so aliasing bugs show in both.
 */
export interface Region {
  offset: number;
  size: number;
}

export interface MemoryPlan {
  /** Bytes of the arena (a multiple of `align`). */
  arenaSize: number;
  /** Alignment of the arena base and of every region. */
  align: number;
  /** Activation tensors (model inputs and outputs included). */
  tensors: Map<string, Region>;
  /** Per-layer scratch, for layers that need any. */
  scratch: Map<string, Region>;
  /** Largest sum of live bytes at any step: no plan can be smaller. */
  lowerBound: number;
}
