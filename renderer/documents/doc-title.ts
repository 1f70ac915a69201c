import { templates } from '../../graph-schema/templates/index';

/**
 * What the page shows for a document's file. The store keeps the handle main accepts
 * (in Electron an opaque one); main also sends the path the user picked, kept here.
 */
const shownPaths = new Map<string, string>();

export function rememberFilePath(handle: string, shown: string): void {
  shownPaths.set(handle, shown);
}

export function shownFilePath(handle: string | null): string | null {
  return handle === null ? null : (shownPaths.get(handle) ?? handle);
}

/** Names Netweave gave, not the user: a new project's, a template's. */
function isGivenName(name: string): boolean {
  const trimmed = name.trim();
  return trimmed === '' || trimmed === 'Untitled' || templates.some((t) => t.name === trimmed);
}

/** The title: the project's name if the user chose one, else its file's name (without .netweave) once saved. */
export function documentTitle(name: string, handle: string | null): string {
  const shown = shownFilePath(handle);
  if (!shown || !isGivenName(name)) return name;
  const base = shown.split(/[\\/]/).pop() ?? shown;
  return base.replace(/\.netweave$/i, '') || name;
}
