import { InvalidArgumentError, Option, type Command } from 'commander';
import { GRANULARITIES, type Granularity } from '../analysis/sites.js';
import type { SampleFilters } from '../analysis/filters.js';
import { DEFAULT_MAX_PROFILE_BYTES } from '../decode/inflate.js';
import { parseDuration, parseSize } from '../format/size.js';
import { DEFAULT_TIMEOUT_MS } from './fetch.js';
import type { SampleTypeSelector } from '../model/sample-type.js';

/** Options every report command shares, as commander hands them over. */
export interface CommonOptions {
  sampleIndex?: string;
  granularity: Granularity;
  format: 'text' | 'json' | 'markdown' | 'html';
  maxProfileSize: number;
  /** Milliseconds per http(s) source. */
  timeout: number;
  focus?: string;
  ignore?: string;
  hide?: string;
  diffBase?: string;
  debug?: boolean;
}

/**
 * `granularity: false` for commands that fix it (list is always by line); `formats` beyond text and json;
 * `diffBase: false` for a command that only refuses --diff-base (trend): it stays accepted, so the
 * refusal can say why, but its help does not offer it.
 */
export function addCommonOptions(command: Command, { granularity = true, formats = ['text', 'json'], diffBase = true } = {}): Command {
  command.addOption(
    new Option('-i, --sample-index <type>', 'sample type by name or index (default: the profile default, else the last type: inuse_space for Go heap profiles)'),
  );
  if (granularity) command.addOption(new Option('-g, --granularity <level>', 'group by').choices(GRANULARITIES).default('functions'));
  return command
    .addOption(new Option('-f, --format <format>', 'output format').choices(formats).default('text'))
    .addOption(new Option('--diff-base <file>', 'base profile, as in go tool pprof (the positional profile is then the current one)').hideHelp(!diffBase))
    .option('--focus <regex>', 'keep only samples with a frame whose function or file matches')
    .option('--ignore <regex>', 'drop samples with a frame whose function or file matches')
    .option('--hide <regex>', 'remove matching frames from stacks')
    .addOption(new Option('--max-profile-size <size>', 'refuse profiles that inflate beyond this (e.g. 512MB, 2GB)').argParser(maxProfileSizeOption).default(DEFAULT_MAX_PROFILE_BYTES, '1GB'))
    .addOption(new Option('--timeout <duration>', 'give up on an http(s) profile source after this long').argParser(durationOption).default(DEFAULT_TIMEOUT_MS, '30s'))
    .option('--debug', 'print stack traces for internal errors');
}

/** The library options the shared flags map to, leaving out what was not given. */
export function sampleOptions(options: Omit<CommonOptions, 'granularity'>): SampleFilters & { sampleIndex?: SampleTypeSelector } {
  return {
    ...(options.sampleIndex !== undefined ? { sampleIndex: options.sampleIndex } : {}),
    ...(options.focus !== undefined ? { focus: options.focus } : {}),
    ...(options.ignore !== undefined ? { ignore: options.ignore } : {}),
    ...(options.hide !== undefined ? { hide: options.hide } : {}),
  };
}

export function wholeNumber(text: string): number {
  if (!/^\d+$/.test(text)) throw new InvalidArgumentError('expected a whole number (0 for all)');
  return Number(text);
}

export function sizeOption(text: string): number {
  try {
    return parseSize(text);
  } catch (thrown) {
    throw new InvalidArgumentError((thrown as Error).message);
  }
}

/** Node inflates and allocates at most 4 GiB in one buffer; nothing fits in 0 bytes. */
export const MAX_PROFILE_SIZE_LIMIT = 4 * 1024 ** 3;

export function maxProfileSizeOption(text: string): number {
  const bytes = sizeOption(text);
  if (bytes < 1 || bytes > MAX_PROFILE_SIZE_LIMIT) throw new InvalidArgumentError('expected a size from 1B to 4GB');
  return bytes;
}

/** A Go-style duration (`30s`, `1m30s`) in milliseconds, more than zero. */
export function durationOption(text: string): number {
  let ms: number;
  try {
    ms = parseDuration(text);
  } catch (thrown) {
    throw new InvalidArgumentError((thrown as Error).message);
  }
  if (ms <= 0) throw new InvalidArgumentError('expected a duration above zero');
  return ms;
}

/** --confidence and --same-process: how error bars and verdicts are computed. */
export interface ErrorOptions {
  confidence: number;
  sameProcess?: boolean;
}

export function addErrorOptions(command: Command): Command {
  return command
    .addOption(new Option('--confidence <level>', 'confidence of error bars and verdicts, from 0.5 to below 1').argParser(confidenceOption).default(0.95))
    .option('--same-process', 'the profiles are two snapshots of ONE process: tighter error bars (wrong for separate runs)');
}

export function confidenceOption(text: string): number {
  const value = Number(text);
  if (!/^0?\.\d+$/.test(text.trim()) || !(value >= 0.5 && value < 1)) throw new InvalidArgumentError('expected a confidence from 0.5 to below 1, e.g. 0.95 or 0.99');
  return value;
}
