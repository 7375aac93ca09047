import { createCapistrano } from "./capistrano.mjs";
import { createFap } from "./fap.mjs";
import { createLimit } from "./limit.mjs";
import { createShipit } from "./shipit.mjs";

/** In the order runs alternate: a b c d a b c d ... */
export const VARIANTS = { fap: createFap, capistrano: createCapistrano, shipit: createShipit, limit: createLimit };
