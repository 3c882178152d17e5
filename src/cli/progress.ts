import { escapeTerminal } from '../format/escape-terminal.js';
import type { Terminal } from './io.js';

const SHOW_AFTER_MS = 1000;
const REDRAW_EVERY_MS = 100;

/**
 * One progress line on stderr while profiles load: shown once loading has taken a second,
 * redrawn at most every 100 ms, and erased when loading ends.
 */
export class Progress {
  private shown = false;
  private drawnAt = -Infinity;
  private readonly startedAt: number;

  constructor(
    private readonly io: Pick<Terminal, 'stderr'>,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.startedAt = now();
  }

  update(source: string, step: 'inflating' | 'decoding', done: number, total: number): void {
    const now = this.now();
    if (now - this.startedAt < SHOW_AFTER_MS || now - this.drawnAt < REDRAW_EVERY_MS) return;
    const percent = step === 'decoding' && total > 0 ? ` ${Math.floor((100 * done) / total)}%` : '';
    this.io.stderr(`\r\x1b[Kheapdiff: ${step} ${escapeTerminal(source)}${percent}…`);
    this.shown = true;
    this.drawnAt = now;
  }

  /** Many profiles: how many are done, rather than how far one is. */
  count(done: number, total: number): void {
    const now = this.now();
    if (now - this.startedAt < SHOW_AFTER_MS || now - this.drawnAt < REDRAW_EVERY_MS) return;
    this.io.stderr(`\r\x1b[Kheapdiff: decoded ${done} of ${total} profiles…`);
    this.shown = true;
    this.drawnAt = now;
  }

  end(): void {
    if (this.shown) this.io.stderr('\r\x1b[K');
    this.shown = false;
  }
}

/** A progress line for loading, or undefined: only on a terminal, and never with --format json. */
export function progressFor(io: Pick<Terminal, 'stderr' | 'stderrIsTTY'>, format: string | undefined): Progress | undefined {
  return io.stderrIsTTY && format !== 'json' ? new Progress(io) : undefined;
}
