// Child process of bench/liquidation-ingest.mjs: a WebSocket "exchange" on its own core,
// sending liquidation frames at a given rate once a client connects. Usage: node _stream-sender.mjs RATE SECONDS
import { WebSocketServer } from 'ws';

const [rate, seconds] = process.argv.slice(2).map(Number);
const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
server.on('listening', () => process.send({ port: server.address().port }));
const SYMBOLS = Array.from({ length: 200 }, (_, i) => `S${i}USDT`);
server.on('connection', (socket) => {
  let n = 0;
  const total = rate * seconds;
  const started = performance.now();
  // Send in 10 ms slices to hold the rate without a timer per message.
  const timer = setInterval(() => {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
    for (; n < due; n++) {
      const T = Date.now();
      socket.send(
        `{"e":"forceOrder","E":${T},"o":{"s":"${SYMBOLS[n % 200]}","S":"${n % 2 ? 'SELL' : 'BUY'}","o":"LIMIT","f":"IOC","q":"${(1 + (n % 97) / 10).toFixed(1)}","p":"${100 + (n % 1000)}","ap":"${100 + (n % 1000)}","X":"FILLED","l":"1","z":"${(1 + (n % 97) / 10).toFixed(1)}","T":${T}}}`,
      );
    }
    if (n >= total) {
      clearInterval(timer);
      process.send({ sent: n });
    }
  }, 10);
});
