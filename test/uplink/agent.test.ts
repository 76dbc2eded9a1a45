import { registerCases } from "../support/register-cases.js";
import { cases } from "./agent.cases.js";

registerCases("uplink agent in the simulated world", cases);
