import { registerCases } from "../support/register-cases.js";
import { cases } from "./serial-target.cases.js";

registerCases("serial channel settings: config validation per protocol", cases);
