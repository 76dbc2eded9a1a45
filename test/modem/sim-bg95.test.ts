import { registerCases } from "../support/register-cases.js";
import { cases } from "./sim-bg95.cases.js";

registerCases("simulated BG95", cases);
