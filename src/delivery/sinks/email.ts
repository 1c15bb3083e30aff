/**
 * @module delivery/sinks/email — SMTP through nodemailer: one message per event, with a subject
 * a person can read in an inbox list ("[HIGH] btc-70k · BTC: 71,000.00 USDT ▲ +2.90%").
 *
 * TLS: `secure: true` speaks TLS from the first byte (port 465, its default); otherwise STARTTLS
 * is used when the server offers it, and required with `require_tls: true`. Certificates are
 * verified unless `tls.reject_unauthorized: false`. A refused login or recipient, or an SMTP 5xx,
 * is permanent; a connection failure, a timeout or an SMTP 4xx is retried by the outbox. The
 * password is never logged. nodemailer is loaded on the first delivery (a service without an
 * email sink never pays for it).
 */
import { z } from 'zod';
import type { AlertEvent } from '../../events/index.js';
import { alertText } from '../../render/alert-text.js';
import { escapeHtml } from '../../render/telegram-html.js';
import { DeliveryError, minSeveritySchema, severityFloor, type Sink, type SinkType } from './sink.js';

const address = z.string({ error: 'must be an email address' }).regex(/^[^\s@<>]+@[^\s@<>]+$|^[^<>]*<[^\s@<>]+@[^\s@<>]+>$/, {
  error: 'must be an email address (alerts@example.com, or "Name <alerts@example.com>")',
});

const schema = z
  .strictObject({
    type: z.literal('email'),
    host: z.string({ error: 'must be the SMTP server host name' }).min(1),
    port: z.number({ error: 'must be a port number' }).int().min(1).max(65535, { error: 'must be a port number (1–65535)' }).optional(),
    secure: z.boolean({ error: 'must be true (TLS from the start, port 465) or false (STARTTLS when offered)' }).optional(),
    require_tls: z.boolean({ error: 'must be true or false' }).optional(),
    tls: z
      .strictObject({
        reject_unauthorized: z.boolean({ error: 'must be true or false' }).optional(),
        servername: z.string().min(1).optional(),
      })
      .optional(),
    username: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
    from: address,
    to: z.union([address, z.array(address).min(1, { error: 'must list at least one address' }).max(50, { error: 'must list at most 50 addresses' })]),
    min_severity: minSeveritySchema,
  })
  .refine((c) => (c.username === undefined) === (c.password === undefined), {
    error: 'username and password go together: give both, or neither',
    path: ['password'],
  });
export type EmailSinkConfig = z.infer<typeof schema>;

type Transport = { sendMail(message: Record<string, unknown>): Promise<unknown>; close(): void };

const TAGS: Readonly<Record<string, string>> = { resolved: 'RESOLVED', reminder: 'REMINDER', test: 'TEST' };

/** The subject line: [LABEL] monitor · subject: the first thing the mode says. One line, at most 200 characters. */
export function emailSubject(event: AlertEvent, render?: (event: AlertEvent) => string): string {
  const text = alertText(event, render);
  const tag = TAGS[text.kind] ?? event.data.severity_label.toUpperCase();
  const what = text.kind === 'test' ? (text.lines[0] ?? 'a test alert') : `${event.data.monitor} · ${event.subject}: ${text.lines[0] ?? event.type}`;
  const line = `[${tag}] ${what}`.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

export class EmailSink implements Sink {
  readonly type = 'email';
  private readonly target: string;
  private transport: Promise<Transport> | null = null;

  constructor(
    readonly name: string,
    private readonly config: EmailSinkConfig,
    readonly minSeverity: number,
    private readonly timeoutMs: number,
    private readonly render?: (event: AlertEvent) => string,
  ) {
    this.target = `email ${name} (${config.host})`;
  }

  async deliver(event: AlertEvent, signal?: AbortSignal): Promise<void> {
    const transport = await (this.transport ??= this.createTransport());
    const text = alertText(event, this.render);
    const message = {
      from: this.config.from,
      to: this.config.to,
      subject: emailSubject(event, this.render),
      text: [text.title, ...text.lines, '', `${event.type} · ${event.time} · id ${event.id}`, '', JSON.stringify(event, null, 2)].join('\n'),
      html: `<p>${text.html.split('\n').join('<br>\n')}</p><p style="color:#888">${escapeHtml(`${event.type} · ${event.time} · id ${event.id}`)}</p>`,
      headers: { 'X-Asterwatch-Event-Id': event.id },
    };
    let aborted: () => void = () => {};
    const abandoned = new Promise<never>((_, reject) => {
      aborted = () => reject(new DeliveryError(`${this.target}: abandoned at shutdown`, { retryable: true, abandoned: true }));
      signal?.addEventListener('abort', aborted, { once: true });
    });
    try {
      await Promise.race([transport.sendMail(message), abandoned]);
    } catch (error) {
      if (error instanceof DeliveryError) throw error;
      throw this.failure(error);
    } finally {
      signal?.removeEventListener('abort', aborted);
    }
  }

  async close(): Promise<void> {
    if (this.transport !== null) (await this.transport.catch(() => null))?.close();
  }

  private async createTransport(): Promise<Transport> {
    const { createTransport } = await import('nodemailer');
    const c = this.config;
    const secure = c.secure ?? c.port === 465;
    return createTransport({
      host: c.host,
      port: c.port ?? (secure ? 465 : 587),
      secure,
      requireTLS: c.require_tls ?? false,
      ...(c.username === undefined ? {} : { auth: { user: c.username, pass: c.password } }),
      tls: { rejectUnauthorized: c.tls?.reject_unauthorized ?? true, ...(c.tls?.servername === undefined ? {} : { servername: c.tls.servername }) },
      connectionTimeout: this.timeoutMs,
      greetingTimeout: this.timeoutMs,
      socketTimeout: this.timeoutMs,
    }) as unknown as Transport;
  }

  /** What a nodemailer failure means for the outbox. */
  private failure(error: unknown): DeliveryError {
    const { code, responseCode, response, message } = error as { code?: string; responseCode?: number; response?: string; message?: string };
    const said = (response ?? message ?? String(error)).replace(/\s+/g, ' ').slice(0, 200);
    if (code === 'EAUTH') return new DeliveryError(`${this.target} refused the login: ${said}`, { retryable: false });
    if (typeof responseCode === 'number') return new DeliveryError(`${this.target} answered SMTP ${responseCode}: ${said}`, { retryable: responseCode < 500 });
    if (code === 'EENVELOPE') return new DeliveryError(`${this.target} refused the addresses: ${said}`, { retryable: false });
    return new DeliveryError(`${this.target} unreachable (${code ?? said})`, { retryable: true });
  }
}

export const emailSinkType: SinkType<EmailSinkConfig> = {
  schema: schema as unknown as z.ZodType<EmailSinkConfig>,
  create: (name, config, deps) => new EmailSink(name, config, severityFloor(config.min_severity), deps.timeoutMs, deps.renderTelegram),
};
