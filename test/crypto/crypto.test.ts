import { registerCases } from "../support/register-cases.js";
import { cases } from "./crypto.cases.js";

registerCases("crypto layer", cases);
