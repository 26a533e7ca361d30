import type { Catalog, Messages } from "../index.js";
import { formatting } from "./formatting.js";
import { init } from "./init.js";
import { roles } from "./roles.js";
import { validation } from "./validation.js";

/** Every catalog, for the test that renders each key in each language. Add new catalogs here. */
export const ALL_CATALOGS: Catalog<Messages>[] = [formatting as unknown as Catalog<Messages>, validation as unknown as Catalog<Messages>, roles as unknown as Catalog<Messages>, init as unknown as Catalog<Messages>];
