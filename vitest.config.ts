import { fileURLToPath } from "node:url"
import { defineConfig } from "vitest/config"

// Tests run on the sources: the package's own name resolves to src/, as tsconfig.json's `paths` say for tsc and tsx.
const src = fileURLToPath(new URL("./src/", import.meta.url))

export default defineConfig({
  resolve: {
    alias: [
      { find: /^effect-cloud-clients$/, replacement: `${src}index.ts` },
      { find: /^effect-cloud-clients\/(.+)$/, replacement: `${src}$1/index.ts` }
    ]
  },
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/globalSetup.ts"],
    testTimeout: 30_000
  }
})
