/** Read-only hooks for end-to-end tests and benchmarks, set on window.netweaveEditor. */
export const testHooks = {
  getCode: (): string => '',
};
