import type { AnyRouter } from '@tanstack/react-router';

/** Set by a navigation inside the portal; taken by the next page title that can receive it. */
let pending = false;

/**
 * After a navigation inside the portal, focus moves to the new page's title (screen readers
 * announce it, Tab continues from it). The first page of a load leaves focus at the start of the
 * document, where the skip link is.
 */
export function focusTitlesOnNavigation(router: AnyRouter): void {
  router.subscribe('onResolved', (event) => {
    if (event.fromLocation === undefined || !event.pathChanged) return;
    pending = true;
    requestAnimationFrame(takeTitleFocus);
  });
}

/** Called when a page title mounts (it may appear only after its data loaded). */
export function takeTitleFocus(): void {
  if (!pending) return;
  const title = document.getElementById('page-title');
  if (title === null) return;
  pending = false;
  title.focus();
}
