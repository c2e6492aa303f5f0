/** The few logging calls the drivers need; Nest's Logger and console both fit. */
export interface MessagingLogger {
  info(message: string, ...meta: unknown[]): void;
  warn(message: string, ...meta: unknown[]): void;
  error(message: string, ...meta: unknown[]): void;
}

export const consoleLogger: MessagingLogger = {
  info: (m, ...meta) => console.log(m, ...meta),
  warn: (m, ...meta) => console.warn(m, ...meta),
  error: (m, ...meta) => console.error(m, ...meta),
};

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
