import path from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { app, Menu } from 'electron';
import type { AppCommand } from '../../shared/channels';
import type { MenuCommand } from './menu-commands';
import { menuCommands } from './menu-commands';

export interface MenuActions {
  command(command: AppCommand): void;
  openRecent(file: string): void;
  clearRecent(): void;
}

function items(menu: MenuCommand['menu'], actions: MenuActions): MenuItemConstructorOptions[] {
  return menuCommands
    .filter((c) => c.menu === menu)
    .map((c) => ({ label: c.label, accelerator: c.accelerator, click: () => actions.command(c.command) }));
}

/** The application menu; rebuilt whenever the recent-files list changes. */
export function installAppMenu(recent: readonly string[], actions: MenuActions): void {
  const isMac = process.platform === 'darwin';
  const [newItem, openItem, ...fileRest] = items('file', actions);
  const recentMenu: MenuItemConstructorOptions[] = recent.length
    ? [
        ...recent.map((file) => ({ label: `${path.basename(file)} — ${path.dirname(file)}`, click: () => actions.openRecent(file) })),
        { type: 'separator' as const },
        { label: 'Clear Recent', click: () => actions.clearRecent() },
      ]
    : [{ label: 'No Recent Projects', enabled: false }];
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [newItem!, openItem!, { label: 'Open Recent', submenu: recentMenu }, { type: 'separator' }, ...fileRest, { type: 'separator' }, isMac ? { role: 'close' } : { role: 'quit' }],
    },
    {
      label: '&Edit',
      // Cut/copy/paste stay native so that text fields and the code view keep them.
      submenu: [...items('edit', actions), { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }],
    },
    {
      label: '&View',
      submenu: [...items('view', actions), { type: 'separator' }, { role: 'togglefullscreen' }, ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }])],
    },
    { label: '&Train', submenu: items('train', actions) },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
