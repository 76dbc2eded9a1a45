import { registerCases } from "../support/register-cases.js";
import { cases } from "./engine-schedule.cases.js";

registerCases("sampling engine: schedules, rails, readers, clock", cases);
