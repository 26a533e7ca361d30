// Writes schema/postmortem.schema.json from the zod schema (run after `npm run build`).
import { writeFileSync } from "node:fs";
import { configJsonSchema } from "../lib/config/schema.js";

writeFileSync(new URL("../schema/postmortem.schema.json", import.meta.url), `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
console.log("wrote schema/postmortem.schema.json");
