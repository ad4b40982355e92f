/** Portable chip and pin models: the simulator's hardware, also usable under mcsim. */
export { ADS1115Model, type ADS1115Faults } from "./ads1115-model.js";
export { ContactModel, type ContactFaults } from "./contact-model.js";
export { I2CBusModel, type I2CDeviceModel } from "./i2c-bus-model.js";
export { MAX31855Model, type MAX31855Faults, type ThermocoupleState } from "./max31855-model.js";
export { PinBoard } from "./pin-models.js";
export { placeADS1115, placeContact, placeMAX31855, placePulseMeter, placeTransmitter } from "./placement.js";
export { PulseCountBoard, PulseSource, type PulseFaults } from "./pulse-models.js";
export { SHT3xModel, type Climate, type SHT3xFaults } from "./sht3x-model.js";
export { SPIBusModel, type SPIDeviceModel } from "./spi-bus-model.js";
export { BME280Model, TYPICAL_BME280_CALIBRATION, type Air, type BME280Faults } from "./bme280-model.js";
export { syntheticClimate } from "./synthetic-climate.js";
export { simulatedBoard, type SimulatedBoard } from "./simulated-board.js";
export { TransmitterModel, type TransmitterFaults, type TransmitterWiring } from "./transmitter-model.js";
