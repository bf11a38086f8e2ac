import type { LensError, ProviderId } from './errors';

export interface ErrorText {
  title: string;
  nextStep: string;
  /** What the UI offers beside the text. */
  action: 'openOptions' | 'retry' | 'none';
}

const providerName: Record<ProviderId, string> = { serpstat: 'Serpstat', dataforseo: 'DataForSEO' };
const credentialName: Record<ProviderId, string> = {
  serpstat: 'Serpstat token',
  dataforseo: 'DataForSEO login and API password',
};
const topUp: Record<ProviderId, string> = {
  serpstat: 'Buy more API credits in your Serpstat account, or wait for your plan to renew.',
  dataforseo: 'Top up your DataForSEO balance, then try again.',
};

/** The sentence a person reads for each error, with the next step; never a stack trace. */
export function describeError(error: LensError): ErrorText {
  const provider = error.provider;
  const name = provider ? providerName[provider] : 'The provider';
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
        title: `${name} rejected your credentials.`,
        nextStep: `Check your ${provider ? credentialName[provider] : 'API key'} in Options.`,
        action: 'openOptions',
      };
    case 'no_credits':
      return {
        title: `Your ${name} account has no credits left for this.`,
        nextStep: provider ? topUp[provider] : 'Top up your account, then try again.',
        action: 'none',
      };
    case 'not_in_plan':
      return {
        title: `Your ${name} plan does not include this report.`,
        nextStep: `Upgrade the plan at ${name}, or switch provider in Options.`,
        action: 'openOptions',
      };
    case 'account_blocked':
      return {
        title: `${name} refused the request for your account${said}.`,
        nextStep: `Check your account status and limits in your ${name} dashboard.`,
        action: 'none',
      };
    case 'rate_limited':
      return {
        title: `${name} is limiting how fast requests can be made.`,
        nextStep: 'Wait a minute and try again.',
        action: 'retry',
      };
    case 'large_domain':
      return {
        title: `${name} does not serve this report for very large domains.`,
        nextStep: 'Try a subdomain or a single page instead.',
        action: 'none',
      };
    case 'not_supported':
      return {
        title: error.message || `${name} does not offer this.`,
        nextStep: 'Switch the provider or the report.',
        action: 'none',
      };
    case 'bad_filter':
      return {
        title: `${name} did not accept a filter${said}.`,
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
        title: `Could not reach ${name}.`,
        nextStep: 'Check your internet connection, then try again.',
        action: 'retry',
      };
    case 'timeout':
      return {
        title: `${name} took too long to answer.`,
        nextStep: 'Try again; a narrower filter answers faster.',
        action: 'retry',
      };
    case 'malformed':
      return {
        title: `${name} sent an answer the extension could not read.`,
        nextStep: 'Try again later; if it keeps happening, report it as a bug.',
        action: 'retry',
      };
    case 'bad_target':
      return { title: error.message, nextStep: 'Type a domain such as example.com.', action: 'none' };
    case 'over_budget':
      return {
        title: error.message,
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
