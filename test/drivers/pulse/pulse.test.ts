import { registerCases } from "../../support/register-cases.js";
import { cases } from "./pulse.cases.js";

registerCases("pulse counting drivers", cases);
