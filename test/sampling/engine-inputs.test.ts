import { registerCases } from "../support/register-cases.js";
import { cases } from "./engine-inputs.cases.js";

registerCases("sampling engine: simulated sources against ground truth", cases);
