import { escapeTerminal } from '../format/escape-terminal.js';
import type { Terminal } from './io.js';

/**
 * The CLI's one writer of messages to stderr: `heapdiff: <text>` on one line, with whatever the
 * text carries from a profile (names, types, file names) escaped as terminal text.
 */
export function note(io: Pick<Terminal, 'stderr'>, text: string): void {
  io.stderr(`heapdiff: ${escapeTerminal(text)}\n`);
}
