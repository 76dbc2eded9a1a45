import { registerCases } from "../support/register-cases.js";
import { cases } from "./ring-log.cases.js";

registerCases("ring log", cases);
