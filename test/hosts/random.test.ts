import { registerCases } from "../support/register-cases.js";
import { cases } from "./random.cases.js";

registerCases("board random source (HMAC_DRBG over the hardware RNG)", cases);
