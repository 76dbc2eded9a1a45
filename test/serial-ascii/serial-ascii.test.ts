import { registerCases } from "../support/register-cases.js";
import { cases } from "./ascii.cases.js";

registerCases("RS232 line sensors", cases);
