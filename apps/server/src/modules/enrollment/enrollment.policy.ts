import freeMailDomains from 'email-providers/all.json' with { type: 'json' };

const webmail = new Set<string>(freeMailDomains);

/**
 * The seed refuses primary contacts on web-based email services (Gmail, Yahoo! Mail, iCloud, AOL,
 * Outlook.com …). The list is a maintained npm package, not typed by hand.
 */
export function isWebmail(email: string): boolean {
  const domain = email.split('@')[1]?.toLowerCase() ?? '';
  return webmail.has(domain);
}

/** How long the primary contact's verification link and a membership sign-in last. */
export const verificationLifetimeMs = 7 * 24 * 60 * 60 * 1000;
export const membershipSignInLifetimeMs = 30 * 60 * 1000;
