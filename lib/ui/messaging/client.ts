import { browser } from 'wxt/browser';
import { lensError } from '../../shared/errors';
import { t } from '../../shared/i18n';
import type { Request, RequestType, Response } from '../../shared/protocol';
import { fail } from '../../shared/result';

const workerGone = () => fail(lensError('internal', t('error_backgroundGone'), { retryable: true }));

/** Ask the background; never rejects, so every caller handles one Result shape. */
export async function sendRequest<T extends RequestType>(request: Extract<Request, { type: T }>): Promise<Response<T>> {
  try {
    const answer = (await browser.runtime.sendMessage(request)) as Response<T> | undefined;
    if (!answer || typeof answer !== 'object' || !('ok' in answer)) return workerGone();
    return answer;
  } catch {
    return workerGone();
  }
}
