import { registerCases } from "../support/register-cases.js";
import { cases } from "./alarms-stats.cases.js";

registerCases("sampling: alarms, statistics and slots", cases);
