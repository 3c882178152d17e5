/**
 * Library messages name options ("raise the maxBytes option"); the CLI's user set them with
 * flags, so the CLI says the flag instead.
 */
const FLAGS: Readonly<Record<string, string>> = {
  maxBytes: '--max-profile-size',
  sampleIndex: '--sample-index',
  granularity: '--granularity',
  nodeCount: '--nodecount',
  focus: '--focus',
  ignore: '--ignore',
  hide: '--hide',
  limit: '--limit',
  overhead: '--overhead',
  confidence: '--confidence',
  sameProcess: '--same-process',
  failOn: '--fail-on',
  warnOn: '--warn-on',
  paired: '--paired',
};

/** `the focus option "(" is …` → `--focus "(" is …`; options without a flag stay as they are. */
export function inFlagTerms(message: string): string {
  return message.replace(/\bthe (\w+) option\b/g, (phrase, name: string) => FLAGS[name] ?? phrase);
}
