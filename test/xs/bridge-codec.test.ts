import { registerCases } from "../support/register-cases.js";
import { cases } from "./bridge-codec.cases.js";

registerCases("XS bridge messages (also run inside XS)", cases);
