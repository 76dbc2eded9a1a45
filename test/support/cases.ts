/**
 * A test case that runs both under mocha (Node) and inside the XS engine (hosts/xs). Files named
 * `*.cases.ts` export `cases: TestCase[]` and import nothing from Node; a mocha file registers
 * them with `registerCases`, and `npm run test:xs` runs every such file inside XS.
 */
export interface TestCase {
  name: string;
  run(): void;
}
