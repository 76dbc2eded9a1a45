import { registerCases } from "../support/register-cases.js";
import { cases } from "./session-recovery.cases.js";

registerCases("modem session: recovery", cases);
