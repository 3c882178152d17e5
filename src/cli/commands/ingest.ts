import { InvalidArgumentError, Option, type Command } from 'commander';
import { DEFAULT_MAX_PROFILE_BYTES } from '../../decode/inflate.js';
import { DEFAULT_TIMEOUT_MS } from '../fetch.js';
import { expandSide } from '../glob.js';
import type { Files, Terminal } from '../io.js';
import { decodeProfile, readSource, type DecodeIo, type ReadIo } from '../load.js';
import { durationOption, sizeOption } from '../options.js';
import { parseLabelOption } from '../../store/labels.js';

interface IngestCliOptions {
  store?: string;
  label: [string, string][];
  cluster?: string;
  maxProfileSize: number;
  timeout: number;
}

/** Profiles decoded and written per round trip: bounded memory, few requests. */
const BATCH = 50;

export function registerIngest(program: Command, io: ReadIo & DecodeIo & Pick<Files, 'glob' | 'isDirectory' | 'listDir'> & Pick<Terminal, 'env' | 'stdout'>): void {
  program
    .command('ingest')
    .description('load heap profiles into a ClickHouse store, for store: sides and trends over a fleet')
    .argument('<profiles...>', 'profiles: files, directories (every profile in them), quoted globs (\'heap-*.pb.gz\') or http(s) URLs; directories named key=value on the path become labels')
    .option('--store <url>', 'ClickHouse HTTP URL, http://[user[:password]@]host:8123/database (default: $HEAPDIFF_STORE)')
    .option('--label <key=value>', 'a label for every profile given (repeatable)', collectLabel, [])
    .option('--cluster <name>', "create the tables on every shard of this ClickHouse cluster (from the server's remote_servers) and a Distributed table over them")
    .addOption(new Option('--max-profile-size <size>', 'refuse profiles that inflate beyond this').argParser(sizeOption).default(DEFAULT_MAX_PROFILE_BYTES, '1GB'))
    .addOption(new Option('--timeout <duration>', 'give up on an http(s) profile source after this long').argParser(durationOption).default(DEFAULT_TIMEOUT_MS, '30s'))
    .option('--debug', 'print stack traces for internal errors')
    .action(async (args: string[], options: IngestCliOptions) => {
      const [{ openStore }, { recordOf }, { storeRecords }] = await Promise.all([
        import('../store-option.js'),
        import('../ingest-sink.js'),
        import('../../store/ingest.js'),
      ]);
      // The sides of top and trend are directories and quoted globs too: ingest takes what they take.
      const sources = await expandSide(io, args);
      const store = await openStore(io, options.store, { create: true, ...(options.cluster !== undefined ? { cluster: options.cluster } : {}) });
      let stored = 0;
      let skipped = 0;
      let siteRows = 0;
      try {
        for (let start = 0; start < sources.length; start += BATCH) {
          const records = [];
          for (const source of sources.slice(start, start + BATCH)) {
            const bytes = await readSource(io, source, options.maxProfileSize, options.timeout);
            const profile = decodeProfile(io, source, bytes, options.maxProfileSize);
            records.push(recordOf(source, bytes, profile, options.label));
          }
          const result = await storeRecords(store, records);
          stored += result.stored;
          skipped += result.skipped;
          siteRows += result.siteRows;
        }
      } finally {
        await store.close();
      }
      const already = skipped > 0 ? ` (${skipped} already stored, left as they were)` : '';
      io.stdout(`ingested ${stored} profile${stored === 1 ? '' : 's'}, ${siteRows} site rows, into ${store.address.display}${already}\n`);
    });
}

export function collectLabel(text: string, previous: [string, string][]): [string, string][] {
  try {
    return [...previous, parseLabelOption(text)];
  } catch (thrown) {
    throw new InvalidArgumentError((thrown as Error).message);
  }
}
