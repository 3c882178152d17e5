import { describe, expect, it } from 'vitest';
import { parseProfile } from '../decode/parse.js';
import { peek } from '../report/peek.js';
import { encodeProfile, heap } from '../test-support/build-profile.js';
import { renderPeekMarkdown } from './markdown-peek.js';
import { peekCaption } from './text-peek.js';

describe('peek as Markdown', () => {
  it('sets the whole regex as code, slashes and all, from the report rather than the text', () => {
    const profile = parseProfile(encodeProfile({ samples: [heap(['example.com/pkg.f@/p.go:3', 'main.main@/m.go:1'], 100)] }));
    const report = peek(profile, 'com/pkg');
    expect(peekCaption(report)).toContain('matching /com/pkg/, largest');
    const markdown = renderPeekMarkdown(report);
    expect(markdown).toContain('matching `/com/pkg/`, largest');
  });
});
