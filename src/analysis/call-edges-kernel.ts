import type { Profile } from '../model/profile.js';
import { WASM_BASE64 } from '../wasm/call-edges.wasm.js';
import { instantiate, prepare } from '../wasm/instantiate.js';
import type { CallEdges } from './call-edges.js';

// Compiled off the main thread once the run makes its first kernel (the decoder's).
prepare(WASM_BASE64);

interface Exports {
  readonly memory: WebAssembly.Memory;
  prepare(samples: number, values: number, stackFrames: number, frames: number): void;
  stackStart(): number;
  stackFramesIn(): number;
  values(): number;
  frameSite(): number;
  intoFrame(): number;
  inlined(): number;
  addInto(count: number, stride: number, typeIndex: number, frames: number, side: number): void;
  edgeCount(): number;
  callers(): number;
  callees(): number;
  weights(side: number): number;
  inlines(): number;
}

let enabled = true;

/** For tests: off makes edgesKernel() null, so a set's edges take CallEdges.addInto. */
export function setEdgesKernel(on: boolean): void {
  enabled = on;
}

/**
 * A set's call edges built by the WebAssembly kernel src/wasm/call-edges.as.ts, one profile at a
 * time, as CallEdges.addInto builds them (its oracle: the same ids, weights and flags), then
 * handed to a CallEdges once the set is complete. A fleet's `top` walks every sample of every
 * profile for these edges, and that walk, ~6-7 ms a 10k-sample profile in JavaScript on the main
 * thread, was what a fleet of them waited for. Each set has an instance (and memory) of its own.
 */
export class EdgesKernel {
  private constructor(private readonly k: Exports) {}

  /** A new table; null without WebAssembly (CallEdges.addInto then). */
  static make(): EdgesKernel | null {
    if (!enabled) return null;
    const k = instantiate(WASM_BASE64)?.exports as unknown as Exports | undefined;
    return k === undefined ? null : new EdgesKernel(k);
  }

  /** CallEdges.addInto's arguments, without `samples` (every sample). */
  addInto(profile: Profile, typeIndex: number, frameSite: Int32Array, intoFrame: Uint8Array, side: 0 | 1): void {
    const { k } = this;
    const { count, stackStart, stackFrames, values } = profile.samples;
    const stride = profile.sampleTypes.length;
    const frames = profile.frames.count;
    const stackEnd = count === 0 ? 0 : stackStart[count]!;
    k.prepare(count, count * stride, stackEnd, frames);
    const buffer = k.memory.buffer;
    new Uint32Array(buffer, k.stackStart(), count + 1).set(stackStart.subarray(0, count + 1));
    new Uint32Array(buffer, k.stackFramesIn(), stackEnd).set(stackFrames.subarray(0, stackEnd));
    new Float64Array(buffer, k.values(), count * stride).set(values.subarray(0, count * stride));
    new Int32Array(buffer, k.frameSite(), frames).set(frameSite.subarray(0, frames));
    new Uint8Array(buffer, k.intoFrame(), frames).set(intoFrame.subarray(0, frames));
    new Uint8Array(buffer, k.inlined(), frames).set(profile.frames.inlined.subarray(0, frames));
    k.addInto(count, stride, typeIndex, frames, side);
  }

  /** Hands the table to `edges`, which must be empty. */
  drainInto(edges: CallEdges): void {
    const { k } = this;
    const n = k.edgeCount();
    const buffer = k.memory.buffer;
    edges.adopt(
      new Int32Array(buffer, k.callers(), n),
      new Int32Array(buffer, k.callees(), n),
      [new Float64Array(buffer, k.weights(0), n), new Float64Array(buffer, k.weights(1), n)],
      new Uint8Array(buffer, k.inlines(), n),
    );
  }
}

