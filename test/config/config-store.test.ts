import { registerCases } from "../support/register-cases.js";
import { cases } from "./config-store.cases.js";

registerCases("device configuration", cases);
