import { registerCases } from "../../support/register-cases.js";
import { cases } from "./digital.cases.js";

registerCases("digital input and output drivers", cases);
