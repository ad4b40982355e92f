/**
 * Gives the typed-array constructors their `name` where the XS linker left
 * it undefined. In Moddable builds (`xsl`, mcsim and ESP32 alike) built-in
 * constructors have no `name` property, and cbor-x's decode.js reads
 * `TypedArray.name.slice(...)` when it loads, which throws and aborts the
 * machine. Built-ins are frozen once preloading ends, so this module must be
 * preloaded (manifest.json lists it first); at run time it changes nothing.
 */
const TYPED_ARRAYS: ReadonlyArray<readonly [Function, string]> = [
  [Uint8Array, "Uint8Array"],
  [Uint8ClampedArray, "Uint8ClampedArray"],
  [Uint16Array, "Uint16Array"],
  [Uint32Array, "Uint32Array"],
  [BigUint64Array, "BigUint64Array"],
  [Int8Array, "Int8Array"],
  [Int16Array, "Int16Array"],
  [Int32Array, "Int32Array"],
  [BigInt64Array, "BigInt64Array"],
  [Float32Array, "Float32Array"],
  [Float64Array, "Float64Array"],
];

for (const [constructor, name] of TYPED_ARRAYS) {
  if (typeof constructor.name === "string" && constructor.name !== "") continue;
  try {
    Object.defineProperty(constructor, "name", { value: name, configurable: true });
  } catch {
    // Frozen already (this module was not preloaded): nothing more can be done here.
  }
}

/** True when every typed-array constructor has its name (what cbor-x needs). */
export const builtinNamesReady: boolean = TYPED_ARRAYS.every(([constructor]) => typeof constructor.name === "string" && constructor.name !== "");
