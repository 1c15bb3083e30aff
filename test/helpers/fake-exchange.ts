/** The fake exchange lives in src/testing so that benchmarks (run on dist/) can use it too. */
export {
  FakeExchange,
  type Fault,
  type LoggedRequest,
  type FakeAccountData,
  type FakeFuturesAccount,
  type FakePosition,
} from '../../src/testing/fake-exchange.js';
