import { registerCases } from "../support/register-cases.js";
import { cases } from "./at-engine.cases.js";

registerCases("modem AT engine", cases);
