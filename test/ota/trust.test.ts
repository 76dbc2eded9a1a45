import { registerCases } from "../support/register-cases.js";
import { cases } from "./trust.cases.js";

registerCases("ota: manifest signatures and trusted keys", cases);
