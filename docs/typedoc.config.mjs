// @ts-check
// TypeDoc settings of the API reference in ./api (`npm run build` writes it, `npm run check` compares it).
import { readFileSync } from "node:fs"

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"))

// One entry point per public path of package.json `exports` (`./dist/veil/index.d.ts` → `../src/veil/index.ts`).
// The root entry comes last, so that what it re-exports is documented under the entry point it comes from.
const entryPoints = Object.entries(pkg.exports)
  .flatMap(([key, target]) => (typeof target === "object" && target.types ? [[key, target.types]] : []))
  .sort(([a], [b]) => Number(a === ".") - Number(b === "."))
  .map(([, types]) => types.replace(/^\.\/dist\//, "../src/").replace(/\.d\.ts$/, ".ts"))

/** @type {Partial<import("typedoc").TypeDocOptions & import("typedoc-plugin-markdown").PluginOptions>} */
export default {
  name: pkg.name,
  entryPoints,
  tsconfig: "./tsconfig.json",
  out: "./api",
  plugin: ["typedoc-plugin-markdown", "./plugin.mjs"],
  // The index page lists the entry points; the project README stays the README.
  readme: "none",
  // No "Defined in" links: there is no source host to link to, and line numbers would change the reference
  // with every edit of a source file.
  disableSources: true,
  disableGit: true,

  // Every exported name has a doc comment: each entry point, each namespace it exports and every name in them
  // (checked by ./plugin.mjs; TypeDoc's `notDocumented` would also ask for function-typed interface members).
  exportsRequiringDocumentation: ["Module", "Namespace", "Enum", "Variable", "Function", "Class", "Interface", "TypeAlias"],
  validation: { notExported: true, notDocumented: false, invalidLink: true, rewrittenLink: true },

  // One page per entry point and per namespace it exports, side by side in ./api, members on their page.
  outputFileStrategy: "modules",
  flattenOutputFiles: true,
  hidePageHeader: true,
  indexFormat: "table",
  parametersFormat: "table",
  interfacePropertiesFormat: "table",
  classPropertiesFormat: "table",
  typeAliasPropertiesFormat: "table",
  enumMembersFormat: "table",
  propertyMembersFormat: "table",
  typeDeclarationFormat: "table",
}
