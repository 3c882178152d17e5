/**
 * The only way heapdiff builds SQL: the `sql` tag. Each interpolated value goes through `quote`
 * (strings, numbers) or is a checked identifier or SQL already built by the tag, so no value from
 * a user, a profile or a file path can become SQL by concatenation. Debian's ClickHouse 18.16 has
 * no query parameters ("Unknown setting param_x"), hence quoting rather than binding.
 */

/** SQL text built by `sql` (or by joining such text); nothing else is accepted as a fragment. */
export class Sql {
  readonly text: string;
  private constructor(text: string) {
    this.text = text;
  }
  /** @internal For `sql` and `joinSql` only. */
  static trusted(text: string): Sql {
    return new Sql(text);
  }
  toString(): string {
    return this.text;
  }
}

/** A database, table or cluster name: letters, digits and `_`, not starting with a digit. */
export class Identifier {
  readonly name: string;
  constructor(name: string, what = 'name') {
    if (!IDENTIFIER.test(name)) {
      throw new Error(`${what} ${JSON.stringify(name)} is not a plain SQL name (letters, digits and _, not starting with a digit)`);
    }
    this.name = name;
  }
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,126}$/;

export type SqlValue = string | number | bigint | Sql | Identifier | readonly SqlValue[];

/**
 * A string or number as a ClickHouse literal. Inside '…' a backslash starts an escape and a quote
 * ends the literal, so exactly those two are escaped; every other character, NUL and newlines
 * included, stands for itself. Numbers must be finite.
 */
export function quote(value: string | number | bigint): string {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} as a SQL number`);
    // JavaScript's shortest round-trip form (1.5, 1e+21, 1e-7) is also a ClickHouse number.
    return String(value);
  }
  return `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

function render(value: SqlValue): string {
  if (value instanceof Sql) return value.text;
  if (value instanceof Identifier) return value.name;
  if (Array.isArray(value)) return `[${value.map(render).join(', ')}]`;
  return quote(value as string | number | bigint);
}

export function sql(strings: TemplateStringsArray, ...values: readonly SqlValue[]): Sql {
  let text = strings[0]!;
  values.forEach((value, i) => {
    text += render(value) + strings[i + 1]!;
  });
  return Sql.trusted(text);
}

/** Values as a parenthesised list, for `x IN (…)` (which, unlike has([…], x), uses the table's key). */
export function inList(values: readonly (string | number | bigint)[]): Sql {
  if (values.length === 0) throw new Error('an IN list needs at least one value');
  return Sql.trusted(`(${values.map((v) => quote(v)).join(', ')})`);
}

export function joinSql(parts: readonly Sql[], separator: ', ' | ' AND ' | ' OR ' | '\n'): Sql {
  return Sql.trusted(parts.map((p) => p.text).join(separator));
}
