#!/usr/bin/env node
// The simulator and host tools are TypeScript; tsx compiles them on the fly so that a fresh
// clone needs no build step between `npm install` and `npm start`.
import { register } from "tsx/esm/api";

register();
await import("../hosts/sim/node/cli.ts");
