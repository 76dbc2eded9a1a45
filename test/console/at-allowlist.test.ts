import { registerCases } from "../support/register-cases.js";
import { cases } from "./at-allowlist.cases.js";

registerCases("console: at allowlist", cases);
