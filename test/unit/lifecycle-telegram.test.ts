import { describe, expect, it } from 'vitest';
import { compileCondition } from '../../src/condition/index.js';
import { renderTelegramMessage } from '../../src/delivery/sinks/telegram-message.js';
import { resolvedTypeOf, type AlertEvent } from '../../src/events/index.js';
import { marketEvent } from '../../src/modes/market/event.js';
import { spanInWords } from '../../src/render/duration.js';

const condition = compileCondition('>> 70000');
const met = marketEvent(
  {
    monitor: 'btc <watch>',
    condition: condition.source,
    severity: condition.severity({ current: 71000, previous: 69000 }),
    roundTime: 0,
    checkedAt: new Date(Date.UTC(2026, 10, 22, 12)),
  },
  { asset: 'BTC', symbol: 'BTCUSDT', current: 71000, previous: 69000 },
);

describe('Telegram messages of the alert lifecycle', () => {
  it('heads a resolved notice as resolved, with how long it fired, over the mode lines', () => {
    const notice = {
      ...met,
      type: resolvedTypeOf(met.type),
      data: { ...met.data, current_price: 69000, fired_at: '2026-11-22T11:00:00.000Z', duration_seconds: 3900 },
    } as AlertEvent;
    const text = renderTelegramMessage(notice);
    expect(text.split('\n')[0]).toBe('✅ <b>RESOLVED</b> · btc &lt;watch&gt;');
    expect(text).toContain('no longer holds after 1 h 5 min (fired 2026-11-22 11:00:00 UTC)');
    expect(text).toContain('<b>BTC</b> 69,000.00 USDT');
    expect(text).toContain('<code>&gt;&gt; 70000</code>');
  });

  it('marks a reminder with the time the firing began', () => {
    const reminder = { ...met, data: { ...met.data, reminder: true, firing_since: '2026-11-22T11:00:00.000Z' } } as AlertEvent;
    const [header, second] = renderTelegramMessage(reminder).split('\n');
    expect(header).toMatch(/btc &lt;watch&gt; · 🔁 reminder$/);
    expect(second).toBe('still firing since 2026-11-22 11:00:00 UTC');
  });

  it('says a test event is a test', () => {
    const test = { ...met, type: 'asterwatch.test', data: { ...met.data, message: 'hello <you>' } } as AlertEvent;
    expect(renderTelegramMessage(test)).toBe('🧪 <b>TEST</b> · asterwatch\nhello &lt;you&gt;');
  });

  it('words spans', () => {
    expect([5, 90, 3600, 3900, 86400 * 3 + 3600].map(spanInWords)).toEqual(['5 s', '1 min', '1 h', '1 h 5 min', '3 d 1 h']);
  });
});
