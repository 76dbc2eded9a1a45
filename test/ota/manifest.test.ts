import { registerCases } from "../support/register-cases.js";
import { cases } from "./manifest.cases.js";

registerCases("ota: manifest and notice formats", cases);
