import { registerCases } from "../support/register-cases.js";
import { cases } from "./output-and-session.cases.js";

registerCases("console: output and session", cases);
