import { registerCases } from "../support/register-cases.js";
import { cases } from "./platform.cases.js";

registerCases("simulated board scenarios (also run inside XS)", cases);
