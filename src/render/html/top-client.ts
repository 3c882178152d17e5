/**
 * The `top` page's script. It runs in the browser from its own source text (see htmlPage), so it
 * must stay self-contained: no imports, nothing from the module around it.
 */
export function topClient(): void {
  interface Flame {
    kind: 'diff' | 'profile';
    names: string[];
    labels: string[];
    name: number[];
    kids: number[];
    base: number[];
    current: number[];
    extent: number[];
    growth: number[];
    merged: number[];
    fields: string[];
    text: number[];
  }
  /** The peek of each table row (render/html/peek-data.ts): label ids; an edge is [name, calls, calls%, inline]. */
  interface Peek {
    headers: Record<'flat' | 'flatPercent' | 'cum' | 'cumPercent' | 'calls' | 'callsPercent', string>;
    names: string[];
    labels: string[];
    rows: Array<{ self: number[]; callers: number[][]; callees: number[][] } | null>;
  }
  /** Row height, narrowest box drawn, and narrowest box labelled (and put in the tab order), in px. */
  const ROW = 18;
  const MIN_PX = 1;
  const LABEL_PX = 28;

  const byId = (id: string) => document.getElementById(id);
  const data = JSON.parse(byId('heapdiff-data')!.textContent!) as { flame: Flame; peek: Peek | null };
  const flame = data.flame;
  const diff = flame.kind === 'diff';
  const fields = flame.fields.length;
  const count = flame.name.length;

  // The tree comes in pre-order with child counts.
  const parent = new Int32Array(count).fill(-1);
  const children: number[][] = [];
  const open: Array<[number, number]> = [];
  for (let i = 0; i < count; i++) {
    children.push([]);
    while (open.length > 0 && open[open.length - 1]![1] === 0) open.pop();
    const top = open[open.length - 1];
    if (top) {
      top[1]--;
      parent[i] = top[0];
      children[top[0]]!.push(i);
    }
    open.push([i, flame.kids[i]!]);
  }

  // Labels by the id of their column in view/flame.ts; an id this script does not know reads ''.
  const label = (i: number, id: string) => {
    const field = flame.fields.indexOf(id);
    return field < 0 ? '' : flame.labels[flame.text[i * fields + field]!]!;
  };
  const merged = (i: number) => flame.merged[i]! > 0;
  const nameOf = (i: number) =>
    i === 0 ? 'all' : merged(i) ? `${flame.merged[i]} smaller callee${flame.merged[i] === 1 ? '' : 's'}` : flame.names[flame.name[i]!]!;
  const delta = (i: number) => (diff ? flame.current[i]! - flame.base[i]! : 0);
  const status = (i: number) => (!diff || merged(i) ? '' : flame.base[i] === 0 && flame.current[i]! > 0 ? 'new' : flame.current[i] === 0 && flame.base[i]! > 0 ? 'gone' : '');
  let maxDelta = 0;
  for (let i = 1; i < count; i++) maxDelta = Math.max(maxDelta, Math.abs(delta(i)));

  const icicle = byId('icicle')!;
  const detail = byId('detail')!;
  const crumbs = byId('crumbs')!;
  const search = byId('search') as HTMLInputElement;
  const matches = byId('matches')!;
  let zoom = 0;
  let mode = 'extent';
  let query = '';
  const width = (i: number) => (mode === 'growth' ? flame.growth[i]! : flame.extent[i]!);
  const matchesQuery = (i: number) => query !== '' && i > 0 && !merged(i) && nameOf(i).toLowerCase().includes(query);

  /** Red for growth, blue for shrinkage, deeper with the change; text flips to white on dark ground. */
  function colours(i: number): [string, string] {
    if (!diff) return ['hsl(38 60% 80%)', '#1a1a1a'];
    const d = delta(i);
    if (d === 0 || maxDelta === 0) return ['#e4e4e4', '#1a1a1a'];
    const t = Math.sqrt(Math.min(1, Math.abs(d) / maxDelta));
    const hue = d > 0 ? '355 70%' : '212 65%';
    // Two bands keep text contrast above 4.5:1: light ground with dark text, dark ground with white.
    if (t <= 0.5) return [`hsl(${hue} ${94 - t * 60}%)`, '#1a1a1a'];
    return [`hsl(${hue} ${45 - (t - 0.5) * 30}%)`, '#fff'];
  }

  function draw(): void {
    const total = width(zoom);
    const scale = total > 0 ? icicle.clientWidth / total : 0;
    const boxes = document.createDocumentFragment();
    let rows = 1;
    // Boxes in pre-order from an explicit stack: call paths can be deeper than the browser's call stack.
    for (const pending: Array<[number, number, number]> = [[zoom, 0, 0]]; pending.length > 0; ) {
      const [i, x, row] = pending.pop()!;
      const px = width(i) * scale;
      if (px < MIN_PX) continue;
      rows = Math.max(rows, row + 1);
      const box = document.createElement('div');
      const [ground, ink] = colours(i);
      box.className = ['box', status(i), merged(i) ? 'other' : '', matchesQuery(i) ? 'match' : ''].filter(Boolean).join(' ');
      box.dataset['i'] = String(i);
      box.setAttribute('role', 'button');
      box.setAttribute('aria-label', nameOf(i));
      box.style.cssText = `left:${x}px;top:${row * ROW}px;width:${Math.max(px - 1, 1)}px;background-color:${ground};color:${ink}`;
      box.tabIndex = px >= LABEL_PX ? 0 : -1;
      if (px >= LABEL_PX) box.textContent = nameOf(i);
      boxes.appendChild(box);
      const placed: Array<[number, number, number]> = [];
      let next = x;
      for (const child of children[i]!) {
        placed.push([child, next, row + 1]);
        next += width(child) * scale;
      }
      for (let k = placed.length - 1; k >= 0; k--) pending.push(placed[k]!);
    }
    icicle.replaceChildren(boxes);
    icicle.style.height = `${rows * ROW}px`;
    drawCrumbs();
  }

  function drawCrumbs(): void {
    const path: number[] = [];
    for (let i = zoom; i >= 0; i = parent[i]!) path.unshift(i);
    const items: Node[] = [];
    path.forEach((i, k) => {
      if (k > 0) items.push(Object.assign(document.createElement('span'), { className: 'sep', textContent: '›' }));
      const button = Object.assign(document.createElement('button'), { type: 'button', textContent: nameOf(i), title: nameOf(i) });
      if (i === zoom) button.setAttribute('aria-current', 'true');
      button.addEventListener('click', () => zoomTo(i, false));
      items.push(button);
    });
    crumbs.replaceChildren(...items);
  }

  const ofBase = (percent: string) => (percent && percent !== 'new' ? `${percent} of its base` : percent);

  function show(i: number): void {
    const head = document.createElement('div');
    head.className = 'name';
    head.textContent = nameOf(i);
    const tag = status(i) || (merged(i) ? 'merged' : '');
    if (tag) head.appendChild(Object.assign(document.createElement('span'), { className: 'tag', textContent: tag }));
    const rows = diff
      ? [
          ['total', `${label(i, 'baseTotal')} → ${label(i, 'currentTotal')}`, `Δ ${label(i, 'deltaTotal')}`, ofBase(label(i, 'deltaPercent'))],
          ['self', `${label(i, 'baseSelf')} → ${label(i, 'currentSelf')}`, `Δ ${label(i, 'deltaSelf')}`, ''],
        ]
      : [
          ['total', label(i, 'total'), `${label(i, 'totalPercent')} of the profile`, ''],
          ['self', label(i, 'self'), `${label(i, 'selfPercent')} of the profile`, ''],
        ];
    const table = document.createElement('table');
    for (const cells of merged(i) ? rows.slice(0, 1) : rows) {
      const tr = table.insertRow();
      cells.forEach((text, c) => {
        const td = tr.insertCell();
        td.textContent = text;
        if (c === 2 && diff) td.className = text.startsWith('Δ +') ? 'grew' : text.startsWith('Δ -') ? 'shrank' : '';
      });
    }
    detail.replaceChildren(head, table);
  }

  function zoomTo(i: number, focus: boolean): void {
    zoom = i;
    draw();
    show(i);
    if (focus) (icicle.querySelector(`[data-i="${i}"]`) as HTMLElement | null)?.focus();
  }

  const boxOf = (target: EventTarget | null) => {
    const box = (target as Element | null)?.closest?.('.box') as HTMLElement | null;
    return box ? Number(box.dataset['i']) : -1;
  };
  icicle.addEventListener('mouseover', (e) => {
    const i = boxOf(e.target);
    if (i >= 0) show(i);
  });
  icicle.addEventListener('focusin', (e) => {
    const i = boxOf(e.target);
    if (i >= 0) show(i);
  });
  // Clicking the top box zooms out a level; any other box zooms in to it.
  const activate = (i: number, focus: boolean) => zoomTo(i === zoom && i > 0 ? parent[i]! : i, focus);
  icicle.addEventListener('click', (e) => {
    const i = boxOf(e.target);
    if (i >= 0) activate(i, false);
  });
  icicle.addEventListener('keydown', (e) => {
    const i = boxOf(e.target);
    if (i < 0 || (e.key !== 'Enter' && e.key !== ' ')) return;
    e.preventDefault();
    activate(i, true);
  });

  function runSearch(): void {
    query = search.value.trim().toLowerCase();
    let found = 0;
    for (let i = 1; i < count; i++) if (matchesQuery(i)) found++;
    matches.textContent = query === '' ? '' : `${found} box${found === 1 ? '' : 'es'} match`;
    icicle.classList.toggle('searching', query !== '');
    draw();
  }
  search.addEventListener('input', runSearch);

  for (const radio of Array.from(document.querySelectorAll<HTMLInputElement>('input[name="width"]'))) {
    radio.addEventListener('change', () => {
      mode = radio.value;
      if (width(zoom) === 0) zoom = 0;
      zoomTo(zoom, false);
    });
  }

  let pending = false;
  window.addEventListener('resize', () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      draw();
    });
  });

  // The table: header buttons sort, rows find their function in the graph.
  const table = byId('top-table') as HTMLTableElement | null;
  if (table) {
    const body = table.tBodies[0]!;
    let key = table.dataset['sort']!;
    let direction = -1;
    const sortBy = (next: string, nextDirection: number) => {
      key = next;
      direction = nextDirection;
      const rows = Array.from(body.rows);
      const value = (row: HTMLTableRowElement) => row.dataset[key]!;
      rows.sort((a, b) => {
        const order = key === 'name' ? (value(a) < value(b) ? -1 : value(a) > value(b) ? 1 : 0) : Number(value(a)) - Number(value(b));
        return order * direction || Number(a.dataset['order']) - Number(b.dataset['order']);
      });
      body.append(...rows);
      for (const button of Array.from(table.querySelectorAll<HTMLButtonElement>('button.sort'))) {
        const active = button.dataset['sort'] === key;
        button.setAttribute('aria-pressed', String(active));
        button.classList.toggle('ascending', active && direction > 0);
      }
      for (const th of Array.from(table.tHead!.rows[0]!.cells)) {
        const active = th.querySelector(`button[data-sort="${key}"]`) !== null;
        if (active) th.setAttribute('aria-sort', direction > 0 ? 'ascending' : 'descending');
        else th.removeAttribute('aria-sort');
      }
    };
    for (const button of Array.from(table.querySelectorAll<HTMLButtonElement>('button.sort'))) {
      // Numbers sort largest first, names A to Z; a second click turns the order round.
      button.addEventListener('click', () => {
        const next = button.dataset['sort']!;
        sortBy(next, next === key ? -direction : next === 'name' ? 1 : -1);
      });
    }
    sortBy(key, -1);
    // A selected row finds its function in the graph and shows its callers and callees.
    const select = (row: HTMLTableRowElement | null) => {
      if (!row || !row.dataset['fn']) return;
      for (const other of Array.from(body.rows)) other.removeAttribute('aria-current');
      row.setAttribute('aria-current', 'true');
      search.value = row.dataset['fn'];
      runSearch();
      showPeek(Number(row.dataset['order']));
    };
    body.addEventListener('click', (e) => select((e.target as Element).closest('tr')));
    body.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' && e.key !== ' ') return;
      e.preventDefault();
      select((e.target as Element).closest('tr'));
    });
  }

  /** The peek view of table row `order`: its own flat and cum, then a table each of callers and callees. */
  function showPeek(order: number): void {
    const pane = byId('peek');
    const peek = data.peek;
    if (!pane || !peek) return;
    const entry = peek.rows[order];
    const text = (tag: string, className: string, content: string) => Object.assign(document.createElement(tag), { className, textContent: content });
    const title = pane.querySelector('h2')!;
    if (!entry) {
      pane.replaceChildren(title, text('p', 'note', 'Its function did not change: no edges to show.'));
      return;
    }
    const label = (id: number) => peek.labels[id]!;
    const [name, flat, flatPercent, cum, cumPercent] = entry.self;
    const h = peek.headers;
    const own = text('p', 'own', `${h.flat} ${label(flat!)}${label(flatPercent!) ? ` (${label(flatPercent!)})` : ''} · ${h.cum} ${label(cum!)}${label(cumPercent!) ? ` (${label(cumPercent!)})` : ''}`);
    const edges = (kind: 'callers' | 'callees', arrow: string, list: number[][]) => {
      const heading = text('h3', '', `${kind === 'callers' ? 'Callers' : 'Callees'} (${list.length})`);
      if (list.length === 0) return [heading, text('p', 'note', kind === 'callers' ? 'none: it is a root of the call paths' : 'none: it calls nothing that holds memory')];
      const table = document.createElement('table');
      table.className = kind;
      const head = table.createTHead().insertRow();
      for (const [title, num] of [[h.calls, true], [h.callsPercent, true], [kind === 'callers' ? '← caller' : '→ callee', false]] as const) {
        const th = document.createElement('th');
        th.scope = 'col';
        th.textContent = title;
        if (num) th.className = 'num';
        head.appendChild(th);
      }
      const tbody = table.createTBody();
      for (const [other, calls, share, inline] of list) {
        const tr = tbody.insertRow();
        const change = label(calls!);
        tr.appendChild(text('td', `num${diff ? (change.startsWith('+') ? ' grew' : change.startsWith('-') ? ' shrank' : '') : ''}`, change));
        tr.appendChild(text('td', 'num', label(share!)));
        tr.appendChild(text('td', 'site', `${arrow} ${peek.names[other!]}${inline ? ' (inline)' : ''}`));
      }
      return [heading, table];
    };
    pane.replaceChildren(title, text('p', 'name', peek.names[name!]!), own, ...edges('callers', '←', entry.callers), ...edges('callees', '→', entry.callees));
    pane.scrollIntoView({ block: 'nearest' });
  }

  draw();
  show(0);
}
