import { registerCases } from "../support/register-cases.js";
import { cases } from "./channel-config.cases.js";

registerCases("channel configuration", cases);
