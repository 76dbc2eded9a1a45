import { registerCases } from "../support/register-cases.js";
import { cases } from "./bootloader.cases.js";

registerCases("ota: simulated bootloader", cases);
