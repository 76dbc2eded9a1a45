import { registerCases } from "../support/register-cases.js";
import { cases } from "./sessions.cases.js";

registerCases("ota: downloads across sessions", cases);
