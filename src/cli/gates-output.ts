import { InvalidArgumentError } from 'commander';
import { describeThrown } from '../model/errors.js';
import { parseGateRule, type GateBreach, type GateRule, type Gates } from '../report/gates.js';
import { annotations, type Annotated } from './github.js';
import type { Files, Terminal } from './io.js';
import { note } from './note.js';

/** Reporting gates: the environment says whether this is GitHub Actions; breaches go to stderr. */
export type GateIo = Pick<Terminal, 'env' | 'stderr' | 'workflowCommands'>;
/** The step summary is a file GitHub Actions names in the environment. */
export type SummaryIo = Pick<Terminal, 'env'> & Pick<Files, 'appendFile'>;

/** Exit code when a --fail-on rule is breached (as diff(1) exits 1 when files differ). */
export const EXIT_BREACHED = 1;

/** Not an error: the run worked and the answer is "it grew too much". */
export class GateBreached extends Error {
  constructor() {
    super('a growth gate was breached');
  }
}

/**
 * Commander's collector for --fail-on/--warn-on: a bad rule stops the run before any profile is
 * read, and so does a `leaks` rule where there are no verdicts to count.
 */
export function ruleCollector(verdicts: boolean, raw = false): (text: string, previous: GateRule[]) => GateRule[] {
  return (text, previous) => {
    let rule: GateRule;
    try {
      rule = parseGateRule(text, { raw });
    } catch (thrown) {
      throw new InvalidArgumentError((thrown as Error).message.replace(/^invalid option: /, ''));
    }
    if (rule.subject === 'leaks' && !verdicts) throw new InvalidArgumentError(`${rule.text} counts leak verdicts, which only trend gives`);
    return [...previous, rule];
  };
}

export const FAIL_ON_HELP =
  'exit 1 when a rule is breached by growth beyond sampling noise: total>10MB, site>=512kB, total>5%, site>50% (repeatable)';
export const FAIL_ON_RAW_HELP = 'like --fail-on, but every change counts, within sampling noise or not (repeatable)';
export const WARN_ON_RAW_HELP = 'like --warn-on, but every change counts (repeatable)';

/** Rules from --fail-on and --fail-on-raw (or the warn pair), in one list. */
export function rulesOf(plain: readonly GateRule[] | undefined, raw: readonly GateRule[] | undefined): GateRule[] {
  return [...(plain ?? []), ...(raw ?? [])];
}

/**
 * Breaches go to stderr, as workflow annotations on GitHub Actions (placed by `locate`), keeping
 * stdout clean for JSON; a --fail-on breach then ends the run with exit code 1.
 */
export async function reportGates(gates: Gates | null, io: GateIo, locate: (b: readonly GateBreach[]) => Promise<Annotated[]>): Promise<void> {
  if (!gates) return;
  const { failOn, warnOn } = gates;
  if (io.env['GITHUB_ACTIONS'] === 'true') {
    const lines = [...annotations('error', await locate(failOn.breaches)), ...annotations('warning', await locate(warnOn.breaches))];
    if (lines.length > 0) (io.workflowCommands ?? io.stderr)(lines.join('\n') + '\n');
  } else {
    for (const b of failOn.breaches) note(io, `gate breached: ${b.message}`);
    for (const b of warnOn.breaches) note(io, `warning: ${b.message}`);
  }
  // Growth past a rule that did not count: say so once each, so nobody wonders why the gate passed.
  const noise = [...failOn.withinNoise, ...warnOn.withinNoise];
  for (const b of noise.slice(0, 5)) io.stderr(`heapdiff: note: ${b.message}\n`);
  if (noise.length > 5) io.stderr(`heapdiff: note: ${noise.length - 5} more changes past a rule are within sampling noise\n`);
  if (noise.length > 0) io.stderr('heapdiff: note: --fail-on-raw counts every change\n');
  if (!failOn.passed) throw new GateBreached();
}

/** On GitHub Actions every report also lands in the job's summary page. */
export async function appendStepSummary(io: SummaryIo, markdown: () => Promise<string>): Promise<void> {
  const summary = io.env['GITHUB_STEP_SUMMARY'];
  if (io.env['GITHUB_ACTIONS'] === 'true' && summary) await io.appendFile(summary, (await markdown()) + '\n');
}

/**
 * The step summary, then the gates. A summary that cannot be written (a full disk, a bad
 * GITHUB_STEP_SUMMARY) must not hide the breaches: they are reported first, and the failure is
 * then exit 2, unless a gate failed, whose exit 1 wins (the failure is still said, in one line).
 */
export async function summarizeThenGate(
  io: GateIo & SummaryIo,
  markdown: () => Promise<string>,
  gates: Gates | null,
  locate: (b: readonly GateBreach[]) => Promise<Annotated[]>,
): Promise<void> {
  let failure: Error | undefined;
  try {
    await appendStepSummary(io, markdown);
  } catch (thrown) {
    failure = new Error(`writing the step summary: ${describeThrown(thrown)}`);
  }
  try {
    await reportGates(gates, io, locate);
  } catch (thrown) {
    if (failure && thrown instanceof GateBreached) io.stderr(`heapdiff: ${failure.message}\n`);
    throw thrown;
  }
  if (failure) throw failure;
}
