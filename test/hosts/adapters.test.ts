import { registerCases } from "../support/register-cases.js";
import { cases as ble } from "./ble-session.cases.js";
import { cases as chip } from "./chip.cases.js";
import { cases as inputs } from "./inputs.cases.js";
import { cases as storage } from "./storage.cases.js";
import { cases as time } from "./time.cases.js";

registerCases("board flash and key-value adapters", storage);
registerCases("board clock, timers and restart mark", time);
registerCases("board pulse counter and health sensors", inputs);
registerCases("board BLE session", ble);
registerCases("chip reset reasons and UART framing", chip);
