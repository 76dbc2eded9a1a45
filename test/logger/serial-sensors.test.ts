import { registerCases } from "../support/register-cases.js";
import { cases } from "./serial-sensors.cases.js";

registerCases("serial sensor buses at run time: scan, port changes, lifetime", cases);
