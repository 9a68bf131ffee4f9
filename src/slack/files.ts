// Downloading a file someone shared with Tally: with the bot token, only from Slack's own file host
// (the token must never go anywhere else), at most MAX_UPLOAD_BYTES.
import { MAX_UPLOAD_BYTES } from '../service/uploads.js';
import type { Download } from './events/upload.js';

const SLACK_FILES = 'https://files.slack.com';

export function slackDownloader(token: string, opts: { apiUrl?: string; timeoutMs?: number } = {}): Download {
  // tests point the Web API at a fake on 127.0.0.1, which serves the files too
  const origins = new Set([SLACK_FILES, ...(opts.apiUrl ? [new URL(opts.apiUrl).origin] : [])]);
  return async (url) => {
    const u = new URL(url);
    if (!origins.has(u.origin)) throw new Error(`not a Slack file address: ${u.origin}`);
    const res = await fetch(u, {
      headers: { authorization: `Bearer ${token}` },
      // a redirect could carry the token elsewhere
      redirect: 'error',
      signal: AbortSignal.timeout(opts.timeoutMs ?? 60_000),
    });
    if (!res.ok) throw new Error(`Slack answered ${res.status}`);
    // without files:read Slack answers with its sign-in page instead of the file
    if ((res.headers.get('content-type') ?? '').includes('text/html'))
      throw Object.assign(new Error('Slack sent its sign-in page, not the file: the app lacks files:read'), {
        missingScope: 'files:read',
      });
    const length = Number(res.headers.get('content-length') ?? 0);
    if (length > MAX_UPLOAD_BYTES) throw new Error(`the file is ${length} bytes`);
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.length;
      if (size > MAX_UPLOAD_BYTES) throw new Error(`the file is over ${MAX_UPLOAD_BYTES} bytes`);
      chunks.push(chunk);
    }
    return Buffer.concat(chunks);
  };
}
