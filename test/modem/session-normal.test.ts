import { registerCases } from "../support/register-cases.js";
import { cases } from "./session-normal.cases.js";

registerCases("modem session: normal operation", cases);
