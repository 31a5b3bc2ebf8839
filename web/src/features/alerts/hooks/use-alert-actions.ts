import { trpc } from '../../../lib/trpc';

/** Dismiss one alert, clear all, create and delete rules. */
export function useAlertActions() {
  const dismiss = trpc.alerts.dismiss.useMutation();
  const clear = trpc.alerts.clear.useMutation();
  const createRule = trpc.alerts.createRule.useMutation();
  const deleteRule = trpc.alerts.deleteRule.useMutation();
  return { dismiss, clear, createRule, deleteRule };
}
