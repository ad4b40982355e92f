/**
 * A bad simulator input (profile, CSV): the message names the file and the
 * line or key. The simulator prints it and exits with code 2 before anything
 * starts.
 */
export class SimInputError extends Error {}
