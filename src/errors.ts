// A refusal the user can act on: a stable code for translators (Slack renders zh-CN/en from it),
// the facts as params, and an English sentence for the CLI and logs. Nothing was written.
export class TallyError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(message);
    this.name = 'TallyError';
  }
}

export function isTallyError(e: unknown): e is TallyError {
  return e instanceof TallyError;
}
