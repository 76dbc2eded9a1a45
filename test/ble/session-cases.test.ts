import { registerCases } from "../support/register-cases.js";
import { cases } from "./session.cases.js";

registerCases("BLE installer session (shared with XS)", cases);
