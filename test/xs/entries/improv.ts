/**
 * Guest entry: Improv serial provisioning on XS. "send" feeds bytes (an array
 * of numbers, or text) to an Improv-enabled console and returns the device
 * packets and text it wrote back; "wifi" returns the Wi-Fi config a fresh
 * service reads from the same flash.
 */
import type { XsGuest } from "../../helpers/xs.js";
import { improvRig } from "../../helpers/improv-rig.js";
import { ConfigService } from "../../../modules/config/config-service.js";

declare const xsHarness: XsGuest;

const rig = improvRig();
xsHarness.on("send", (input: number[] | string) => rig.port.send(typeof input === "string" ? input : Uint8Array.from(input)));
xsHarness.on("wifi", () => new ConfigService(rig.storage, "xs").resolved().wifi ?? null);
