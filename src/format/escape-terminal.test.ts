import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeTerminal, isTerminalSafe } from './escape-terminal.js';

describe('escapeTerminal', () => {
  it('shows control, bidi and zero-width characters as visible escapes', () => {
    expect(escapeTerminal('a\nb\rc')).toBe('a\\nb\\rc');
    expect(escapeTerminal('\x1b]0;pwned\x07')).toBe('\\x1b]0;pwned\\x07');
    expect(escapeTerminal('\x1b[2J\x1b[1;1H')).toBe('\\x1b[2J\\x1b[1;1H');
    expect(escapeTerminal('x\b\b\0\x7f\x9b')).toBe('x\\x08\\x08\\x00\\x7f\\x9b');
    expect(escapeTerminal('main.\u202eevil\u2066\u200b\ufeff')).toBe('main.\\u202eevil\\u2066\\u200b\\ufeff');
    expect(escapeTerminal('line\u2028sep\u0085')).toBe('line\\u2028sep\\x85');
    expect(escapeTerminal('tag\u{e0041}')).toBe('tag\\u{e0041}');
  });

  it('leaves ordinary names, tabs, backslashes and non-Latin letters alone', () => {
    for (const s of ['main.(*cache).put', 'C:\\src\\main.go', '\tindented', 'пакет.Функция', 'µs → 1.5MB', '']) {
      expect(escapeTerminal(s)).toBe(s);
      expect(isTerminalSafe(s)).toBe(true);
    }
  });

  it('breaks the legacy workflow-command prefix ##[ wherever it is, also when hidden by ignorables', () => {
    expect(escapeTerminal('x ##[add-mask]secret')).toBe('x #\\x23[add-mask]secret');
    expect(escapeTerminal('###[error]')).not.toContain('##[');
    expect(escapeTerminal('#\u200b#[error]')).not.toMatch(/#[^a-z0-9\\]*#\[/);
  });

  it('output is printable, one line, and escaping it again changes nothing', () => {
    const anyString = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom('#', '[', ':', '\n', '\r', '\x1b', '\u202e', '\u200b', 'a', '\t') }));
    fc.assert(
      fc.property(anyString, (s) => {
        const once = escapeTerminal(s);
        expect(escapeTerminal(once)).toBe(once);
        expect(isTerminalSafe(once)).toBe(true);
        expect(once).not.toMatch(/[\n\r\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);
        expect(once).not.toContain('##[');
      }),
    );
  });
});
