import type { CreatedInvitation } from '@tierlink/client';
import { out, paint, printJson, when } from './output.ts';

/** The draft email and its personal link: the only time the API shows the link. */
export function printCreatedInvitation(created: CreatedInvitation, json: boolean | undefined): void {
  if (json === true) return printJson(created);
  const { invitation, email } = created;
  out(`Invitation ${invitation.id} to ${invitation.email}: ${invitation.state}, expires ${when(invitation.expiresAt)}.`);
  out(created.sent ? 'Tierlink sends this email:' : 'Not sent: send this email yourself (or add --send).');
  out();
  out(`To: ${email.to}`);
  out(`Subject: ${email.subject}`);
  out();
  out(email.text);
  out();
  out(`${paint(process.stdout, 'bold', 'Link:')} ${email.link}`);
}
