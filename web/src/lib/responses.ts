/**
 * Words about a customer's responses.
 */
import type { ResponseSource } from '../api/types';

export const SOURCE_LABELS: Record<ResponseSource, string> = {
  manual: 'Added by hand',
  import: 'Imported',
  survey: 'Survey',
  form: 'Public form',
  api: 'API',
};

/** A source the server sent, in words (an unknown one as it came). */
export function sourceLabel(source: string): string {
  return SOURCE_LABELS[source as ResponseSource] ?? source;
}

/** Why a response cannot be deleted, or undefined when it can: the server keeps a customer's only one (409). */
export function onlyResponseReason(total: number, customerName: string): string | undefined {
  if (total > 1) return undefined;
  return `This is ${customerName}’s only response. To remove it, delete the customer instead.`;
}
