/**
 * The steps of an SDI-12 measurement: start it (aM!, aC!, aV!, aHA!), wait for the service
 * request or the announced time, then page through aD0!, aD1!, ... until every announced value
 * is in. aRn! reads values at once. Each step is one retried transaction.
 */
import { SensorFault } from "../../modules/records/sample.js";
import { type Outcome, failure } from "../serial-port/measure-result.js";
import { type MeasurementRequest, dataCommand, dataHasCrc, measurementCommand } from "./commands.js";
import {
  type MeasurementHeader, maxValuesCharacters, parseAddressReply, parseDataResponse, parseMeasurementHeader, responseText,
} from "./responses.js";
import { type RetryPolicy, type TransactionContext, transact } from "./transaction.js";

export interface MeasurementContext extends TransactionContext {
  policy: RetryPolicy;
  /** A line that is not the awaited service request. */
  onUnexpectedLine(): void;
}

/** Sends aM!/aC!/aV!/aHA! and reads the atttn header. */
export function startMeasurement(context: MeasurementContext, request: MeasurementRequest, done: (outcome: Outcome<MeasurementHeader>) => void): void {
  const command = measurementCommand(request);
  transact(context, {
    command,
    address: request.address,
    parse: (text) => parseMeasurementHeader(text, request.address, request.kind),
    policy: context.policy,
  }, (outcome) => {
    if (outcome.ok && outcome.value.count === 0) {
      done(failure(SensorFault.SensorError, `${command}: the sensor has no values for this measurement`));
      return;
    }
    done(outcome);
  });
}

/** aR0!..aR9! (aRC0!..): the values at once. */
export function readContinuous(context: MeasurementContext, request: MeasurementRequest, done: (outcome: Outcome<number[]>) => void): void {
  const command = measurementCommand(request);
  transact(context, {
    command,
    address: request.address,
    parse: (text) => parseDataResponse(text, request.address, dataHasCrc(request), maxValuesCharacters("R")),
    policy: context.policy,
  }, (outcome) => {
    if (outcome.ok && outcome.value.length === 0) {
      done(failure(SensorFault.SensorError, `${command}: the sensor cannot measure continuously`));
      return;
    }
    done(outcome);
  });
}

/**
 * Listens for the service request `a<CR><LF>` for at most `seconds`; reports whether it came
 * (then aD0! may follow without a break) or the time ran out.
 */
export function awaitServiceRequest(context: MeasurementContext, address: string, seconds: number, done: (requested: boolean) => void): void {
  const deadline = context.clock.monotonic() + seconds * 1000;
  const listen = () => {
    const remaining = deadline - context.clock.monotonic();
    if (remaining <= 0) {
      done(false);
      return;
    }
    context.link.listen(remaining, (result) => {
      if (result.kind === "silent") {
        done(false);
        return;
      }
      if (result.kind === "line") {
        const text = responseText(result.bytes);
        if (text.ok && parseAddressReply(text.value, address).ok) {
          done(true);
          return;
        }
      }
      context.onUnexpectedLine();
      listen();
    });
  };
  listen();
}

/** aD0!, aD1!, ... until `count` values are in; a page with no values means the sensor aborted. */
export function collectData(context: MeasurementContext, request: MeasurementRequest, count: number, done: (outcome: Outcome<number[]>) => void): void {
  const values: number[] = [];
  const lastPage = request.kind === "HA" ? 999 : 9;
  const withCrc = dataHasCrc(request);
  const maxCharacters = maxValuesCharacters(request.kind);
  let page = 0;
  const readPage = () => {
    transact(context, {
      command: dataCommand(request.address, page),
      address: request.address,
      parse: (text) => parseDataResponse(text, request.address, withCrc, maxCharacters),
      policy: context.policy,
    }, (outcome) => {
      if (!outcome.ok) {
        done(outcome);
        return;
      }
      if (outcome.value.length === 0) {
        done(failure(SensorFault.SensorError, `measurement aborted: ${values.length} of ${count} values`));
        return;
      }
      for (const value of outcome.value) values.push(value);
      if (values.length > count) {
        done(failure(SensorFault.BadResponse, `${values.length} values where ${count} were announced`));
        return;
      }
      if (values.length === count) {
        done({ ok: true, value: values });
        return;
      }
      if (++page > lastPage) {
        done(failure(SensorFault.BadResponse, `only ${values.length} of ${count} values after ${dataCommand(request.address, lastPage)}`));
        return;
      }
      readPage();
    });
  };
  readPage();
}
