import { registerCases } from "../support/register-cases.js";
import { cases } from "./redact.cases.js";

registerCases("console: redact", cases);
