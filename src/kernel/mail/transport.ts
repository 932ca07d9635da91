import type { Kysely } from 'kysely';
import nodemailer from 'nodemailer';
import type { DB } from '../../db/schema.ts';
import { deliverDueEmails, type DeliveryOptions, type MailTransport } from './outbox.ts';

/** The authority's mail server, from SMTP_URL (`smtp://user:pass@host:587`, or `smtps://` for implicit TLS). */
export function smtpTransport(smtpUrl: string): MailTransport & { close(): void } {
  const transporter = nodemailer.createTransport(smtpUrl);
  return {
    async sendMail(message) {
      const info = await transporter.sendMail(message);
      return { messageId: info.messageId };
    },
    close: () => transporter.close(),
  };
}

/**
 * Deliver the outbox every `seconds` inside the app (when SMTP_URL is set). A run still going when the next is due
 * is not doubled. The returned function stops the timer and waits for a run in progress.
 */
export function scheduleMailDelivery(options: {
  db: Kysely<DB>;
  transport: MailTransport;
  seconds: number;
  delivery: DeliveryOptions;
  log: { info: (obj: object, msg: string) => void; error: (obj: object, msg: string) => void };
}): () => Promise<void> {
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = deliverDueEmails(options.db, options.transport, options.delivery)
      .then((r) => {
        if (r.sent || r.retrying || r.failed || r.expired) options.log.info(r, 'email outbox delivered');
      })
      .catch((err: unknown) => options.log.error({ err }, 'email delivery failed'))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, options.seconds * 1000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    if (running) await running;
  };
}
