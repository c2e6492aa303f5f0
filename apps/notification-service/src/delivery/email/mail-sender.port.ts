import { AttemptOutcome } from '../domain/retry-policy';

export interface OutgoingMail {
  /** stable per delivery, so a receiver (or a person) can tell a resend from a new notice */
  messageId: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Port: hands one e-mail to the mail relay. Resolves with the outcome; never rejects. */
export interface MailSender {
  send(mail: OutgoingMail): Promise<AttemptOutcome>;
  close(): Promise<void>;
}

export const MAIL_SENDER = Symbol('MAIL_SENDER');
