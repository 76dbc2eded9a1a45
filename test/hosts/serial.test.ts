import { registerCases } from "../support/register-cases.js";
import { cases as bridge } from "./bridge-serial.cases.js";
import { cases as native } from "./native-serial.cases.js";

registerCases("board serial over Moddable's native UART", native);
registerCases("board serial over an SC16IS752 bridge channel", bridge);
