import { registerCases } from "../support/register-cases.js";
import { cases } from "./refusals.cases.js";

registerCases("ota: refused updates", cases);
