import { createCapistrano } from "./capistrano.mjs";
import { createFap } from "./fap.mjs";
import { createLimit, createPhasedLimit } from "./limit.mjs";
import { createShipit } from "./shipit.mjs";

/** In the order runs alternate: a b c d e a b c d e ... */
export const VARIANTS = { fap: createFap, capistrano: createCapistrano, shipit: createShipit, limit: createLimit, phased: createPhasedLimit };
