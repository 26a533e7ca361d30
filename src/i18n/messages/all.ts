import type { Catalog, Messages } from "../index.js";
import { formatting } from "./formatting.js";
import { levels } from "./levels.js";

/** Every catalog, for the test that renders each key in each language. Add new catalogs here. */
export const ALL_CATALOGS: Catalog<Messages>[] = [formatting as unknown as Catalog<Messages>, levels as unknown as Catalog<Messages>];
