import { registerCases } from "../support/register-cases.js";
import { cases } from "./session-dfota.cases.js";

registerCases("modem session DFOTA (modem firmware update)", cases);
