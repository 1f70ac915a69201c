import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';

const config = load(readFileSync('electron-builder.yml', 'utf8')) as Record<string, unknown> & {
  files: string[];
  asarUnpack: string[];
  fileAssociations: { ext: string; name: string; role?: string; mimeType?: string }[];
  linux: { target: string[] };
  mac: { target: string[] };
  win: { target: string[] };
  directories: { output: string };
};
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  main: string;
  scripts: Record<string, string>;
  devDependencies: Record<string, string>;
  dependencies: Record<string, string>;
};

/** The glob patterns of electron-builder's `files`, as simple prefix checks; `${platform}` and `${arch}` expanded for a target. */
function packaged(file: string, target = { platform: 'linux', arch: 'x64' }): boolean {
  let included = false;
  for (const raw of config.files) {
    const pattern = raw.replace('${platform}', target.platform).replace('${arch}', target.arch);
    const negate = pattern.startsWith('!');
    const body = negate ? pattern.slice(1) : pattern;
    const regex = new RegExp(`^${body.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*\//g, '\u0001').replace(/\*\*/g, '\u0002').replace(/\*/g, '[^/]*').replace(/\u0001/g, '(.*/)?').replace(/\u0002/g, '.*')}$`);
    if (regex.test(file)) included = !negate;
  }
  return included;
}

describe('electron-builder configuration', () => {
  it('builds AppImage and deb on Linux, dmg on macOS, nsis on Windows', () => {
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.mac.target).toEqual(expect.arrayContaining(['dmg']));
    expect(config.win.target).toEqual(expect.arrayContaining(['nsis']));
  });

  it('unpacks the native TensorFlow addon and onnxruntime binaries from the asar archive', () => {
    expect(config.asarUnpack).toContain('node_modules/@tensorflow/tfjs-node/**');
    expect(config.asarUnpack).toContain('node_modules/onnxruntime-node/bin/**');
  });

  it("keeps only the target platform's onnxruntime binaries", () => {
    const binding = (platform: string, arch: string) => `node_modules/onnxruntime-node/bin/napi-v6/${platform}/${arch}/onnxruntime_binding.node`;
    for (const [platform, arch] of [['linux', 'x64'], ['darwin', 'arm64'], ['win32', 'x64']] as const) {
      expect(packaged(binding(platform, arch), { platform, arch }), `${platform}/${arch}`).toBe(true);
      const others = [binding('linux', 'arm64'), binding('darwin', 'arm64'), binding('win32', 'x64'), binding('linux', 'x64')].filter((f) => f !== binding(platform, arch));
      for (const other of others) expect(packaged(other, { platform, arch }), other).toBe(false);
    }
  });

  it('associates the .netweave extension with the app', () => {
    const association = config.fileAssociations.find((a) => a.ext === 'netweave');
    expect(association).toBeDefined();
    expect(association!.name.length).toBeGreaterThan(0);
  });

  it('packages the built main, preload and renderer, and the package.json whose main points at the built main', () => {
    expect(pkg.main).toBe('dist/electron/main.cjs');
    for (const file of ['package.json', pkg.main, 'dist/electron/preload.cjs', 'dist/renderer/index.html', 'dist/renderer/assets/index-abc.js']) {
      expect(packaged(file), file).toBe(true);
    }
    for (const file of ['main/electron/electron-main.ts', 'renderer/main.tsx', 'test/shell/builder-config.test.ts', 'dist/electron/main.cjs.map']) {
      expect(packaged(file), file).toBe(false);
    }
  });

  it('keeps installers out of the source folders, and Electron a dev dependency so npm ci needs no binary', () => {
    expect(config.directories.output.startsWith('out/')).toBe(true);
    expect(pkg.devDependencies.electron).toBeDefined();
    expect(pkg.dependencies.electron).toBeUndefined();
    expect(pkg.scripts.dist).toContain('scripts/dist.mjs');
    expect(pkg.scripts.start).toContain('scripts/start.mjs');
    expect(pkg.scripts.serve).toContain('scripts/serve.mjs');
  });
});
