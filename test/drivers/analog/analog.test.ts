import { registerCases } from "../../support/register-cases.js";
import { cases } from "./analog.cases.js";

registerCases("analog input driver", cases);
