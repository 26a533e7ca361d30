import type { Catalog, Messages } from "../index.js";
import { formatting } from "./formatting.js";
import { digest } from "./digest.js";
import { pullRequests } from "./pull-requests.js";
import { similar } from "./similar.js";

/** Every catalog, for the test that renders each key in each language. Add new catalogs here. */
export const ALL_CATALOGS: Catalog<Messages>[] = [formatting as unknown as Catalog<Messages>, similar as unknown as Catalog<Messages>, pullRequests as unknown as Catalog<Messages>, digest as unknown as Catalog<Messages>];
