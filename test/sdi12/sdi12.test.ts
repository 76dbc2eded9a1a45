import { registerCases } from "../support/register-cases.js";
import { cases as codec } from "./codec.cases.js";
import { cases as faults } from "./faults.cases.js";
import { cases as fuzz } from "./fuzz.cases.js";
import { cases as recorder } from "./recorder.cases.js";
import { cases as timing } from "./timing.cases.js";

registerCases("SDI-12 codec", codec);
registerCases("SDI-12 recorder against simulated sensors", recorder);
registerCases("SDI-12 timing in virtual time", timing);
registerCases("SDI-12 sensor faults", faults);
registerCases("SDI-12 decoder fuzz (short)", fuzz);
