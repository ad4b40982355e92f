import type { BoardDefinition } from "./board-definition.js";
import { ESP32_DEVKITC } from "./esp32-devkitc.js";
import { ESP32S3_DEVKITC } from "./esp32s3-devkitc.js";

/** Every supported board; another board is one more file and one more entry here. */
export const BOARDS: readonly BoardDefinition[] = Object.freeze([ESP32_DEVKITC, ESP32S3_DEVKITC]);

/** The board named `name` (as `fieldnode.board` in the manifest), or undefined. */
export function boardByName(name: string): BoardDefinition | undefined {
  return BOARDS.find((board) => board.name === name);
}
