import { registerCases } from "../support/register-cases.js";
import { cases } from "./rollback.cases.js";

registerCases("ota: rollback of images that do not confirm", cases);
