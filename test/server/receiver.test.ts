import { registerCases } from "../support/register-cases.js";
import { cases } from "./receiver.cases.js";

registerCases("server receiver", cases);
