import { registerCases } from "../support/register-cases.js";
import { cases } from "./session-get.cases.js";

registerCases("modem session HTTPS GET", cases);
