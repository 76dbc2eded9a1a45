import { registerCases } from "../support/register-cases.js";
import { cases } from "./console.cases.js";

registerCases("console: end to end", cases);
