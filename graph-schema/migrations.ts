/**
 * Step-by-step upgrades of older documents: each step takes a document of
 * version `from` to `from + 1`. Version 1 is the first published format, so
 * the list is empty; the loader's machinery is exercised by tests with steps of their own.
 */
export interface Migration {
  from: number;
  describe: string;
  migrate(doc: Record<string, unknown>): Record<string, unknown>;
}

export const migrations: readonly Migration[] = [];
