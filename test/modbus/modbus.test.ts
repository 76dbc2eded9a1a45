import { registerCases } from "../support/register-cases.js";
import { cases as codec } from "./codec.cases.js";
import { cases as fuzz } from "./fuzz.cases.js";
import { cases as master } from "./master.cases.js";

registerCases("Modbus RTU codec", codec);
registerCases("Modbus RTU master against the simulated meter", master);
registerCases("Modbus RTU decoder fuzz (short)", fuzz);
