import { Toast, ToastTitle, useToastController } from '@fluentui/react-components';
import { useCallback } from 'react';

export const toasterId = 'tierlink-toaster';

/** Short confirmations of a finished change; failures stay next to what failed instead. */
export function useNotify(): (message: string) => void {
  const { dispatchToast } = useToastController(toasterId);
  return useCallback(
    (message: string) =>
      dispatchToast(
        <Toast>
          <ToastTitle>{message}</ToastTitle>
        </Toast>,
        { intent: 'success', timeout: 6000 },
      ),
    [dispatchToast],
  );
}
