import { FluentProvider, Toaster, webLightTheme } from '@fluentui/react-components';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { isApiError } from '@tierlink/client';
import { StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { Loading } from './components/page.tsx';
import { focusTitlesOnNavigation } from './components/focus.ts';
import { toasterId } from './components/notify.tsx';
import { detectLocale, I18nProvider, loadDictionary } from './i18n/index.tsx';
import { createAppRouter } from './router.tsx';
import { sessionHint } from './session.ts';
import './styles.css';

/** A session that ended (expired, signed out elsewhere) sends the user to sign in and back. */
function onError(error: unknown): void {
  if (!isApiError(error) || error.code !== 'unauthenticated') return;
  sessionHint.clear();
  queryClient.clear();
  const here = `${window.location.pathname}${window.location.search}`;
  if (window.location.pathname !== '/sign-in') void router.navigate({ to: '/sign-in', search: { redirect: here } });
}

const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError }),
  mutationCache: new MutationCache({ onError }),
  defaultOptions: {
    queries: {
      // A 4xx answer is the answer; only transient failures are retried, twice at most.
      retry: (count, error) => !(isApiError(error) && error.status >= 400 && error.status < 500) && count < 2,
      // An overloaded server says when to come back (Retry-After); otherwise TanStack's backoff.
      retryDelay: (count, error) =>
        isApiError(error) && error.retryAfterSeconds !== undefined ? Math.min(error.retryAfterSeconds, 30) * 1000 : Math.min(1000 * 2 ** count, 30_000),
      refetchOnWindowFocus: false,
      staleTime: 10_000,
    },
  },
});
const router = createAppRouter(queryClient);
focusTitlesOnNavigation(router);

const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no #root');
// The detected language's dictionary first (Russian is loaded on demand), then the first render.
// A failed fetch leaves English in place of the missing dictionary rather than a blank page.
await loadDictionary(detectLocale()).catch(() => undefined);
createRoot(container).render(
  <StrictMode>
    <FluentProvider theme={webLightTheme}>
      <I18nProvider>
        <QueryClientProvider client={queryClient}>
          <Suspense fallback={<Loading />}>
            <RouterProvider router={router} />
          </Suspense>
          {/* Bottom-end: at the top, notices covered the user menu. */}
          <Toaster toasterId={toasterId} position="bottom-end" />
        </QueryClientProvider>
      </I18nProvider>
    </FluentProvider>
  </StrictMode>,
);
