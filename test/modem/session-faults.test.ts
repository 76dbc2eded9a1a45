import { registerCases } from "../support/register-cases.js";
import { cases } from "./session-faults.cases.js";

registerCases("modem session: network faults", cases);
