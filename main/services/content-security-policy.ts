/**
 * The Content-Security-Policy of the app's page, in Electron and in the web
 * host alike: only the app's own scripts, no remote content of any kind.
 * Styles allow 'unsafe-inline' because the canvas and the code editor set
 * element styles at run time; scripts never do. Workers may come from blob:
 * because the code editor can start its language workers that way.
 */
export function contentSecurityPolicy(extraConnectSources: readonly string[] = []): string {
  const directives: [string, string[]][] = [
    ['default-src', ["'self'"]],
    ['script-src', ["'self'"]],
    ['style-src', ["'self'", "'unsafe-inline'"]],
    ['img-src', ["'self'", 'data:', 'blob:']],
    ['font-src', ["'self'", 'data:']],
    ['worker-src', ["'self'", 'blob:']],
    ['connect-src', ["'self'", ...extraConnectSources]],
    ['object-src', ["'none'"]],
    ['frame-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
  ];
  return directives.map(([name, values]) => `${name} ${values.join(' ')}`).join('; ');
}

/** Parses a policy into directive → sources, for checks. */
export function parseContentSecurityPolicy(policy: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) out.set(name.toLowerCase(), values);
  }
  return out;
}
