import { ProfileError } from '../model/errors.js';

/**
 * What a store side cannot do: the store keeps per-site flat and cum by function and line, not
 * stacks, so anything that walks stacks or call edges is refused in one line naming the option.
 */
export const STORE_SIDE_SUPPORTS = 'a store side supports top and trend by function or line, in every format, with gates';

export function refuseStackFeatures(command: 'top' | 'trend', options: {
  focus?: string;
  ignore?: string;
  hide?: string;
  granularity?: string;
  format?: string;
  outputPprof?: string;
  paired?: boolean;
  diffBase?: string;
}): void {
  const refused = (what: string) => new ProfileError('invalid option', `${what} needs stacks, which the store does not keep; ${STORE_SIDE_SUPPORTS}`);
  if (options.focus !== undefined) throw refused('--focus');
  if (options.ignore !== undefined) throw refused('--ignore');
  if (options.hide !== undefined) throw refused('--hide');
  if (options.granularity === 'files') throw refused('-g files (a file\'s cum)');
  if (command === 'top' && options.format === 'html') throw refused('-f html (its flame graph)');
  if (options.outputPprof !== undefined) throw refused('--output-pprof');
  if (options.paired) throw new ProfileError('invalid option', '--paired pairs profiles by file name, and a store side has none');
  if (options.diffBase !== undefined) throw new ProfileError('invalid option', 'give a store side as a positional argument, not --diff-base');
}
