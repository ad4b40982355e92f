import { world } from "./world.js";

type Value = ArrayBuffer | string | number | boolean;

const domainOf = (domain: string) => {
  let map = world.preferences.get(domain);
  if (!map) world.preferences.set(domain, (map = new Map()));
  return map;
};

/** `preference` (Moddable SDK, NVS): get, set, delete, keys per domain; values are copied as NVS stores them. */
const Preference = {
  get(domain: string, key: string): Value | undefined {
    const value = domainOf(domain).get(key);
    return value instanceof ArrayBuffer ? value.slice(0) : value;
  },
  set(domain: string, key: string, value: Value): void {
    if (key.length > 15 || domain.length > 15) throw new Error("key too long");
    domainOf(domain).set(key, value instanceof ArrayBuffer ? value.slice(0) : value);
  },
  delete(domain: string, key: string): void {
    domainOf(domain).delete(key);
  },
  keys(domain: string): string[] {
    return [...domainOf(domain).keys()];
  },
} satisfies Pick<typeof import("preference").default, "get" | "set" | "delete" | "keys">;
export default Preference;
