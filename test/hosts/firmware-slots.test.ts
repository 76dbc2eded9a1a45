import { registerCases } from "../support/register-cases.js";
import { cases as agent } from "./esp-slots-agent.cases.js";
import { cases as formats } from "./esp-ota-formats.cases.js";
import { cases as slots } from "./esp-slots.cases.js";

registerCases("ESP32 firmware slots: images, identity, trial record, boot decisions", formats);
registerCases("ESP32 firmware slots over a model of ESP-IDF's app rollback", slots);
registerCases("ESP32 firmware slots: the updater over them", agent);
