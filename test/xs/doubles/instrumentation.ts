/** `instrumentation` (Moddable SDK): one instrument, "System Free Memory". */
const Instrumentation = {
  map(name: string): number {
    if (name !== "System Free Memory") throw new Error(`no instrument ${name}`);
    return 1;
  },
  get(index: number | undefined): number | undefined {
    return index === 1 ? 151_000 : 0;
  },
} satisfies Pick<typeof import("instrumentation").default, "map" | "get">;
export default Instrumentation;
