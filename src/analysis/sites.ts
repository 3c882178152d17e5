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
  /**
   * functions, files: sites by their key, the identity (functions) or the file (the no-file
   * row's `\0` + its name). A profile's strings are each looked up once, and a key met in the
   * order the last profile met it (the usual pair: two profiles of one binary) is found by
   * comparing it with the guessed site's, without hashing it.
   */
  private readonly ids = new Map<string, number>();
  /** Sites below this are in `ids`: those a first profile added at once (addFirst) are keyed when a lookup first needs them. */
  private indexed = 0;
  /**
   * lines: the identities and files, each once, by id (keys are made of these ids, never of
   * joined strings: a joined key is a new string to build and hash per frame), looked up as the
   * keys above; each site's identity and file ids, and an open-addressing table of the sites
   * (site + 1 per slot, 0 empty) by those and the line.
   */
  private readonly texts: string[] = [];
  private readonly textIds = new Map<string, number>();
  private readonly identityTexts: number[] = [];
  private readonly fileTexts: number[] = [];
  private slots = new Int32Array(0);
  /** Each profile's frame → site map, made once: aggregation, inline marks and hints all ask. */
  private readonly byProfile = new WeakMap<Profile, Int32Array>();

  /**
   * `atOnce` false: a first profile's sites are added one by one through the key map, as later
   * profiles' new ones are (see addFirst), for side-aggregate.ts: there the CLI maps a profile
   * while its helper thread decodes the other, so the time is hidden, and the map's garbage
   * brings forward the collection that frees the decoder's buffers: at once, the fat pair's
   * peak RSS rose from ~176 MB to 195-204 MB (4 runs each, against a 200 MB goal).
   */
  constructor(
    granularity: Granularity,
    private readonly atOnce = true,
  ) {
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
    if (this.granularity === 'functions') return this.functionSite(name, identity, -1);
    if (this.granularity === 'files') return this.fileSite(file, '', -1);
    this.reserveLineSlots(1);
    return this.lineSite(this.textId(identity, -1), this.textId(file, -1), line, name, file);
  }

  /** What keys the site's function across profiles: identity and name differ for unsymbolized frames. */
  identityOf(site: number): string {
    return this.identities[site]!;
  }

  /** Maps every frame of `profile` to its site id; computed once per profile, not per sample. */
  siteOfFrames(profile: Profile): Int32Array {
    let out = this.byProfile.get(profile);
    if (out === undefined) {
      out = this.granularity === 'lines' ? this.mapLines(profile) : this.mapFrames(profile);
      if (this.granularity === 'lines') firstStartLines(this.startLines, profile.frames.startLine, out);
      this.byProfile.set(profile, out);
    }
    return out;
  }

  /**
   * functions, files: a site per distinct string naming the frames' functions (files), looked up
   * in first-use order, and each site's first start line (firstStartLines) in the same pass.
   */
  private mapFrames(profile: Profile): Int32Array {
    const { frames, strings, unsymbolized } = profile;
    const byFile = this.granularity === 'files';
    const column = byFile ? frames.file : frames.name;
    const noFile = noFileLabel(profile);
    // The distinct strings in first-use order (each marked 0 until its site is known).
    const siteOfString = new Int32Array(strings.length).fill(-1);
    const order = new Int32Array(Math.min(strings.length, frames.count));
    let distinct = 0;
    for (let f = 0; f < frames.count; f++) {
      const id = column[f]!;
      if (siteOfString[id]! < 0) {
        siteOfString[id] = 0;
        order[distinct++] = id;
      }
    }
    // Names that are their own identities: a first profile's at once, a later one's by guess as far as they follow the sites.
    let k = 0;
    if (!byFile && (unsymbolized === undefined || unsymbolized.size === 0)) {
      if (this.size > 0) k = this.followSites(strings, order, distinct, siteOfString);
      else if (this.atOnce) k = this.addFirst(strings, order, distinct, siteOfString);
    }
    let guess = k > 0 ? siteOfString[order[k - 1]!]! + 1 : 0;
    for (; k < distinct; k++) {
      const id = order[k]!;
      // An unsymbolized frame is keyed by its place in the binary, not by its absolute address.
      const identity = byFile ? undefined : unsymbolized?.get(id);
      const text = strings[id]!;
      const site = byFile ? this.fileSite(text, noFile, guess) : this.functionSite(text, identity === undefined ? text : `\u0001${identity}`, guess);
      siteOfString[id] = site;
      guess = site + 1;
    }
    const out = new Int32Array(frames.count);
    const { startLine } = frames;
    const { startLines } = this;
    for (let f = 0; f < out.length; f++) {
      const site = siteOfString[column[f]!]!;
      out[f] = site;
      const line = startLine[f]!;
      if (line !== 0 && startLines[site] === 0) startLines[site] = line;
    }
    return out;
  }

  /**
   * A report's first profile at `functions`, each name its own identity: when its names are
   * distinct (one native Set says so), the k-th is site k, all added at once and keyed in `ids`
   * only when a lookup first needs them (most reports make none: a second profile of the same
   * binary follows the sites, followSites). Hashing and inserting twenty thousand names one by
   * one cost ~5 ms and ~400 page faults. Returns how many names it placed: all, or none.
   */
  private addFirst(strings: readonly string[], order: Int32Array, distinct: number, siteOfString: Int32Array): number {
    const { names, identities } = this;
    names.length = distinct;
    identities.length = distinct;
    for (let k = 0; k < distinct; k++) names[k] = identities[k] = strings[order[k]!]!;
    // A producer need not intern its strings: equal names must share a site (the one-by-one path then).
    if (new Set(names).size !== distinct) {
      names.length = identities.length = 0;
      return 0;
    }
    for (let k = 0; k < distinct; k++) siteOfString[order[k]!] = k;
    this.files.length = this.lines.length = this.startLines.length = distinct;
    this.files.fill('');
    this.lines.fill(0);
    this.startLines.fill(0);
    return distinct;
  }

  /**
   * A later profile at `functions`, each name its own identity: its names in first-use order
   * compared with the sites in order, as far as they agree (two profiles of one binary: all of
   * them), without a lookup. Returns how many it placed; the rest take functionSite.
   */
  private followSites(strings: readonly string[], order: Int32Array, distinct: number, siteOfString: Int32Array): number {
    const { identities } = this;
    const last = this.size - 1;
    let k = 0;
    // functionSite's guess (nearest), inline: a call per name is most of a cold loop's cost.
    for (let at = 0; k < distinct; k++) {
      const id = order[k]!;
      if (identities[at] !== strings[id]) break;
      siteOfString[id] = at;
      if (at < last) at++;
    }
    return k;
  }

  /** A function's site, by its identity. */
  private functionSite(name: string, identity: string, guess: number): number {
    const at = nearest(guess, this.identities.length);
    if (at >= 0 && this.identities[at] === identity) return at;
    const site = this.keys().get(identity);
    return site === undefined ? this.keyed(identity, name, '', 0, identity) : site;
  }

  /** A file's site; frames without a file are one row, as pprof's -files shows them (see noFileLabel). */
  private fileSite(file: string, noFile: string, guess: number): number {
    const name = file === '' ? noFile : file;
    // The key is the file, or for no file the name: the two fields tell it.
    const at = nearest(guess, this.files.length);
    if (at >= 0 && this.files[at] === file && this.names[at] === name) return at;
    const key = file === '' ? `\0${noFile}` : file;
    const site = this.keys().get(key);
    return site === undefined ? this.keyed(key, name, file, 0, name) : site;
  }

  private keyed(key: string, name: string, file: string, line: number, identity: string): number {
    const site = this.add(name, file, line, identity);
    this.ids.set(key, site);
    this.indexed = this.size;
    return site;
  }

  /** The key map, with every site in it: addFirst's sites are keyed when a lookup first needs them. */
  private keys(): Map<string, number> {
    // addFirst adds only `functions` sites, keyed by their identities.
    for (let site = this.indexed; site < this.size; site++) this.ids.set(this.identities[site]!, site);
    this.indexed = this.size;
    return this.ids;
  }

  /** lines: a site per (identity, file, line), with each distinct identity and file string looked up once. */
  private mapLines(profile: Profile): Int32Array {
    const { frames, strings, unsymbolized } = profile;
    const count = frames.count;
    const identityText = new Int32Array(strings.length).fill(-1);
    const fileText = new Int32Array(strings.length).fill(-1);
    // Strings in first-use order, identities and files apart, so that guesses follow the last profile.
    let guess = 0;
    for (let f = 0; f < count; f++) {
      const id = frames.name[f]!;
      if (identityText[id]! < 0) {
        const identity = unsymbolized?.get(id);
        guess = identityText[id] = this.textId(identity === undefined ? strings[id]! : `\u0001${identity}`, guess);
        guess++;
      }
    }
    guess = 0;
    for (let f = 0; f < count; f++) {
      const id = frames.file[f]!;
      if (fileText[id]! < 0) {
        guess = fileText[id] = this.textId(strings[id]!, guess);
        guess++;
      }
    }
    this.reserveLineSlots(count);
    const out = new Int32Array(count);
    const { name, file, line } = frames;
    for (let f = 0; f < count; f++) {
      out[f] = this.lineSite(identityText[name[f]!]!, fileText[file[f]!]!, line[f]!, strings[name[f]!]!, strings[file[f]!]!);
    }
    return out;
  }

  /** The id of `text`, added when new; `guess`, the id it likely has, is checked first by comparing the strings. */
  private textId(text: string, guess: number): number {
    const at = nearest(guess, this.texts.length);
    if (at >= 0 && this.texts[at] === text) return at;
    let id = this.textIds.get(text);
    if (id === undefined) {
      id = this.texts.length;
      this.texts.push(text);
      this.textIds.set(text, id);
    }
    return id;
  }

  /** The site of a line by its identity's and file's text ids, added when new (`name`, `fileName`: its fields then). */
  private lineSite(identity: number, file: number, line: number, name: string, fileName: string): number {
    const { slots } = this;
    const mask = slots.length - 1;
    for (let slot = lineHash(identity, file, line) & mask; ; slot = (slot + 1) & mask) {
      const site = slots[slot]! - 1;
      if (site < 0) {
        const added = this.add(name, fileName, line, this.texts[identity]!);
        this.identityTexts.push(identity);
        this.fileTexts.push(file);
        slots[slot] = added + 1;
        if (2 * this.size > slots.length) this.reserveLineSlots(0);
        return added;
      }
      if (this.identityTexts[site] === identity && this.fileTexts[site] === file && this.lines[site] === line) return site;
    }
  }

  /** Room in the lines table for `more` sites beyond those it has, at most half full. */
  private reserveLineSlots(more: number): void {
    const wanted = 2 * (this.size + more) + 2;
    if (this.slots.length >= wanted) return;
    let length = 1024;
    while (length < wanted) length *= 2;
    const slots = new Int32Array(length);
    const mask = length - 1;
    for (let site = 0; site < this.identityTexts.length; site++) {
      let slot = lineHash(this.identityTexts[site]!, this.fileTexts[site]!, this.lines[site]!) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = site + 1;
    }
    this.slots = slots;
  }

  private add(name: string, file: string, line: number, identity: string): number {
    const id = this.names.length;
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

/**
 * The entry to compare a key with: the guess, else (past the end, where a first profile's keys
 * all are) the last entry, so that the comparison runs from the first key on: a comparison first
 * made late, by a second profile, would discard the loop's compiled code. -1 when there is none.
 */
function nearest(guess: number, length: number): number {
  return guess < length ? guess : length - 1;
}

/** The first start line a frame of each site records (for `list`), in frame order. */
function firstStartLines(startLines: number[], frameStartLine: Int32Array, frameSite: Int32Array): void {
  for (let f = 0; f < frameSite.length; f++) {
    const startLine = frameStartLine[f]!;
    if (startLine !== 0 && startLines[frameSite[f]!] === 0) startLines[frameSite[f]!] = startLine;
  }
}

/** A hash of a line's key (identity text, file text, line). */
function lineHash(identity: number, file: number, line: number): number {
  let h = Math.imul(identity ^ 0x2545f491, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15) ^ file, 0x85ebca77);
  h = Math.imul(h ^ (h >>> 13) ^ line, 0xc2b2ae3d);
  return (h ^ (h >>> 16)) >>> 0;
}
