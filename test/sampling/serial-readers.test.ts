import { registerCases } from "../support/register-cases.js";
import { cases } from "./serial-readers.cases.js";

registerCases("serial channels sampled through their drivers", cases);
