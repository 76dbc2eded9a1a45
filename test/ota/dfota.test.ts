import { registerCases } from "../support/register-cases.js";
import { cases } from "./dfota.cases.js";

registerCases("ota: modem firmware update (DFOTA)", cases);
