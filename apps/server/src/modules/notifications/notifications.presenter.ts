/**
 * Links to portal pages in a mailbox message, re-pointed at `origin`. Emails keep absolute links
 * (they may go out over SMTP), written with the address of the day they were sent; the embedded
 * mailbox is read in the portal, so its links follow the address it is read from now (a demo
 * started again on another port, or opened as 127.0.0.1 instead of localhost).
 */
export function withPortalOrigin(text: string, origin: string): string {
  return text.replaceAll(/\bhttps?:\/\/[^\s/?#]+(?=\/(?:invitations|verify-email)\/)/g, origin);
}
