import type { LensError, ProviderId } from './errors';

export interface ErrorText {
  title: string;
  nextStep: string;
  /** What the UI offers beside the text. */
  action: 'openOptions' | 'retry' | 'none';
}

const providerName: Record<ProviderId, string> = { serpstat: 'Serpstat', dataforseo: 'DataForSEO' };
/** As the Options page labels them. */
const credentialName: Record<ProviderId, string> = {
  serpstat: 'Serpstat API token',
  dataforseo: 'DataForSEO login and API password',
};
/** What the provider says no to, in "X rejected your …". */
const rejectedWhat: Record<ProviderId, string> = {
  serpstat: 'API token',
  dataforseo: 'login or API password',
};
/** The field to check, in "Check your … in Options." */
const checkWhat: Record<ProviderId, string> = {
  serpstat: 'Serpstat token',
  dataforseo: 'DataForSEO login and API password',
};
const outOfMoney: Record<ProviderId, { title: string; nextStep: string }> = {
  serpstat: {
    title: 'Your Serpstat account has no API credits left for this.',
    nextStep: 'Buy more API credits in your Serpstat account, or wait for your plan to renew.',
  },
  dataforseo: {
    title: 'Your DataForSEO balance is too low for this.',
    nextStep: 'Top up your DataForSEO balance, then try again.',
  },
};
const largeDomainNextStep: Record<ProviderId, string> = {
  serpstat: 'Look up one of its subdomains instead, or switch the provider to DataForSEO.',
  dataforseo: 'Look up one of its subdomains or a single page instead.',
};

/** "Wait 30 seconds" when the provider said how long (and it is short), else a minute. */
function waitAndRetry(retryAfterMs: number | undefined): string {
  const seconds = retryAfterMs === undefined ? 0 : Math.ceil(retryAfterMs / 1000);
  if (seconds < 1 || seconds >= 120) return 'Wait a minute and try again.';
  return `Wait ${seconds} second${seconds === 1 ? '' : 's'} and try again.`;
}

/** The sentence a person reads for each error, with the next step; never a stack trace. */
export function describeError(error: LensError): ErrorText {
  const provider = error.provider;
  // Sentence-initial and mid-sentence forms, for errors raised before a provider was chosen.
  const name = provider ? providerName[provider] : 'The provider';
  const midName = provider ? providerName[provider] : 'the provider';
  const said = error.providerMessage ? ` (${name} said: “${error.providerMessage}”)` : '';
  switch (error.code) {
    case 'no_key':
      return {
        title: `No ${provider ? credentialName[provider] : 'API key'} is set.`,
        nextStep: `Add your ${provider ? credentialName[provider] : 'API key'} in Options.`,
        action: 'openOptions',
      };
    case 'bad_key':
      return {
        title: `${name} rejected your ${provider ? rejectedWhat[provider] : 'API key'}.`,
        nextStep: `Check your ${provider ? checkWhat[provider] : 'API key'} in Options.`,
        action: 'openOptions',
      };
    case 'no_credits':
      return {
        ...(provider
          ? outOfMoney[provider]
          : { title: 'Your provider account has no credits left for this.', nextStep: 'Top up your account, then try again.' }),
        action: 'none',
      };
    case 'not_in_plan':
      return {
        title: `Your ${midName} plan does not include this report.`,
        nextStep: `Upgrade the plan at ${midName}, or switch the provider.`,
        action: 'none',
      };
    case 'account_blocked':
      return {
        title: `${name} refused the request for your account${said}.`,
        nextStep: `Check your account status and limits in your ${midName} dashboard.`,
        action: 'none',
      };
    case 'rate_limited':
      return {
        title: `${name} is limiting how fast requests can be made.`,
        nextStep: waitAndRetry(error.retryAfterMs),
        action: 'retry',
      };
    case 'large_domain':
      return {
        title: `${name} does not serve this report for very large domains.`,
        nextStep: provider ? largeDomainNextStep[provider] : 'Look up one of its subdomains instead.',
        action: 'none',
      };
    case 'not_supported':
      return {
        title: error.message || `${name} does not offer this.`,
        nextStep: 'Switch the provider or the report.',
        action: 'none',
      };
    case 'bad_filter':
      // The provider's words name the field; without them the adapter's message does.
      return {
        title: error.providerMessage ? `${name} did not accept a filter${said}.` : error.message || `${name} did not accept a filter.`,
        nextStep: 'Change or remove that filter and try again.',
        action: 'none',
      };
    case 'bad_request':
      return {
        title: `${name} did not accept the request${said}.`,
        nextStep: 'Check the domain and filters; if it keeps happening, report it as a bug.',
        action: 'none',
      };
    case 'server_error':
      return {
        title: `${name} had a problem on its side.`,
        nextStep: 'Try again in a few minutes.',
        action: 'retry',
      };
    case 'network':
      return {
        title: `Could not reach ${midName}.`,
        nextStep: 'Check your internet connection, then try again.',
        action: 'retry',
      };
    case 'timeout':
      return {
        title: `${name} took too long to answer.`,
        nextStep: 'Try again; a smaller page size or a narrower filter answers faster.',
        action: 'retry',
      };
    case 'malformed':
      return {
        title: `${name} sent an unreadable answer.`,
        nextStep: 'Try again later; if it keeps happening, report it as a bug.',
        action: 'retry',
      };
    case 'bad_target':
      return {
        title: error.message || 'That domain or address cannot be looked up.',
        nextStep: 'Type a domain such as example.com.',
        action: 'none',
      };
    case 'over_budget':
      return {
        title: error.message || 'This lookup would pass the daily cap you set.',
        nextStep: 'Paid lookups resume tomorrow, or raise the daily cap in Options.',
        action: 'openOptions',
      };
    case 'cancelled':
      return { title: 'Stopped.', nextStep: 'Nothing more was spent. Load again when you want.', action: 'retry' };
    case 'internal':
      return {
        title: error.message || 'Something went wrong inside the extension.',
        nextStep: 'Try again; if it keeps happening, reload the extension.',
        action: error.retryable ? 'retry' : 'none',
      };
  }
}
