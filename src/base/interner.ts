/** Gives each distinct string one id, in first-seen order: `values[id]` is the string. */
export class Interner {
  readonly values: string[] = [];
  private readonly ids = new Map<string, number>();

  /** `initial` takes ids 0, 1, … first (a profile's string table starts with ''). */
  constructor(initial: readonly string[] = []) {
    for (const s of initial) this.id(s);
  }

  id(text: string): number {
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(text, id);
      this.values.push(text);
    }
    return id;
  }
}
