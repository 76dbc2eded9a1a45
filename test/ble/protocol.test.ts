import { registerCases } from "../support/register-cases.js";
import { cases } from "./protocol.cases.js";

registerCases("BLE session building blocks", cases);
