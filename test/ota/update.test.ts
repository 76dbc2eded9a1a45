import { registerCases } from "../support/register-cases.js";
import { cases } from "./update.cases.js";

registerCases("ota: logger update end to end", cases);
