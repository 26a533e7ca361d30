import type { Catalog, Messages } from "../index.js";
import { actionItemMessages } from "./action-items.js";
import { formatting } from "./formatting.js";
import { digest } from "./digest.js";
import { init } from "./init.js";
import { levels } from "./levels.js";
import { pullRequests } from "./pull-requests.js";
import { roles } from "./roles.js";
import { security } from "./security.js";
import { similar } from "./similar.js";
import { timestampMessages } from "./timestamps.js";
import { validation } from "./validation.js";

/** Every catalog, for the test that renders each key in each language. Add new catalogs here. */
export const ALL_CATALOGS: Catalog<Messages>[] = [formatting, timestampMessages, actionItemMessages, validation, roles, init, security, similar, pullRequests, digest, levels] as unknown as Catalog<Messages>[];
