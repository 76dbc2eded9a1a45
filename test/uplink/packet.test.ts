import { registerCases } from "../support/register-cases.js";
import { cases } from "./packet.cases.js";

registerCases("uplink packet", cases);
