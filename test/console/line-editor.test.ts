import { registerCases } from "../support/register-cases.js";
import { cases } from "./line-editor.cases.js";

registerCases("console: line editor", cases);
