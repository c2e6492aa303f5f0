import nodemailer, { Transporter } from 'nodemailer';
import { AttemptOutcome } from '../domain/retry-policy';
import { MailSender, OutgoingMail } from './mail-sender.port';

/**
 * nodemailer over SMTP (a pooled connection, STARTTLS when the relay offers it). The relay's 250 after DATA is
 * success; a 4xx/5xx reply or a connection failure is a failed attempt, retried by the dispatcher.
 */
export class SmtpMailSender implements MailSender {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
    timeoutMs: number,
  ) {
    const url = new URL(smtpUrl);
    this.transport = nodemailer.createTransport({
      host: url.hostname,
      port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 25)),
      secure: url.protocol === 'smtps:',
      ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
      pool: true,
      maxConnections: 2,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
      // the local development sink speaks plain SMTP; a relay that offers STARTTLS gets it used
      ignoreTLS: false,
      tls: { rejectUnauthorized: url.searchParams.get('tlsRejectUnauthorized') !== 'false' },
    });
  }

  async send(mail: OutgoingMail): Promise<AttemptOutcome> {
    try {
      const info = await this.transport.sendMail({
        from: this.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
      });
      return { ok: true, detail: String(info.response ?? 'accepted').slice(0, 200) };
    } catch (err) {
      return { ok: false, detail: `smtp: ${err instanceof Error ? err.message : String(err)}`.slice(0, 500) };
    }
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
