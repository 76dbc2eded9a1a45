import { registerCases } from "../support/register-cases.js";
import { cases } from "./time-config.cases.js";

registerCases("uplink clock keeping and configuration changes", cases);
