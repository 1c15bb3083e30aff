/**
 * A real SMTP server on 127.0.0.1 (smtp-server), recording every message it accepts (parsed
 * with mailparser), with programmable refusals: for the email sink's tests.
 */
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  mail: ParsedMail;
}

export class SmtpReceiver {
  readonly received: ReceivedMail[] = [];
  /** Recipients refused with 550. */
  readonly refuse = new Set<string>();
  /** Required credentials, when set. */
  credentials: { user: string; pass: string } | null = null;
  private server: SMTPServer | null = null;
  port = 0;

  async start(): Promise<this> {
    this.server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      authOptional: true,
      logger: false,
      size: 1024 * 1024,
      onAuth: (auth, _session, callback) => {
        if (this.credentials !== null && auth.username === this.credentials.user && auth.password === this.credentials.pass)
          callback(null, { user: auth.username });
        else callback(new Error('Invalid username or password'));
      },
      onMailFrom: (_address, session, callback) => {
        if (this.credentials !== null && session.user === undefined) {
          const error = new Error('Authentication required') as Error & { responseCode: number };
          error.responseCode = 530;
          callback(error);
        } else callback();
      },
      onRcptTo: (address, _session, callback) => {
        if (this.refuse.has(address.address)) {
          const error = new Error(`mailbox ${address.address} unavailable`) as Error & { responseCode: number };
          error.responseCode = 550;
          callback(error);
        } else callback();
      },
      onData: (stream, session, callback) => {
        simpleParser(stream)
          .then((mail) => {
            this.received.push({
              from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
              to: session.envelope.rcptTo.map((r) => r.address),
              mail,
            });
            callback();
          })
          .catch((error: Error) => callback(error));
      },
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.server.address() as { port: number }).port;
    return this;
  }

  async stop(): Promise<void> {
    if (this.server === null) return;
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = null;
  }
}
