/** Guest entry that fails while the bundle is evaluated, as firmware reaching for a Node global would. */
const g = globalThis as Record<string, any>;

function encodeName(name: string): Uint8Array {
  return new g.TextEncoder().encode(name);
}

encodeName("fieldnode");
