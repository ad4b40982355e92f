/**
 * A model of ESP-IDF's NVS (nvs_flash v2, as Moddable's `preference` uses
 * it) for the bench's wear figures: how many page erases a sequence of
 * Preference writes and deletes costs, garbage collection included. Not
 * firmware; a model, faithful in what costs erases:
 *
 * - a page holds 126 entries of 32 bytes, written one after the other;
 * - a blob is written in chunks (a header entry + data entries) into the
 *   active page's tailroom, the first chunk moving to a new page when the
 *   tailroom is under 10 % of a page's 4,000 bytes and too small for the
 *   whole blob; then a one-entry blob index; a rewritten key writes the new
 *   value, then erases the old; a delete marks the entries erased;
 * - when the active page is full and fewer than 2 pages are free, the page
 *   with the most erased entries is collected: its live items are copied
 *   into the free (reserve) page, which becomes active, and it is erased
 *   (nvs_pagemanager.cpp, requestNewPage). Every page erase counts.
 */

const ENTRIES = 126;
const CHUNK_MAX = (ENTRIES - 1) * 32;

interface Item {
  key: string;
  span: number;
}

interface Page {
  /** Entries written since the page was last erased (live or erased). */
  written: number;
  erased: number;
  live: Item[];
  erases: number;
}

/** NVS pages and their erase counts; `write` and `remove` as Preference.set and Preference.delete. */
export class NvsModel {
  readonly pages: Page[];
  #free: number[];
  #active: number;
  #items = new Map<string, { page: number; item: Item }[]>();

  /** `pageCount` pages of 4,096 bytes (0x86000 / 4,096 = 134 for hosts/esp32/partitions.csv). */
  constructor(pageCount: number) {
    this.pages = Array.from({ length: pageCount }, () => ({ written: 0, erased: 0, live: [], erases: 0 }));
    this.#free = this.pages.map((_, i) => i);
    this.#active = this.#free.shift()!;
  }

  /** Page erases so far, in all and on the most erased page. */
  get erases(): { total: number; max: number } {
    return { total: this.pages.reduce((sum, p) => sum + p.erases, 0), max: Math.max(...this.pages.map((p) => p.erases)) };
  }

  /** Preference.set of a blob of `bytes` under `key` (throws when NVS is out of space). */
  write(key: string, bytes: number): void {
    const old = this.#items.get(key);
    const placed: { page: number; item: Item }[] = [];
    let remaining = bytes;
    let chunks = 0;
    while (remaining > 0 || chunks === 0) {
      const tailroom = Math.max(0, ENTRIES - this.pages[this.#active].written - 1) * 32;
      if ((chunks === 0 && tailroom < remaining && tailroom < CHUNK_MAX / 10) || tailroom === 0) {
        this.#newPage();
        continue;
      }
      const chunk = Math.min(remaining, tailroom);
      placed.push(this.#put(key, 1 + Math.ceil(chunk / 32)));
      remaining -= chunk;
      chunks++;
    }
    if (ENTRIES - this.pages[this.#active].written < 1) this.#newPage();
    placed.push(this.#put(key, 1));
    if (old) this.#erase(old);
    this.#items.set(key, placed);
  }

  /** Preference.delete. */
  remove(key: string): void {
    const old = this.#items.get(key);
    if (!old) return;
    this.#erase(old);
    this.#items.delete(key);
  }

  #put(key: string, span: number): { page: number; item: Item } {
    const page = this.pages[this.#active];
    const item = { key, span };
    page.written += span;
    page.live.push(item);
    return { page: this.#active, item };
  }

  #erase(placed: { page: number; item: Item }[]): void {
    for (const { page, item } of placed) {
      const p = this.pages[page];
      const at = p.live.indexOf(item);
      if (at < 0) continue;
      p.live.splice(at, 1);
      p.erased += item.span;
    }
  }

  #newPage(): void {
    if (this.#free.length >= 2) {
      this.#active = this.#free.shift()!;
      return;
    }
    let victim = -1;
    let most = 0;
    this.pages.forEach((p, i) => {
      if (this.#free.includes(i)) return;
      const unused = ENTRIES - (p.written - p.erased);
      if (unused > most) { most = unused; victim = i; }
    });
    if (victim < 0) throw new Error("NVS: not enough space");
    this.#active = this.#free.shift()!;
    const old = this.pages[victim];
    // Copy the live items into the new active page, then erase the victim.
    for (const item of old.live) {
      const entries = this.#items.get(item.key)!;
      const moved = this.#put(item.key, item.span);
      const at = entries.findIndex((e) => e.item === item);
      entries[at] = moved;
    }
    old.written = 0;
    old.erased = 0;
    old.live = [];
    old.erases++;
    this.#free.push(victim);
  }
}
