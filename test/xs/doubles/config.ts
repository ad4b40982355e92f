import { world } from "./world.js";

/** `mc/config`: the build's config section; the test fills it before `main()` runs. */
export default world.config;
