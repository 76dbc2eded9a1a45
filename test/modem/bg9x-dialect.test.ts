import { registerCases } from "../support/register-cases.js";
import { cases } from "./bg9x-dialect.cases.js";

registerCases("modem BG95 dialect", cases);
