import type { LensError } from '../shared/errors';
import { t, tPlural, type KeyWithoutPlaceholders, type KeyWithPlaceholders } from '../shared/i18n';
import { formatBalanceUsd, formatCredits } from './format';
import { providerCatalogue, providerName, type ProviderId } from '../shared/providers';

export interface ErrorText {
  title: string;
  nextStep: string;
  /** What the UI offers beside the text. */
  action: 'openOptions' | 'retry' | 'none';
}


/** Sentences that name each provider's own credentials or account, and the one for no provider yet. */
type PerProvider = Record<ProviderId | 'any', KeyWithoutPlaceholders>;
const noKey: Record<'title' | 'nextStep', PerProvider> = {
  title: { serpstat: 'error_noKey_serpstat', dataforseo: 'error_noKey_dataforseo', any: 'error_noKey_any' },
  nextStep: { serpstat: 'error_noKeyNext_serpstat', dataforseo: 'error_noKeyNext_dataforseo', any: 'error_noKeyNext_any' },
};
const badKey: Record<'title' | 'nextStep', PerProvider> = {
  title: { serpstat: 'error_badKey_serpstat', dataforseo: 'error_badKey_dataforseo', any: 'error_badKey_any' },
  nextStep: { serpstat: 'error_badKeyNext_serpstat', dataforseo: 'error_badKeyNext_dataforseo', any: 'error_badKeyNext_any' },
};
const noCredits: Record<'title' | 'nextStep', PerProvider> = {
  title: { serpstat: 'error_noCredits_serpstat', dataforseo: 'error_noCredits_dataforseo', any: 'error_noCredits_any' },
  nextStep: { serpstat: 'error_noCreditsNext_serpstat', dataforseo: 'error_noCreditsNext_dataforseo', any: 'error_noCreditsNext_any' },
};
const largeDomainNextStep: PerProvider = {
  serpstat: 'error_largeDomainNext_serpstat',
  dataforseo: 'error_largeDomainNext_dataforseo',
  any: 'error_largeDomainNext_any',
};

/** "Wait 30 seconds" when the provider said how long (and it is short), else a minute. */
function waitAndRetry(retryAfterMs: number | undefined): string {
  const seconds = retryAfterMs === undefined ? 0 : Math.ceil(retryAfterMs / 1000);
  if (seconds < 1 || seconds >= 120) return t('error_rateLimitedNext_minute');
  return tPlural('error_rateLimitedNext_seconds', seconds, [String(seconds)]);
}

/** The sentence a person reads for each error, with the next step; never a stack trace. */
export function describeError(error: LensError): ErrorText {
  const provider = error.provider;
  const which = provider ?? 'any';
  /** A sentence naming the provider, or its own wording before a provider was chosen. */
  const named = (withName: KeyWithPlaceholders, withoutName: KeyWithoutPlaceholders) => (provider ? t(withName, [providerName(provider)]) : t(withoutName));
  /** The same, quoting the provider's own words when it gave them. */
  const quoting = (withName: KeyWithPlaceholders, withWords: KeyWithPlaceholders, withoutName: KeyWithoutPlaceholders) =>
    error.providerMessage
      ? t(withWords, [provider ? providerName(provider) : t('error_theProvider'), error.providerMessage])
      : named(withName, withoutName);
  switch (error.code) {
    case 'no_key':
      return { title: t(noKey.title[which]), nextStep: t(noKey.nextStep[which]), action: 'openOptions' };
    case 'bad_key':
      return { title: t(badKey.title[which]), nextStep: t(badKey.nextStep[which]), action: 'openOptions' };
    case 'no_credits':
      return { title: t(noCredits.title[which]), nextStep: t(noCredits.nextStep[which]), action: 'none' };
    case 'not_in_plan':
      return {
        title: named('error_notInPlan', 'error_notInPlan_any'),
        nextStep: named('error_notInPlanNext', 'error_notInPlanNext_any'),
        action: 'none',
      };
    case 'account_blocked':
      return {
        title: quoting('error_accountBlocked', 'error_accountBlocked_quoting', 'error_accountBlocked_any'),
        nextStep: named('error_accountBlockedNext', 'error_accountBlockedNext_any'),
        action: 'none',
      };
    case 'rate_limited':
      return { title: named('error_rateLimited', 'error_rateLimited_any'), nextStep: waitAndRetry(error.retryAfterMs), action: 'retry' };
    case 'large_domain':
      return { title: named('error_largeDomain', 'error_largeDomain_any'), nextStep: t(largeDomainNextStep[which]), action: 'none' };
    case 'not_supported':
      return { title: error.message || named('error_notSupported', 'error_notSupported_any'), nextStep: t('error_notSupportedNext'), action: 'none' };
    case 'bad_filter':
      // The provider's words name the field; without them the adapter's message does.
      return {
        title: error.providerMessage
          ? quoting('error_badFilter', 'error_badFilter_quoting', 'error_badFilter_any')
          : error.message || named('error_badFilter', 'error_badFilter_any'),
        nextStep: t('error_badFilterNext'),
        action: 'none',
      };
    case 'bad_request':
      return {
        title: quoting('error_badRequest', 'error_badRequest_quoting', 'error_badRequest_any'),
        nextStep: t('error_badRequestNext'),
        action: 'none',
      };
    case 'server_error':
      return { title: named('error_serverError', 'error_serverError_any'), nextStep: t('error_serverErrorNext'), action: 'retry' };
    case 'network':
      return { title: named('error_network', 'error_network_any'), nextStep: t('error_networkNext'), action: 'retry' };
    case 'timeout':
      return { title: named('error_timeout', 'error_timeout_any'), nextStep: t('error_timeoutNext'), action: 'retry' };
    case 'malformed':
      return { title: named('error_malformed', 'error_malformed_any'), nextStep: t('error_malformedNext'), action: 'retry' };
    case 'bad_answer':
      return { title: named('error_badAnswer', 'error_badAnswer_any'), nextStep: t('error_malformedNext'), action: 'retry' };
    case 'bad_target':
      return { title: error.message || t('error_badTarget'), nextStep: t('error_badTargetNext'), action: 'none' };
    case 'over_budget':
      return {
        title:
          provider && error.dailyCap !== undefined
            ? t('error_overBudgetCap', [providerCatalogue[provider].unit === 'credits' ? formatCredits(error.dailyCap) : formatBalanceUsd(error.dailyCap), providerName(provider)])
            : t('error_overBudget'),
        nextStep: t('error_overBudgetNext'),
        action: 'openOptions',
      };
    case 'cancelled':
      return { title: t('error_cancelled'), nextStep: t('error_cancelledNext'), action: 'retry' };
    case 'internal':
      return {
        title: error.message || t('error_internal'),
        nextStep: t('error_internalNext'),
        action: error.retryable ? 'retry' : 'none',
      };
  }
}
