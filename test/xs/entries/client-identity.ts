/** Guest entry: the client certificate/key check (base64, DER) on XS. "check" returns checkClientIdentity's result. */
import type { XsGuest } from "../../helpers/xs.js";
import { checkClientIdentity } from "../../../modules/mqtt/client-identity.js";

declare const xsHarness: XsGuest;

xsHarness.on("check", ([cert, key]: [string, string]) => checkClientIdentity(cert, key));
