import type { Profile } from '../model/profile.js';

/** Where a report row's values were allocated: a function, a line of it, or a file. */
export interface SiteKey {
  /** Function name; at `files`, the file, or `[binary]`/`<unknown>` for frames without one (noFileLabel). */
  readonly name: string;
  /** Source file; '' for `functions` rows or when unknown. */
  readonly file: string;
  /** Source line for `lines` rows, else 0. */
  readonly line: number;
}

/**
 * pprof's printable name for a site, the one rule every report, renderer and regex match uses:
 * `fn file:line` for a line (`lines` granularity), else the function name, else the file. At
 * `files` granularity the name is the file already, or `[binary]`/`<unknown>` for frames without
 * one (noFileLabel), so the row reads as pprof -files prints it.
 */
export function siteLabel(site: SiteKey): string {
  if (site.file !== '' && site.line > 0) return `${site.name} ${site.file}:${site.line}`;
  return site.name || site.file;
}

/** How frames are grouped into report rows. */
export type Granularity = 'functions' | 'lines' | 'files';
export const GRANULARITIES: readonly Granularity[] = ['functions', 'lines', 'files'];

/**
 * Sites shared by every profile of one report. Keys are symbolic (function, file, line), never
 * addresses, so profiles from two processes or two builds line up.
 */
export class SiteTable {
  readonly granularity: Granularity;
  readonly names: string[] = [];
  readonly files: string[] = [];
  readonly lines: number[] = [];
  /** The function's start line, where the producer recorded one (for `list`). */
  readonly startLines: number[] = [];
  /** Each site's function identity: its name, or an unsymbolized frame's place in its binary. */
  private readonly identities: string[] = [];
  private readonly ids = new Map<string, number>();
  /** Each profile's frame → site map, made once: aggregation, inline marks and hints all ask. */
  private readonly byProfile = new WeakMap<Profile, Int32Array>();

  constructor(granularity: Granularity) {
    this.granularity = granularity;
  }

  get size(): number {
    return this.names.length;
  }

  /**
   * The id of a site known by name, file and line (a store's rows), added when new; `identity`
   * as identityOf gave it when the row was stored (the name, unless the frame is unsymbolized).
   */
  siteOf(name: string, file: string, line: number, identity: string = name): number {
    return this.intern(name, identity, file, line, '');
  }

  /** What keys the site's function across profiles: identity and name differ for unsymbolized frames. */
  identityOf(site: number): string {
    return this.identities[site]!;
  }

  /** Maps every frame of `profile` to its site id; computed once per profile, not per sample. */
  siteOfFrames(profile: Profile): Int32Array {
    let out = this.byProfile.get(profile);
    if (out === undefined) {
      out = this.mapFrames(profile);
      this.byProfile.set(profile, out);
    }
    return out;
  }

  private mapFrames(profile: Profile): Int32Array {
    const { frames, strings, unsymbolized } = profile;
    const out = new Int32Array(frames.count);
    // By function, a site depends on the name alone: look each name up once, not once per frame.
    const byName = this.granularity === 'functions' ? new Int32Array(strings.length).fill(-1) : null;
    const noFile = noFileLabel(profile);
    // The start line is checked for every frame, new site or not, and interning takes one path
    // whether the site is new (the first profile) or known (the second): this loop runs once per
    // profile, and a branch first taken late discards its compiled code.
    for (let f = 0; f < frames.count; f++) {
      const startLine = frames.startLine[f]!;
      const nameId = frames.name[f]!;
      let site = byName === null ? -1 : byName[nameId]!;
      if (site < 0) {
        // An unsymbolized frame is keyed by its place in the binary, not by its absolute address.
        const identity = unsymbolized?.get(nameId);
        const name = strings[nameId]!;
        site = this.intern(name, identity === undefined ? name : `\u0001${identity}`, strings[frames.file[f]!]!, frames.line[f]!, noFile);
        if (byName !== null) byName[nameId] = site;
      }
      // The first start line a frame of the site records (for `list`).
      if (startLine !== 0 && this.startLines[site] === 0) this.startLines[site] = startLine;
      out[f] = site;
    }
    return out;
  }

  /** `identity` keys the frame's function: its name, or an unsymbolized frame's place in its binary. */
  private intern(name: string, identity: string, file: string, line: number, noFile: string): number {
    let key: string;
    if (this.granularity === 'functions') {
      key = identity;
      file = '';
      line = 0;
    } else if (this.granularity === 'files') {
      // Frames without a file are one row, as pprof's -files shows them (see noFileLabel).
      name = file === '' ? noFile : file;
      key = file === '' ? `\0${noFile}` : file;
      line = 0;
    } else {
      key = `${identity}\0${file}\0${line}`;
    }
    const id = this.ids.get(key);
    return id === undefined ? this.add(key, name, file, line, this.granularity === 'files' ? name : identity) : id;
  }

  private add(key: string, name: string, file: string, line: number, identity: string): number {
    const id = this.names.length;
    this.ids.set(key, id);
    this.names.push(name);
    this.files.push(file);
    this.lines.push(line);
    this.startLines.push(0);
    this.identities.push(identity);
    return id;
  }

  /** The id of the site with these fields (as a report row carries them), or -1. One scan: call it rarely. */
  idOf(name: string, file: string, line: number): number {
    for (let s = 0; s < this.names.length; s++) {
      if (this.names[s] === name && this.files[s] === file && this.lines[s] === line) return s;
    }
    return -1;
  }

  /** The site's printable name, by siteLabel's rule. */
  label(site: number): string {
    return siteLabel({ name: this.names[site]!, file: this.files[site]!, line: this.lines[site]! });
  }
}

/**
 * The `files` row of frames without a file: pprof names it after the binary (`[app]`), or
 * `<unknown>` when the profile has no mapping. heapdiff uses the main binary for all of them,
 * where pprof would split frames of shared libraries into a row per library.
 */
export function noFileLabel(profile: Profile): string {
  return profile.mainBinary === '' ? '<unknown>' : `[${profile.mainBinary}]`;
}
