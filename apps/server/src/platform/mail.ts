import type { Transporter } from 'nodemailer';
import type { Email } from './outbox.ts';

/** Delivers one queued email; `id` is the outbox id, reused as Message-ID so resends deduplicate. */
export type MailSender = (id: string, message: Email) => Promise<void>;

export function createSmtpSender(smtpUrl: string, from: string): { send: MailSender; close: () => void } {
  // nodemailer is loaded on the first email, not at start.
  let transport: Promise<Transporter> | null = null;
  return {
    send: async (id, message) => {
      transport ??= import('nodemailer').then(({ default: nodemailer }) => nodemailer.createTransport(smtpUrl));
      await (await transport).sendMail({
        from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        messageId: `<${id}@tierlink>`,
      });
    },
    close: () => void transport?.then((t) => t.close()),
  };
}
