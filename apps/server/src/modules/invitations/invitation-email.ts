import type { Email } from '../../platform/outbox.ts';

export function invitationLink(publicUrl: string, id: string, token: string): string {
  return `${publicUrl}/invitations/${id}?token=${encodeURIComponent(token)}`;
}

const roleNames: Record<string, string> = {
  user_admin: 'manage users',
  license_admin: 'assign licenses',
  helpdesk: 'reset passwords',
};

interface Draft {
  subject: string;
  /** The editable part; the personal link always follows it. */
  text: string;
}

export function resellerInvitationDraft(input: { providerName: string; message?: string | undefined }): Draft {
  const note = input.message === undefined || input.message === '' ? '' : `${input.message}\n\n`;
  return {
    subject: `${input.providerName} invites you to work with them as your indirect provider`,
    text:
      `${note}${input.providerName} would like to become your indirect provider on Tierlink.\n\n` +
      `When you authorize them, they can submit orders and add subscriptions on behalf of your customers, ` +
      `and they get admin access to your organization, which you can remove later without ending the partnership.\n\n` +
      `To accept, open the link below, sign in as an admin of your partner account, tick the box and select "Authorize indirect provider".`,
  };
}

export function customerInvitationDraft(input: {
  resellerName: string;
  providerName: string | null;
  roles: readonly string[];
  days: number | null;
}): Draft {
  const who = input.providerName === null ? input.resellerName : `${input.resellerName} and ${input.providerName}`;
  const access = input.roles.map((r) => roleNames[r] ?? r).join(', ');
  const until = input.days === null ? 'until you revoke it' : `for ${input.days} days`;
  return {
    subject: `${who} ${input.providerName === null ? 'asks' : 'ask'} to become your reseller`,
    text:
      `Hello,\n\n${who} would like to become your reseller of record on Tierlink` +
      `${input.providerName === null ? '' : ', together, in one step'}. ` +
      `Accepting lets ${input.providerName === null ? 'them' : 'both'} place orders and manage subscriptions for your organization, ` +
      `and gives their admin agents delegated admin access (${access}) ${until}. You can see and revoke that access at any time.\n\n` +
      `To accept, open the link below and sign in as a global admin of your organization, or create your organization from the page if it has none yet.`,
  };
}

/** The email as sent: the editable text, then the link and the rules that bind it. */
export function composeEmail(to: string, draft: Draft, link: string, expiresAt: Date): Email {
  return {
    to,
    subject: draft.subject,
    text: `${draft.text}\n\n${link}\n\nThis link works once, only for ${to}, until ${expiresAt.toUTCString()}.`,
  };
}
