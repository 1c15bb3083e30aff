/** The fake exchange lives in src/testing so that benchmarks (run on dist/) can use it too. */
export { FakeExchange, type Fault, type LoggedRequest } from '../../src/testing/fake-exchange.js';
