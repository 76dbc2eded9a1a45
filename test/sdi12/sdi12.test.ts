import { registerCases } from "../support/register-cases.js";
import { cases as codec } from "./codec.cases.js";

registerCases("SDI-12 codec", codec);
import { cases as recorder } from "./recorder.cases.js";

registerCases("SDI-12 recorder against simulated sensors", recorder);
import { cases as timing } from "./timing.cases.js";

registerCases("SDI-12 timing in virtual time", timing);
import { cases as faults } from "./faults.cases.js";

registerCases("SDI-12 sensor faults", faults);
import { cases as fuzz } from "./fuzz.cases.js";

registerCases("SDI-12 decoder fuzz (short)", fuzz);
