import { defineConfig } from 'vitest/config'

// One vitest project per package, plus the cross-package tests in test/.
// The `source` export condition makes tests run against src/ without a build.
const project = (name: string, root: string) => ({
  extends: true as const,
  test: { name, root, include: ['test/**/*.test.ts', '**/*.test.ts'], exclude: ['**/node_modules/**', '**/dist/**'] },
})

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      ...['core', 'stats', 'drift', 'synth', 'contracts', 'skew', 'traffic', 'monitor', 'gate', 'cli'].map((p) =>
        project(p, `packages/${p}`),
      ),
      project('e2e', 'test'),
    ],
  },
})
