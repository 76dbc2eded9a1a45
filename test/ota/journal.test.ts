import { registerCases } from "../support/register-cases.js";
import { cases } from "./journal.cases.js";

registerCases("ota: journal", cases);
