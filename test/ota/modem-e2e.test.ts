import { registerCases } from "../support/register-cases.js";
import { cases } from "./modem-e2e.cases.js";

registerCases("ota: updates end to end over the simulated modem", cases);
