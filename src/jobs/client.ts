// The Web API client the jobs send with: no automatic retries and rate limits surfaced as errors,
// because the outbox itself decides when to try again (and honours Retry-After).
import { WebClient } from '@slack/web-api';

export function jobsClient(token: string, apiUrl?: string): WebClient {
  // a hung request must end before the outbox claim (60 s) lets another process send the same message
  return new WebClient(token, {
    slackApiUrl: apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 20_000,
  });
}
