/**
 * What input that failed to parse looks like, for a message that helps more than a wire-type
 * complaint: a saved HTML error page, JSON, a Go text profile, a gperftools profile, plain text.
 * Consulted only after parsing failed, so it can never turn a real profile away.
 */

/** What heapdiff reads, said after what the input looks like. */
export const READS = "heapdiff reads pprof profiles (protobuf, gzipped or raw, as /debug/pprof/heap serves them) and Go's legacy text heap profile";

const SAMPLE = 4096;

/** A phrase such as `an HTML page (…)`, or undefined when the bytes look like nothing in particular. */
export function sniffNotProfile(raw: Uint8Array): string | undefined {
  const cpu = legacyCpu(raw);
  if (cpu) return cpu;
  const head = raw.subarray(0, SAMPLE);
  if (!isMostlyText(head)) return undefined;
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head).replace(/^\uFEFF/, '');
  const start = text.trimStart();
  const lower = start.slice(0, 512).toLowerCase();
  if (lower.startsWith('<!doctype html') || lower.startsWith('<html') || /<(head|body|title)[\s>]/.test(lower)) {
    return 'an HTML page (an error or login page saved as the profile?)';
  }
  if (start.startsWith('<')) return 'XML or HTML';
  if (start.startsWith('{') || start.startsWith('[')) {
    if (/"(nodes|samples|timeDeltas|startTime)"/.test(start) || /"head"\s*:\s*\{/.test(start)) {
      return 'a Chrome DevTools profile (.cpuprofile/.heapprofile JSON); @datadog/pprof writes pprof from Node';
    }
    return 'JSON';
  }
  if (/^heap profile:.*@ *(heapprofile|heap_v2\/)/.test(start) || text.includes('\nMAPPED_LIBRARIES:')) {
    return 'a gperftools (tcmalloc) heap profile, addresses without names; go tool pprof -proto BINARY FILE > heap.pb.gz converts it';
  }
  if (start.startsWith('goroutine profile: total')) return "Go's text goroutine profile (debug=1); drop debug=1 from the URL";
  if (/^goroutine \d+ \[/.test(start)) return 'a goroutine dump (debug=2); drop debug=2 from the URL';
  if (start.startsWith('--- contention:') || start.startsWith('--- mutex:')) return "Go's text contention profile (debug=1); drop debug=1 from the URL";
  const first = start.split(/\r?\n/, 1)[0] ?? '';
  return `text (first line: ${quoteLine(first)})`;
}

/**
 * gperftools' and Go's pre-1.9 binary CPU profile: native-endian words, header 0, 3, 0, period, 0,
 * in 64- or 32-bit words.
 */
function legacyCpu(raw: Uint8Array): string | undefined {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  for (const size of [8, 4] as const) {
    if (raw.length < size * 5) continue;
    const word = (i: number, little: boolean) => (size === 8 ? Number(view.getBigUint64(i * size, little)) : view.getUint32(i * size, little));
    for (const little of [true, false]) {
      if (word(0, little) === 0 && word(1, little) === 3 && word(2, little) === 0 && word(4, little) === 0) {
        return 'a legacy binary CPU profile (gperftools, or Go before 1.9); go tool pprof -proto BINARY FILE > cpu.pb.gz converts it';
      }
    }
  }
  return undefined;
}

/** Text has no NUL and few control characters besides tab, newline and carriage return. */
function isMostlyText(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  let control = 0;
  for (const b of bytes) {
    if (b === 0) return false;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) control++;
  }
  return control <= bytes.length / 100;
}

/** At most 60 characters of a line, quoted, with anything unprintable escaped: one line, inert. */
function quoteLine(line: string): string {
  const cut = [...line].slice(0, 60).join('');
  const escaped = JSON.stringify(cut).replace(/[\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return cut.length < line.length ? `${escaped.slice(0, -1)}…"` : escaped;
}
