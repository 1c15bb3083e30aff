// A writer process for the O_APPEND test: appends N big events to a file through the built
// FileSink, as fast as it can. Usage: node append-events.mjs PATH N NAME
import { FileSink } from '../../dist/delivery/sinks/file.js';

const [path, count, name] = process.argv.slice(2);
const sink = new FileSink(name, path, 0);
const padding = 'x'.repeat(4096);
for (let i = 0; i < Number(count); i++) {
  await sink.deliver({
    specversion: '1.0',
    id: `${name}-${i}`,
    source: 'test',
    type: 'test',
    subject: 's',
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data: { monitor: name, padding, condition: '> 1', severity: 0.15, severity_label: 'low' },
  });
}
await sink.close();
