import nodemailer from 'nodemailer';
import type { Email } from './outbox.ts';

/** Delivers one queued email; `id` is the outbox id, reused as Message-ID so resends deduplicate. */
export type MailSender = (id: string, message: Email) => Promise<void>;

export function createSmtpSender(smtpUrl: string, from: string): { send: MailSender; close: () => void } {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    send: async (id, message) => {
      await transport.sendMail({
        from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        messageId: `<${id}@tierlink>`,
      });
    },
    close: () => transport.close(),
  };
}
