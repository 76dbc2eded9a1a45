import { registerCases } from "../support/register-cases.js";
import { cases } from "./parser.cases.js";

registerCases("console: parser", cases);
