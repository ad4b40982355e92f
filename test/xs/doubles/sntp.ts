import { world } from "./world.js";

/** `sntp` (Moddable SDK): records the host asked; never answers (the wall clock stays unset). */
export default class SNTP {
  static readonly time = 1;
  static readonly retry = 2;
  static readonly error = -1;
  constructor(dictionary: { host: string }, _onNotify: (message: number, value?: number) => void) {
    world.sntp.push({ host: dictionary.host });
  }
  close(): void {}
}
