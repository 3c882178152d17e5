/** How pprof names what a profile leaves unnamed: an unsymbolized location, a mapping's binary. */

/** pprof names an unsymbolized location by its binary and address. */
export function unsymbolizedName(mappingFile: string, address: number | bigint): string {
  const base = mappingFile.split('/').pop() || 'unknown';
  return `[${base}] 0x${address.toString(16)}`;
}

export function baseName(path: string): string {
  return path.split('/').pop() ?? '';
}
