import type { FrameTable } from '../model/profile.js';

/** Interns frames while a decoder runs, then freezes them into the compact frame table (strings: base/interner). */
export class FrameInterner {
  private readonly index = new Map<string, number>();
  private name: number[] = [];
  private file: number[] = [];
  private line: number[] = [];
  private startLine: number[] = [];
  private inlined: number[] = [];

  /** Arguments are interned string ids; equal frames share one id. `inlined`: see FrameTable. */
  intern(nameId: number, fileId: number, line: number, startLine: number, inlined = 0): number {
    const key = `${nameId}:${fileId}:${line}:${startLine}:${inlined}`;
    let id = this.index.get(key);
    if (id === undefined) {
      id = this.name.length;
      this.name.push(nameId);
      this.file.push(fileId);
      this.line.push(line);
      this.startLine.push(startLine);
      this.inlined.push(inlined);
      this.index.set(key, id);
    }
    return id;
  }

  finish(): FrameTable {
    return {
      count: this.name.length,
      name: Int32Array.from(this.name),
      file: Int32Array.from(this.file),
      line: Int32Array.from(this.line),
      startLine: Int32Array.from(this.startLine),
      inlined: Uint8Array.from(this.inlined),
    };
  }
}

/** pprof names an unsymbolized location by its binary and address. */
export function unsymbolizedName(mappingFile: string, address: number | bigint): string {
  const base = mappingFile.split('/').pop() || 'unknown';
  return `[${base}] 0x${address.toString(16)}`;
}

export function baseName(path: string): string {
  return path.split('/').pop() ?? '';
}

export interface MappingInfo {
  readonly file: string;
  readonly buildId: string;
  readonly start: number;
  readonly limit: number;
  readonly offset: number;
}

/**
 * An unsymbolized address's identity across processes: pprof's merge keys a mapping by
 * (size, offset, build id or else file) and a location by its address minus the mapping's start.
 */
export function unsymbolizedKey(m: MappingInfo, address: number): string {
  return `${m.buildId || m.file}\0${m.limit - m.start}\0${m.offset}\0${address - m.start}`;
}
