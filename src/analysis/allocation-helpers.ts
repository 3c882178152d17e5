/**
 * Functions that allocate on behalf of their caller: when one of them is the top growing site,
 * the leak is in whoever called it, and heapdiff says so (the attribution hint of `top` and
 * `trend`, which names the caller that grew most and the `peek` command that shows them all).
 *
 * This list is data: one entry per exact function name as it appears in profiles. Add a helper
 * here, with the runtime it belongs to. Go's proto writer hides most `runtime.*` frames at the
 * leaf, but legacy text profiles, other writers and newer Go versions show them.
 */
export interface AllocationHelper {
  readonly name: string;
  readonly runtime: 'go' | 'node';
  /** What it allocates for its caller. */
  readonly allocates: string;
}

export const ALLOCATION_HELPERS: readonly AllocationHelper[] = [
  // Go runtime
  { name: 'runtime.malg', runtime: 'go', allocates: 'goroutine stacks (a goroutine leak shows here)' },
  { name: 'runtime.newproc1', runtime: 'go', allocates: 'new goroutines' },
  { name: 'runtime.allocm', runtime: 'go', allocates: 'OS threads (Ms)' },
  { name: 'runtime.mallocgc', runtime: 'go', allocates: 'every heap object' },
  { name: 'runtime.newobject', runtime: 'go', allocates: '`new(T)` and escaping values' },
  { name: 'runtime.newarray', runtime: 'go', allocates: 'arrays' },
  { name: 'runtime.makeslice', runtime: 'go', allocates: '`make([]T, n)`' },
  { name: 'runtime.makeslicecopy', runtime: 'go', allocates: '`make` + `copy` of a slice' },
  { name: 'runtime.growslice', runtime: 'go', allocates: '`append` beyond capacity' },
  { name: 'runtime.makemap', runtime: 'go', allocates: '`make(map…)`' },
  { name: 'runtime.makemap_small', runtime: 'go', allocates: 'small maps' },
  { name: 'runtime.makeBucketArray', runtime: 'go', allocates: 'map buckets' },
  { name: 'runtime.hashGrow', runtime: 'go', allocates: 'map growth' },
  { name: 'runtime.mapassign', runtime: 'go', allocates: 'map inserts' },
  { name: 'runtime.mapassign_faststr', runtime: 'go', allocates: 'map inserts (string keys)' },
  { name: 'runtime.mapassign_fast64', runtime: 'go', allocates: 'map inserts (64-bit keys)' },
  { name: 'runtime.makechan', runtime: 'go', allocates: 'channels' },
  { name: 'runtime.rawstring', runtime: 'go', allocates: 'strings' },
  { name: 'runtime.rawbyteslice', runtime: 'go', allocates: '`[]byte(s)`' },
  { name: 'runtime.rawruneslice', runtime: 'go', allocates: '`[]rune(s)`' },
  { name: 'runtime.concatstrings', runtime: 'go', allocates: 'string concatenation' },
  { name: 'runtime.slicebytetostring', runtime: 'go', allocates: '`string(b)`' },
  { name: 'runtime.stringtoslicebyte', runtime: 'go', allocates: '`[]byte(s)`' },
  { name: 'runtime.convTslice', runtime: 'go', allocates: 'slices boxed in interfaces' },
  { name: 'runtime.convTstring', runtime: 'go', allocates: 'strings boxed in interfaces' },
  { name: 'runtime.convT', runtime: 'go', allocates: 'values boxed in interfaces' },
  { name: 'reflect.unsafe_New', runtime: 'go', allocates: 'values made by reflection' },
  { name: 'reflect.unsafe_NewArray', runtime: 'go', allocates: 'slices made by reflection' },
  // Go standard library
  { name: 'bytes.growSlice', runtime: 'go', allocates: 'a bytes.Buffer that grows (Go ≥ 1.20)' },
  { name: 'bytes.makeSlice', runtime: 'go', allocates: 'a bytes.Buffer that grows (Go < 1.20)' },
  { name: 'bytes.(*Buffer).grow', runtime: 'go', allocates: 'a bytes.Buffer that grows' },
  { name: 'strings.(*Builder).grow', runtime: 'go', allocates: 'a strings.Builder that grows' },
  { name: 'strings.(*Builder).WriteString', runtime: 'go', allocates: 'a strings.Builder that grows' },
  { name: 'strings.Repeat', runtime: 'go', allocates: 'repeated strings' },
  { name: 'strings.Join', runtime: 'go', allocates: 'joined strings' },
  { name: 'strconv.formatBits', runtime: 'go', allocates: 'formatted numbers (strconv.Itoa)' },
  { name: 'fmt.Sprintf', runtime: 'go', allocates: 'formatted strings' },
  { name: 'io.ReadAll', runtime: 'go', allocates: 'whole-stream reads' },
  { name: 'bufio.NewReaderSize', runtime: 'go', allocates: 'read buffers' },
  { name: 'bufio.NewWriterSize', runtime: 'go', allocates: 'write buffers' },
  { name: 'encoding/json.Unmarshal', runtime: 'go', allocates: 'decoded JSON values' },
  // Node.js (V8 heap profiles name functions without their module)
  { name: 'allocate', runtime: 'node', allocates: 'Buffer pool slices (Buffer.allocUnsafe)' },
  { name: 'createUnsafeBuffer', runtime: 'node', allocates: 'Buffers' },
  { name: 'allocUnsafe', runtime: 'node', allocates: 'Buffers' },
  { name: 'allocUnsafeSlow', runtime: 'node', allocates: 'Buffers outside the pool' },
  { name: 'Buffer.alloc', runtime: 'node', allocates: 'Buffers' },
  { name: 'Buffer.allocUnsafe', runtime: 'node', allocates: 'Buffers' },
  { name: 'Buffer.from', runtime: 'node', allocates: 'Buffers' },
  { name: 'fromString', runtime: 'node', allocates: 'Buffers from strings' },
  { name: 'fromStringFast', runtime: 'node', allocates: 'Buffers from strings' },
  { name: 'Buffer.concat', runtime: 'node', allocates: 'concatenated Buffers' },
  { name: 'JSON.parse', runtime: 'node', allocates: 'parsed JSON values' },
  { name: 'JSON.stringify', runtime: 'node', allocates: 'JSON strings' },
];

const NAMES = new Set(ALLOCATION_HELPERS.map((h) => h.name));

/** Whether `name` is a function that allocates for its caller (see ALLOCATION_HELPERS). */
export function isAllocationHelper(name: string): boolean {
  return NAMES.has(name);
}

/**
 * Where Go parks a goroutine: every stack of a goroutine profile ends in `runtime.gopark` (or
 * `runtime.goparkunlock`), under the channel, select, lock, sleep or network wait that parked it.
 * A goroutine leak therefore grows these rows, and its cause is the first caller above them. Also
 * data: add a waiting primitive here.
 */
export const WAITING_FUNCTIONS: readonly string[] = [
  'runtime.gopark',
  'runtime.goparkunlock',
  'runtime.block',
  'runtime.selectgo',
  'runtime.chanrecv',
  'runtime.chanrecv1',
  'runtime.chanrecv2',
  'runtime.chansend',
  'runtime.chansend1',
  'runtime.semacquire1',
  'runtime.notifyListWait',
  'runtime.netpollblock',
  'runtime.timeSleep',
  'sync.runtime_Semacquire',
  'sync.runtime_SemacquireMutex',
  'sync.runtime_notifyListWait',
  'sync.(*WaitGroup).Wait',
  'sync.(*Cond).Wait',
  'sync.(*Mutex).lockSlow',
  'sync.(*Mutex).Lock',
  'sync.(*RWMutex).Lock',
  'sync.(*RWMutex).RLock',
  'internal/poll.runtime_pollWait',
  'internal/poll.(*pollDesc).wait',
  'internal/poll.(*pollDesc).waitRead',
  'internal/poll.(*FD).Read',
  'internal/poll.(*FD).Accept',
  'time.Sleep',
];

const WAITING = new Set(WAITING_FUNCTIONS);

/** Whether `name` is where goroutines wait (see WAITING_FUNCTIONS). */
export function isWaitingFunction(name: string): boolean {
  return WAITING.has(name);
}

const PASS_THROUGH = new Set([...NAMES, ...WAITING]);

/** Frames the attribution hint looks through for the caller responsible: helpers and waits (one lookup: fleets ask per frame). */
export function isPassThrough(name: string): boolean {
  return PASS_THROUGH.has(name);
}
