import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { writerUntilClosed } from './node-io.js';

/** A pipe whose reader left after `accept` writes, as `head -1` does. */
function pipeClosedAfter(accept: number): { stream: Writable; received: string[] } {
  const received: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      if (received.length >= accept) return done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      received.push(String(chunk));
      done();
    },
  });
  return { stream, received };
}

describe('stdout whose reader went away (heapdiff … | head)', () => {
  it('drops the rest quietly: no error event escapes, later writes are not attempted', async () => {
    const { stream, received } = pipeClosedAfter(1);
    const write = writerUntilClosed(stream);
    write('Type: inuse_space\n');
    write('Base: …\n');
    await new Promise((resolve) => setImmediate(resolve));
    write('Current: …\n'); // after the EPIPE: an unguarded stream would emit ERR_STREAM_DESTROYED
    await new Promise((resolve) => setImmediate(resolve));
    expect(received).toEqual(['Type: inuse_space\n']);
    expect(stream.destroyed).toBe(true);
  });

  it('lets any other write error through', () => {
    const stream = new Writable({ write: (_chunk, _encoding, done) => done() });
    writerUntilClosed(stream);
    expect(() => stream.emit('error', Object.assign(new Error('disk full'), { code: 'ENOSPC' }))).toThrow('disk full');
  });
});
