/**
 * A command's failure as the technician sees it: `ERR <code> <message>`.
 * Codes are short kebab-case words that scripts can match on.
 */
export class ConsoleError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}
