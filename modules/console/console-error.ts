import { CodedError } from "../errors.js";

/**
 * A command's failure as the technician sees it: `ERR <code> <message>`.
 * Codes are short kebab-case words that scripts can match on, from the one
 * vocabulary in modules/errors.ts.
 */
export class ConsoleError extends CodedError {}
