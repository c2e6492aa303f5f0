import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { WORKSPACE_ROOT } from '@latchkey/testing';

/** The lint rules that keep the architecture honest really fire: probes that break them are reported. */
describe('module boundaries', () => {
  const probes = {
    appImportsApp: 'apps/token-service/src/boundary-probe.ts',
    domainImportsAdapter: 'libs/token-format/src/boundary-probe.ts',
    domainFolderImportsFramework: 'apps/token-service/src/tokens/domain/boundary-probe.ts',
  };

  beforeAll(() => {
    // the boundary rule reads Nx's project graph; make sure it is computed and cached
    execFileSync('npx', ['nx', 'show', 'projects'], { cwd: WORKSPACE_ROOT, env: { ...process.env, NX_DAEMON: 'false' }, stdio: 'ignore' });
    writeFileSync(path.join(WORKSPACE_ROOT, probes.appImportsApp), "import '../../validation-service/src/main';\nexport const probe = 1;\n");
    writeFileSync(path.join(WORKSPACE_ROOT, probes.domainImportsAdapter), "import { loadConfig } from '@latchkey/service-kit';\nexport const probe = loadConfig;\n");
    writeFileSync(path.join(WORKSPACE_ROOT, probes.domainFolderImportsFramework), "import { Injectable } from '@nestjs/common';\nexport const probe = Injectable;\n");
  }, 60_000);

  afterAll(() => {
    for (const file of Object.values(probes)) rmSync(path.join(WORKSPACE_ROOT, file), { force: true });
  });

  // the CLI, as CI runs it (ESLint's Node API needs ESM dynamic import, which jest's CommonJS runtime lacks)
  async function rulesBroken(file: string): Promise<string[]> {
    const out = spawnSync('npx', ['eslint', '--format', 'json', file], { cwd: WORKSPACE_ROOT, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false' } });
    const [result] = JSON.parse(out.stdout) as Array<{ messages: Array<{ ruleId: string | null; message: string }> }>;
    return result.messages.map((m) => m.ruleId ?? m.message);
  }

  it('forbids an app importing another app', async () => {
    expect(await rulesBroken(probes.appImportsApp)).toContain('@nx/enforce-module-boundaries');
  });

  it('forbids domain code importing an adapter lib', async () => {
    expect(await rulesBroken(probes.domainImportsAdapter)).toContain('@nx/enforce-module-boundaries');
  });

  it('forbids framework imports in a domain folder', async () => {
    expect(await rulesBroken(probes.domainFolderImportsFramework)).toContain('no-restricted-imports');
  });
});
