import type { GateBreach } from '../report/gates.js';

/** At most this many annotations of each level; GitHub shows only the first few anyway. */
export const ANNOTATION_CAP = 10;

/** Escapes a workflow command's message (the part after `::`). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a workflow command property value, where `:` and `,` are separators too. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export interface Annotated {
  readonly breach: GateBreach;
  /** Workspace-relative source location, only where the file was found in the workspace. */
  readonly location?: { file: string; line: number };
}

/** `::error`/`::warning` lines for breached gates, capped, with one notice for the rest. */
export function annotations(level: 'error' | 'warning', items: readonly Annotated[]): string[] {
  const lines = items.slice(0, ANNOTATION_CAP).map(({ breach, location }) => {
    const props = [`title=${escapeProperty(`heapdiff gate ${breach.rule}`)}`];
    if (location) props.push(`file=${escapeProperty(location.file)}`, `line=${location.line}`);
    return `::${level} ${props.join(',')}::${escapeData(breach.message)}`;
  });
  const left = items.length - ANNOTATION_CAP;
  if (left > 0) lines.push(`::notice::${escapeData(`${left} more ${level === 'error' ? 'gate breaches' : 'gate warnings'} were not annotated; see the report`)}`);
  return lines;
}
