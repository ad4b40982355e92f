/** Portable chip and pin models: the simulator's hardware, also usable under mcsim. */
export { I2CBusModel, type I2CDeviceModel } from "./i2c-bus-model.js";
export { PinBoard } from "./pin-models.js";
export { SHT3xModel, type Climate, type SHT3xFaults } from "./sht3x-model.js";
export { syntheticClimate } from "./synthetic-climate.js";
export { simulatedBoard, type SimulatedBoard } from "./simulated-board.js";
